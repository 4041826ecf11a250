package simchat.peer.dial;

/** Hears what a {@link Dialer} is doing; called on the dialer's event loop. */
public interface DialListener {

    /** Called every few seconds while no attempt has succeeded yet. */
    default void progress(DialProgress progress) {
    }

    /** Called when the outcome of failed attempts changes (e.g. from "no answer" to "refused"). */
    default void outcomeChanged(AttemptOutcome outcome, Throwable cause) {
    }

    /** Called when a knock (the other peer's SYNs hitting our closed port) starts an eager phase. */
    default void knocked() {
    }
}
