package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import simchat.peer.tls.SecurityOptions;

/**
 * What the user asked for, already parsed.
 *
 * @param localPort   the fixed local port both dialing and chatting use
 * @param remote      the other peer's host and port, or null when a rendezvous introduces the peers
 * @param bind        the local address to bind, or null for the wildcard address
 * @param name        our display name
 * @param giveUpAfter how long to keep dialing, or null to dial until interrupted
 * @param say         lines to send right after connecting, before standard input
 * @param rendezvous  the rendezvous' host and port, or null when {@code remote} is given
 * @param room        the room code to join at the rendezvous, or null to create a room
 * @param security    encryption and trust: {@code --plaintext}, {@code --trust}, {@code --config-dir}
 * @param files       file transfers: {@code --send}, {@code --accept-files}, {@code --download-dir}
 * @param typing      whether the other peer is told while we type (not with {@code --no-typing})
 * @param relay       whether a rendezvous may relay the chat when no direct path can work ({@code --no-relay}
 *                    says no; a plaintext chat is never relayed)
 */
public record PeerConfig(int localPort, HostPort remote, String bind, String name, boolean json, boolean verbose,
                         Duration giveUpAfter, List<String> say, HostPort rendezvous, String room,
                         SecurityOptions security, FileOptions files, boolean typing, boolean relay) {

    public PeerConfig {
        if ((remote == null) == (rendezvous == null)) {
            throw new IllegalArgumentException("remote: " + remote + ", rendezvous: " + rendezvous
                    + " (expected: exactly one of them)");
        }
        if (room != null && rendezvous == null) {
            throw new IllegalArgumentException("room: " + room + " (expected: only with a rendezvous)");
        }
        requireNonNull(name, "name");
        requireNonNull(security, "security");
        requireNonNull(files, "files");
        say = List.copyOf(say);
        if (localPort < 1 || localPort > 65535) {
            throw new IllegalArgumentException("localPort: " + localPort + " (expected: 1-65535)");
        }
    }

    /** With default file options; telling the other peer while we type; relayed when no direct path can work. */
    public PeerConfig(int localPort, HostPort remote, String bind, String name, boolean json, boolean verbose,
                      Duration giveUpAfter, List<String> say, HostPort rendezvous, String room,
                      SecurityOptions security) {
        this(localPort, remote, bind, name, json, verbose, giveUpAfter, say, rendezvous, room, security,
                FileOptions.DEFAULT, true, true);
    }

    /** Encrypted, with keys and journals in the standard configuration directory. */
    public PeerConfig(int localPort, HostPort remote, String bind, String name, boolean json, boolean verbose,
                      Duration giveUpAfter, List<String> say, HostPort rendezvous, String room) {
        this(localPort, remote, bind, name, json, verbose, giveUpAfter, say, rendezvous, room, SecurityOptions.DEFAULT);
    }

    /** Direct mode: dial {@code remote} without a rendezvous. */
    public PeerConfig(int localPort, HostPort remote, String bind, String name, boolean json, boolean verbose,
                      Duration giveUpAfter, List<String> say) {
        this(localPort, requireNonNull(remote, "remote"), bind, name, json, verbose, giveUpAfter, say, null, null,
                SecurityOptions.DEFAULT);
    }

    /** The same, with other security options. */
    public PeerConfig withSecurity(SecurityOptions options) {
        return new PeerConfig(localPort, remote, bind, name, json, verbose, giveUpAfter, say, rendezvous, room, options,
                files, typing, relay);
    }

    /** The same, with other file options. */
    public PeerConfig withFiles(FileOptions options) {
        return new PeerConfig(localPort, remote, bind, name, json, verbose, giveUpAfter, say, rendezvous, room,
                security, options, typing, relay);
    }

    /** The same, telling the other peer while we type or not. */
    public PeerConfig withTyping(boolean typing) {
        return new PeerConfig(localPort, remote, bind, name, json, verbose, giveUpAfter, say, rendezvous, room,
                security, files, typing, relay);
    }

    /** The same, accepting to be relayed or not. */
    public PeerConfig withRelay(boolean relay) {
        return new PeerConfig(localPort, remote, bind, name, json, verbose, giveUpAfter, say, rendezvous, room,
                security, files, typing, relay);
    }

    /**
     * The name of this chat's journal: the same for every run of the same command line (so a restarted peer
     * finds its queue), different for different peers, local ports or names (two peers in network
     * namespaces or containers of one machine may share a home directory). File-name safe.
     */
    public String chatKey() {
        HostPort other = viaRendezvous() ? rendezvous : remote;
        String key = (viaRendezvous() ? "via-" : "to-") + other.host() + "-" + other.port()
                + "-from-" + (bind == null ? "" : bind + "-") + localPort + "-as-" + name;
        return key.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    /** Whether this peer accepts being relayed: asked for, and only ever for an encrypted chat. */
    public boolean acceptsRelay() {
        return relay && !security.plaintext();
    }

    /** Whether a rendezvous introduces the peers (otherwise {@link #remote()} is dialled directly). */
    public boolean viaRendezvous() {
        return rendezvous != null;
    }
}
