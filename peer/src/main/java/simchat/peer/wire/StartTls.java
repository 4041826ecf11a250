package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

/**
 * The only frame sent in the clear when the chat is encrypted (the default): each side sends one and
 * waits for the other's. The side with the greater {@code nonce} (compared as strings) becomes the TLS
 * client; equal nonces mean a socket connected to itself. Everything after it, the {@link Hello} too,
 * travels inside TLS.
 */
public record StartTls(String nonce) implements Message {

    public StartTls {
        requireNonNull(nonce, "nonce");
        if (nonce.isEmpty() || nonce.length() > 64) {
            throw new IllegalArgumentException("nonce: " + nonce.length() + " characters (expected: 1-64)");
        }
    }
}
