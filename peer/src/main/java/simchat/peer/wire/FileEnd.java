package simchat.peer.wire;

import java.util.regex.Pattern;

/**
 * All of file {@code index} was sent: {@code sha256} (lowercase hex) of what was sent, or, when the sender could
 * not send it whole (changed since the offer, unreadable), no hash and a {@code problem}.
 */
public record FileEnd(int id, int index, String sha256, String problem) implements FileFrame {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public FileEnd {
        FileFrame.checkId(id);
        FileFrame.checkReason(problem);
        if (index < 0) {
            throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
        }
        if ((sha256 == null) == (problem == null)) {
            throw new IllegalArgumentException("sha256 and problem: expected exactly one of them");
        }
        if (sha256 != null && !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: expected 64 lowercase hex digits");
        }
    }
}
