package simchat.peer.session;

import java.time.Duration;

/**
 * A read-only snapshot of one chat, for {@code /info}: the current link (null fields while none is up, or
 * when not measured yet), how long the chat and the link have lasted, and its message counters.
 *
 * @param peer        the other peer's name, as its last hello gave it (null before any)
 * @param remote      the other peer's address on the current link
 * @param local       our address on the current link
 * @param rtt         the round trip of the last heartbeat answered on this link
 * @param tlsProtocol the TLS version of the current link, null when plaintext
 * @param cipherSuite the TLS cipher suite of the current link, null when plaintext
 * @param uptime      since this run of the chat started
 * @param connected   since the current link said hello
 * @param sent        lines typed in this run
 * @param received    of the peer's messages, those shown in this run
 * @param queued      our lines not yet acknowledged by the peer (earlier runs' included)
 */
public record ChatStats(String peer, String remote, String local, Duration rtt, String tlsProtocol,
                        String cipherSuite, Duration uptime, Duration connected, long sent, long received,
                        int queued) {

    /** Whether a link is up. */
    public boolean attached() {
        return remote != null;
    }
}
