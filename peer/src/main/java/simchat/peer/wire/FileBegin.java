package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

/**
 * File {@code index} of the transfer starts: its {@code path} relative to the offer (components separated by
 * {@code /}; the receiver checks each), its size, and its permission bits (at most {@code 0777}).
 */
public record FileBegin(int id, int index, String path, long size, int mode) implements FileFrame {

    /** Longest relative path, in characters. */
    public static final int MAX_PATH_CHARS = 4096;

    public FileBegin {
        FileFrame.checkId(id);
        requireNonNull(path, "path");
        if (index < 0) {
            throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
        }
        if (path.isEmpty() || path.length() > MAX_PATH_CHARS) {
            throw new IllegalArgumentException("path: " + path.length() + " characters (expected: 1-"
                    + MAX_PATH_CHARS + ")");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
        }
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("mode: " + Integer.toOctalString(mode) + " (expected: at most 0777)");
        }
    }
}
