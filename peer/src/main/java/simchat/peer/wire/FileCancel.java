package simchat.peer.wire;

/**
 * Either side ends the transfer before it completed; {@code reason} says why. Both peers number their own offers,
 * so {@code bySender} says whose transfer {@code id} is: true when the peer that offered it cancels.
 */
public record FileCancel(int id, boolean bySender, String reason) implements FileFrame {

    public FileCancel {
        FileFrame.checkId(id);
        FileFrame.checkReason(reason);
    }
}
