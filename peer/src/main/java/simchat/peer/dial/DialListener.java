package simchat.peer.dial;

/** Hears what a {@link Dialer} is doing; called on the dialer's event loop. */
public interface DialListener {

    /** Called every few seconds while no attempt has succeeded yet. */
    default void progress(DialProgress progress) {
    }

    /** Called when the outcome of failed attempts changes (e.g. from "no answer" to "refused"). */
    default void outcomeChanged(AttemptOutcome outcome, Throwable cause) {
    }

    /**
     * Called when attempts start failing because the port pair is still held by something that lets go by itself
     * (e.g. a connection in TIME_WAIT), with one line for the user that says what we wait for. Dialing goes on at
     * the normal pace; a holder that will not let go ends dialing with {@link AttemptOutcome#LOCAL_PORT_UNAVAILABLE}.
     */
    default void waiting(String reason) {
    }

    /** Called when a knock (the other peer's SYNs hitting our closed port) starts an eager phase. */
    default void knocked() {
    }
}
