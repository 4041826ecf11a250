package simchat.peer.wire;

/**
 * A JSON frame of a file transfer (feature {@code "files"} in both hellos); {@code id} names the transfer,
 * counted by the peer that offered it. The file bytes themselves travel in binary {@link FileData} frames.
 */
public sealed interface FileFrame extends Message
        permits FileOffer, FileAccept, FileReject, FileBegin, FileEnd, FileAck, FileDone, FileCancel {

    /** The sender's number of this transfer, from 1. */
    int id();

    /** Checks a transfer number, as every file frame's constructor does. */
    static int checkId(int id) {
        if (id < 1) {
            throw new IllegalArgumentException("id: " + id + " (expected: >= 1)");
        }
        return id;
    }

    /** Checks an optional reason text. */
    static String checkReason(String reason) {
        if (reason != null && reason.length() > Limits.MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("reason: " + reason.length() + " characters (expected: at most "
                    + Limits.MAX_TEXT_CHARS + ")");
        }
        return reason;
    }
}
