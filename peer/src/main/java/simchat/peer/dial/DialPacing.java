package simchat.peer.dial;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to send the next SYN after an attempt was refused.
 *
 * <p>On a LAN a closed port answers a SYN with a reset within one round trip (a few microseconds
 * between two network namespaces), so two peers only meet when their SYNs are in flight at the same
 * moment. A peer that has just started does not know whether the other is there yet, so for a short
 * eager phase it redials quickly, with random gaps of {@link #eagerMinGap} to {@link #eagerMaxGap}
 * (none by default: the attempts themselves pace it). After that it settles to at most
 * {@link #MAX_SYNS_PER_SECOND} SYNs per second with random gaps, and dials eagerly again only for a
 * short while after a {@linkplain KnockDetector knock} says that the other peer has arrived. Both eager
 * phases then overlap, and their SYNs cross within milliseconds. Gaps run from the start of one SYN to
 * the start of the next, so no burst of quick failures can exceed either rate.
 *
 * <p>Each stretch of eager dialing sends at most {@link #maxEagerSyns} SYNs; then eagerness ends as a
 * knock episode does (knocks ignored for {@link #knockCooldown}).
 */
public record DialPacing(Duration eagerPhase, Duration knockEager, Duration knockEpisode, Duration knockCooldown,
                         Duration minGap, Duration maxGap, Duration eagerMinGap, Duration eagerMaxGap,
                         int maxEagerSyns) {

    /** The ceiling this pacing keeps to outside eager phases. */
    public static final int MAX_SYNS_PER_SECOND = 5;
    /**
     * Eager for the first 2 s, redialing the instant a reset comes back; each knock keeps us eager for
     * another 200 ms, so we stay eager as long as the other peer's eager phase lasts, but never more than
     * 3 s in a row (nor 1,000,000 SYNs, a mere safety cap: at 100,000 the 2 s start phase of a fast dialer
     * reached it and left the peer deaf to knocks for 5 s), and then ignore knocks for 5 s (a stray burst of resets from
     * some other program costs little). No gap between eager SYNs: between two network namespaces on one
     * machine, 500-700 µs gaps (at most 2,000 SYNs a second) left 8 of 10 trials unconnected after 30 s
     * (BENCHMARKS.md), since a SYN is in flight only for the microseconds its reset takes. Paced gaps of
     * 200-260 ms put at most 5 SYNs in any one-second window and average about 4.3 per second: a paced SYN
     * only meets the other peer by chance (the knock is what brings the two together), and each one wakes a
     * peer that should be at rest.
     */
    public static final DialPacing DEFAULT = new DialPacing(Duration.ofSeconds(2), Duration.ofMillis(200),
            Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(260),
            Duration.ZERO, Duration.ZERO, 1_000_000);

    public DialPacing {
        for (Duration d : new Duration[] {eagerPhase, knockEager, knockEpisode, knockCooldown, minGap, eagerMinGap}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("duration: " + d + " (expected: >= 0)");
            }
        }
        if (minGap.compareTo(maxGap) > 0) {
            throw new IllegalArgumentException("gaps: " + minGap + ".." + maxGap + " (expected: min <= max)");
        }
        if (eagerMinGap.compareTo(eagerMaxGap) > 0) {
            throw new IllegalArgumentException("eager gaps: " + eagerMinGap + ".." + eagerMaxGap
                    + " (expected: min <= max)");
        }
        if (maxEagerSyns < 1) {
            throw new IllegalArgumentException("maxEagerSyns: " + maxEagerSyns + " (expected: >= 1)");
        }
    }

    /** The time from one SYN to the next: a short random gap while eager, a paced one otherwise. */
    public long gapNanos(boolean eager, RandomGenerator random) {
        return eager ? between(eagerMinGap, eagerMaxGap, random) : between(minGap, maxGap, random);
    }

    private static long between(Duration min, Duration max, RandomGenerator random) {
        long low = min.toNanos();
        long high = max.toNanos();
        return low == high ? low : random.nextLong(low, high + 1);
    }
}
