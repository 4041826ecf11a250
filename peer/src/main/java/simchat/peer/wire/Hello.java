package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The first frame each side sends: who it is, which protocol it speaks, and a random nonce that
 * identifies this run of the peer (it detects a socket connected to itself and breaks ties). The optional
 * {@code epoch} names the sender's stream of chat messages: it stays the same across reconnects and
 * restarts of one chat, so the receiver can drop messages it has already shown by (epoch, seq).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hello(int version, String name, String nonce, String epoch) implements Message {

    /** The protocol version this build speaks; peers with another version cannot talk. */
    public static final int PROTOCOL_VERSION = 1;

    public Hello {
        requireNonNull(name, "name");
        requireNonNull(nonce, "nonce");
        if (name.length() > Limits.MAX_NAME_CHARS) {
            throw new IllegalArgumentException(
                    "name: " + name.length() + " characters (expected: at most " + Limits.MAX_NAME_CHARS + ")");
        }
        if (nonce.isEmpty() || nonce.length() > 64) {
            throw new IllegalArgumentException("nonce: " + nonce.length() + " characters (expected: 1-64)");
        }
        if (epoch != null && (epoch.isEmpty() || epoch.length() > 64)) {
            throw new IllegalArgumentException("epoch: " + epoch.length() + " characters (expected: 1-64)");
        }
    }

    /** A hello without an epoch, as peers before reconnection sent it. */
    public Hello(int version, String name, String nonce) {
        this(version, name, nonce, null);
    }

    /** This hello with {@code epoch} as the sender's message stream. */
    public Hello withEpoch(String epoch) {
        return new Hello(version, name, nonce, epoch);
    }

    /**
     * The sender's message stream: its epoch, or for a peer that sends none, its nonce (one stream per run,
     * so duplicates are still dropped within that run).
     */
    public String stream() {
        return epoch != null ? epoch : "nonce:" + nonce;
    }
}
