package simchat.peer.dial;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to send the next SYN after an attempt was refused.
 *
 * <p>On a LAN a closed port answers a SYN with a reset within one round trip (a few microseconds
 * between two network namespaces), so two peers only meet when their SYNs are in flight at the same
 * moment. A peer that has just started does not know whether the other is there yet, so for a short
 * eager phase it redials the instant a reset arrives. After that it settles to at most
 * {@link #MAX_SYNS_PER_SECOND} SYNs per second with random gaps, and dials eagerly again only for a
 * short while after a {@linkplain KnockDetector knock} says that the other peer has arrived. Both eager
 * phases then overlap, and their SYNs cross within milliseconds.
 */
public record DialPacing(Duration eagerPhase, Duration knockEager, Duration knockEpisode, Duration knockCooldown,
                         Duration minGap, Duration maxGap) {

    /** The ceiling this pacing keeps to outside eager phases. */
    public static final int MAX_SYNS_PER_SECOND = 20;

    /**
     * Eager for the first 2 s; each knock keeps us eager for another 200 ms, so we stay eager exactly as
     * long as the other peer's eager phase lasts, but never more than 3 s in a row, and then ignore
     * knocks for 5 s (a stray burst of resets from some other program costs little). Gaps of 52–64 ms
     * put at most 20 SYNs in any one-second window and average about 17 per second.
     */
    public static final DialPacing DEFAULT = new DialPacing(Duration.ofSeconds(2), Duration.ofMillis(200),
            Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofMillis(52), Duration.ofMillis(64));

    public DialPacing {
        for (Duration d : new Duration[] {eagerPhase, knockEager, knockEpisode, knockCooldown, minGap}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("duration: " + d + " (expected: >= 0)");
            }
        }
        if (minGap.compareTo(maxGap) > 0) {
            throw new IllegalArgumentException("gaps: " + minGap + ".." + maxGap + " (expected: min <= max)");
        }
    }

    /** The pause before the next SYN: none while eager, a random paced gap otherwise. */
    public long gapNanos(boolean eager, RandomGenerator random) {
        if (eager) {
            return 0;
        }
        long min = minGap.toNanos();
        long max = maxGap.toNanos();
        return min == max ? min : random.nextLong(min, max + 1);
    }
}
