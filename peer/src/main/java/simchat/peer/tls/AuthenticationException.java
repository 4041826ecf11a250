package simchat.peer.tls;

/**
 * The peers could not authenticate each other ({@code ExitCode.AUTHENTICATION_FAILED}); the message is one
 * line fit to show the user.
 */
public final class AuthenticationException extends RuntimeException {

    /**
     * The room-code check failed, said on both sides: the two codes were not the same. Neither side can tell a
     * typo from someone in the middle without the code, and the typo is by far the likelier.
     */
    public static final String CODES_DIFFER = "the codes differ: one of you mistyped it (or someone in the middle"
            + " does not know the code)";

    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
