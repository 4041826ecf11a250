package simchat.peer.tls;

/** The peers could not authenticate each other; the message is one line fit to show the user. */
public final class AuthenticationException extends RuntimeException {

    /**
     * The exit code of a chat that ends this way. TODO: becomes {@code ExitCode.AUTHENTICATION_FAILED} once
     * the rendezvous branch (which adds codes 7 and 8 to {@code ExitCode}) is merged.
     */
    public static final int EXIT_CODE = 9;

    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
