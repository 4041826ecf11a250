package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

/**
 * The first frame each side sends: who it is, which protocol it speaks, and a random nonce that
 * identifies this run of the peer (it detects a socket connected to itself and breaks ties).
 */
public record Hello(int version, String name, String nonce) implements Message {

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
    }
}
