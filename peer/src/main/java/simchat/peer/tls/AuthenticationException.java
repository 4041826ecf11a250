package simchat.peer.tls;

/**
 * The peers could not authenticate each other ({@code ExitCode.AUTHENTICATION_FAILED}); the message is one
 * line fit to show the user.
 */
public final class AuthenticationException extends RuntimeException {

    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
