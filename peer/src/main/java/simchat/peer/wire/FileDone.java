package simchat.peer.wire;

/**
 * The receiver's verdict on file {@code index}: {@code ok} (hash verified, under its final name), {@code mismatch}
 * (hash differs; the sender sends it once more) or {@code failed} (given up, {@code reason} says why).
 */
public record FileDone(int id, int index, String status, String reason) implements FileFrame {

    public static final String OK = "ok";
    public static final String MISMATCH = "mismatch";
    public static final String FAILED = "failed";

    public FileDone {
        FileFrame.checkId(id);
        FileFrame.checkReason(reason);
        if (index < 0) {
            throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
        }
        if (!OK.equals(status) && !MISMATCH.equals(status) && !FAILED.equals(status)) {
            throw new IllegalArgumentException("status: " + status + " (expected: ok, mismatch or failed)");
        }
    }
}
