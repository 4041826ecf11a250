package simchat.peer;

import static java.util.Objects.requireNonNull;

/** The chat cannot begin at all; {@link #failure()} says why, as the run's outcome. */
final class CannotStart extends Exception {

    private final Outcome.Failure failure;

    CannotStart(Outcome.Failure failure) {
        super(failure.message(), null, false, false);
        this.failure = requireNonNull(failure, "failure");
    }

    Outcome.Failure failure() {
        return failure;
    }
}
