package simchat.peer.dial;

import java.time.Duration;

/** A snapshot of dialing: attempts (SYNs initiated) so far, time since the first, how the last one ended. */
public record DialProgress(int attempts, Duration elapsed, AttemptOutcome lastOutcome) {
}
