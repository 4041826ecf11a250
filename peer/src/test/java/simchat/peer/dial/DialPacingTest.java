package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class DialPacingTest {

    private final DialPacing pacing = DialPacing.DEFAULT;
    private final Random random = new Random(1);

    @Test
    void neverExceedsItsPacedCeilingInAnyOneSecondWindow() {
        assertThat(mostInAnySecond(false)).isLessThanOrEqualTo(DialPacing.MAX_SYNS_PER_SECOND);
    }

    @Test
    void redialsAtOnceWhileEager() {
        assertThat(pacing.gapNanos(true, random)).isZero();
    }

    @Test
    void keepsEagerGapsWithinTheirBoundsAndAtRandom() {
        DialPacing gentle = new DialPacing(pacing.eagerPhase(), pacing.knockEager(), pacing.knockEpisode(),
                pacing.knockCooldown(), pacing.minGap(), pacing.maxGap(), Duration.ofNanos(500_000),
                Duration.ofNanos(700_000), 4_000);
        assertThat(LongStream.generate(() -> gentle.gapNanos(true, random)).limit(1_000))
                .allMatch(gap -> gap >= 500_000 && gap <= 700_000);
        assertThat(LongStream.generate(() -> gentle.gapNanos(true, random)).limit(50).distinct().count())
                .isGreaterThan(40);
    }

    @Test
    void variesItsGapsSoThatTwoPeersNeverLockInStep() {
        assertThat(LongStream.generate(() -> pacing.gapNanos(false, random)).limit(50).distinct().count())
                .isGreaterThan(40);
    }

    /** The most SYNs in any one-second window of 20,000 gaps in a row. */
    private int mostInAnySecond(boolean eager) {
        long[] sent = new long[20_000];
        long t = 0;
        for (int i = 0; i < sent.length; i++) {
            sent[i] = t;
            t += pacing.gapNanos(eager, random);
        }
        int worst = 0;
        for (int first = 0, last = 0; first < sent.length; first++) {
            while (last < sent.length && sent[last] - sent[first] < 1_000_000_000L) {
                last++;
            }
            worst = Math.max(worst, last - first);
        }
        return worst;
    }
}
