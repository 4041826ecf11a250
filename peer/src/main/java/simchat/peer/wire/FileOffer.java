package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

/**
 * The sender offers a file or a folder: its top-level {@code name}, how many files and bytes it holds. The
 * receiver answers with {@link FileAccept} or {@link FileReject}; each file then follows as {@link FileBegin},
 * {@link FileData} frames and {@link FileEnd}.
 */
public record FileOffer(int id, String name, boolean folder, int files, long bytes) implements FileFrame {

    /** Longest name of one path component, in characters (most file systems allow 255 bytes). */
    public static final int MAX_NAME_CHARS = 255;

    public FileOffer {
        FileFrame.checkId(id);
        requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("name: " + name.length() + " characters (expected: 1-"
                    + MAX_NAME_CHARS + ")");
        }
        if (files < 0 || (!folder && files != 1)) {
            throw new IllegalArgumentException("files: " + files + " (expected: 1 for a file, >= 0 for a folder)");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
    }
}
