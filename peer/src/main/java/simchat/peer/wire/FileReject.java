package simchat.peer.wire;

/** The receiver declines the offered transfer; {@code reason} may say why (not enough space, the user said no). */
public record FileReject(int id, String reason) implements FileFrame {

    public FileReject {
        FileFrame.checkId(id);
        FileFrame.checkReason(reason);
    }
}
