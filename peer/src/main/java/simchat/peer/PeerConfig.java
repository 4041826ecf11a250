package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What the user asked for, already parsed.
 *
 * @param localPort   the fixed local port both dialing and chatting use
 * @param remote      the other peer's host and port
 * @param bind        the local address to bind, or null for the wildcard address
 * @param name        our display name
 * @param giveUpAfter how long to keep dialing, or null to dial until interrupted
 * @param say         lines to send right after connecting, before standard input
 */
public record PeerConfig(int localPort, HostPort remote, String bind, String name, boolean json, boolean verbose,
                         Duration giveUpAfter, List<String> say) {

    public PeerConfig {
        requireNonNull(remote, "remote");
        requireNonNull(name, "name");
        say = List.copyOf(say);
        if (localPort < 1 || localPort > 65535) {
            throw new IllegalArgumentException("localPort: " + localPort + " (expected: 1-65535)");
        }
    }
}
