package simchat.peer.dial;

import java.time.Duration;

/**
 * A snapshot of dialing: attempts so far (each a bind and a connect; all send a SYN but those the kernel refuses
 * for a busy port or pair), time since the first, how the last one ended.
 */
public record DialProgress(int attempts, Duration elapsed, AttemptOutcome lastOutcome) {
}
