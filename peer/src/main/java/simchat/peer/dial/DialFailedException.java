package simchat.peer.dial;

/** Dialing stopped for good; {@link #outcome()} tells why. */
public final class DialFailedException extends Exception {

    private final AttemptOutcome outcome;

    public DialFailedException(AttemptOutcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    public AttemptOutcome outcome() {
        return outcome;
    }
}
