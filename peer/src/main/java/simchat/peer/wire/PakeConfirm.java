package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

/**
 * The last frame of the room-code check: an HMAC-SHA256 (64 hex digits) over both TLS keys as the sender
 * saw them, its role and the J-PAKE frames, keyed by the J-PAKE result. Only a peer that knows the room
 * code and sits in the same TLS session can produce it.
 */
public record PakeConfirm(String mac) implements Message {

    public PakeConfirm {
        requireNonNull(mac, "mac");
        if (!mac.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("mac: not an HMAC-SHA256 (expected: 64 lower-case hex digits)");
        }
    }
}
