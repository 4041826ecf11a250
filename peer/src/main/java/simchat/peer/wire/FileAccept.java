package simchat.peer.wire;

/** The receiver takes the offered transfer: the sender may send up to one window of bytes now. */
public record FileAccept(int id) implements FileFrame {

    public FileAccept {
        FileFrame.checkId(id);
    }
}
