package simchat.peer.wire;

/**
 * The receiver has written {@code bytes} data bytes of the transfer (all files, resends included) to disk: the
 * sender may have at most {@code bytes} plus the window sent.
 */
public record FileAck(int id, long bytes) implements FileFrame {

    public FileAck {
        FileFrame.checkId(id);
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
    }
}
