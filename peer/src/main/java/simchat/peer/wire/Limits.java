package simchat.peer.wire;

/** Hard limits of the wire protocol. */
public final class Limits {

    /** Longest chat text in one message (UTF-16 chars); longer input lines are split. */
    public static final int MAX_TEXT_CHARS = 4096;

    /** Longest display name. */
    public static final int MAX_NAME_CHARS = 64;

    /**
     * Longest frame in bytes, newline excluded. A text of {@link #MAX_TEXT_CHARS} control characters, each
     * escaped as six bytes, still fits with room for the envelope.
     */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    private Limits() {
    }
}
