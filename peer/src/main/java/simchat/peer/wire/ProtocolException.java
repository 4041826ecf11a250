package simchat.peer.wire;

/** The remote peer broke the protocol; the message is one line fit to show the user. */
public final class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
