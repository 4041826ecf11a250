package simchat.peer.console;

/**
 * The delivery part of the status line at a terminal: how many of our lines the other peer has not shown yet.
 * Follows the chat's events ({@link ChatEvent.Sent}, {@link ChatEvent.Delivered}, connected or not); the chat's
 * events arrive on its event loop, one at a time.
 */
public final class DeliveryStatus {

    /** The status line's slot for it. */
    public static final String SLOT = "delivery";

    private int pending;
    private String peer;
    private boolean connected;

    /** Starts with {@code pending} lines an earlier run left unconfirmed. */
    public DeliveryStatus(int pending) {
        this.pending = pending;
    }

    /** The slot's new text if {@code event} changes it, else null. */
    public String update(ChatEvent event) {
        if (event instanceof ChatEvent.Sent) {
            pending++;
        } else if (event instanceof ChatEvent.Delivered) {
            pending = Math.max(0, pending - 1);
        } else if (event instanceof ChatEvent.Connected c) {
            peer = Sanitizer.clean(c.peer());
            connected = true;
        } else if (event instanceof ChatEvent.ConnectionLost) {
            connected = false;
        } else {
            return null;
        }
        return text();
    }

    /** What the slot says now. */
    public String text() {
        String lines = pending == 1 ? "1 line" : pending + " lines";
        if (!connected) {
            return pending == 0 ? "not connected" : "not connected: " + lines + " queued";
        }
        return pending == 0 ? "✓ all delivered to " + peer : "… " + lines + " pending (not yet shown by " + peer + ")";
    }
}
