package simchat.peer.wire;

/**
 * The optional capabilities a peer announces in its {@link Hello#features()}. A frame that belongs to a feature is
 * sent only to a peer that announced it; names this build does not know are ignored.
 */
public final class Features {

    /** Understands {@link Typing} frames (and shows them); a peer with {@code --no-typing} still announces it. */
    public static final String TYPING = "typing";

    /** Shows a {@link Chat} marked {@code more} and the messages that continue it as one message. */
    public static final String PARTS = "parts";

    /** Sends and receives files ({@link FileFrame}, {@link FileData}). */
    public static final String FILES = "files";

    /** Most names one hello may announce. */
    public static final int MAX_FEATURES = 64;

    /** Longest name of one feature. */
    public static final int MAX_NAME_CHARS = 64;

    private Features() {
    }
}
