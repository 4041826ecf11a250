package simchat.peer;

/**
 * The exit codes of {@code bin/peer} by name, for scripts and tests; which {@link Outcome} ends with which, and
 * what each means, is decided and documented in one place only: {@code simchat.peer.cli.ExitCodes}.
 */
public final class ExitCode {

    /** {@link Outcome.Ended}. */
    public static final int OK = 0;
    /** {@link Outcome.InternalError}. */
    public static final int INTERNAL = 1;
    /** {@link Outcome.UsageError}, and bad options. */
    public static final int USAGE = 2;
    /** {@link Outcome.GaveUp}. */
    public static final int GAVE_UP = 3;
    /** {@link Outcome.PortUnavailable}. */
    public static final int PORT_UNAVAILABLE = 4;
    /** {@link Outcome.ConnectionLost}. */
    public static final int CONNECTION_LOST = 5;
    /** {@link Outcome.ProtocolViolation}. */
    public static final int PROTOCOL_ERROR = 6;
    /** {@link Outcome.PunchImpossible}. */
    public static final int PUNCH_IMPOSSIBLE = 7;
    /** {@link Outcome.RendezvousFailed}. */
    public static final int RENDEZVOUS = 8;
    /** {@link Outcome.AuthenticationFailed}. */
    public static final int AUTHENTICATION_FAILED = 9;
    /** {@link Outcome.FilesUnusable}. */
    public static final int IDENTITY_UNAVAILABLE = 10;

    private ExitCode() {
    }
}
