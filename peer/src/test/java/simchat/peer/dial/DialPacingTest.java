package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class DialPacingTest {

    private final DialPacing pacing = DialPacing.DEFAULT;
    private final Random random = new Random(1);

    @Test
    void neverExceedsTwentySynsInAnyOneSecondWindowWhenPaced() {
        assertThat(mostInAnySecond(false)).isLessThanOrEqualTo(DialPacing.MAX_SYNS_PER_SECOND);
    }

    @Test
    void neverExceedsTwoThousandSynsInAnyOneSecondWindowWhenEager() {
        assertThat(mostInAnySecond(true)).isLessThanOrEqualTo(DialPacing.MAX_EAGER_SYNS_PER_SECOND)
                .as("eager is still much faster than paced").isGreaterThan(1_000);
    }

    @Test
    void variesItsGapsSoThatTwoPeersNeverLockInStep() {
        assertThat(LongStream.generate(() -> pacing.gapNanos(false, random)).limit(50).distinct().count())
                .isGreaterThan(40);
        assertThat(LongStream.generate(() -> pacing.gapNanos(true, random)).limit(50).distinct().count())
                .isGreaterThan(40);
    }

    @Test
    void anEagerStretchCannotSendFiveThousandSyns() {
        assertThat(pacing.maxEagerSyns()).isLessThan(5_000);
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
