package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class DialPacingTest {

    private final DialPacing pacing = DialPacing.DEFAULT;
    private final Random random = new Random(1);

    @Test
    void redialsAtOnceWhileEager() {
        assertThat(pacing.gapNanos(true, random)).isZero();
    }

    @Test
    void neverExceedsTwentySynsInAnyOneSecondWindowWhenPaced() {
        long[] sent = new long[2_000];
        long t = 0;
        for (int i = 0; i < sent.length; i++) {
            sent[i] = t;
            t += pacing.gapNanos(false, random);
        }
        int worst = 0;
        for (int first = 0, last = 0; first < sent.length; first++) {
            while (last < sent.length && sent[last] - sent[first] < 1_000_000_000L) {
                last++;
            }
            worst = Math.max(worst, last - first);
        }
        assertThat(worst).isLessThanOrEqualTo(DialPacing.MAX_SYNS_PER_SECOND);
    }

    @Test
    void variesItsGapsSoThatTwoPeersNeverLockInStep() {
        assertThat(java.util.stream.LongStream.generate(() -> pacing.gapNanos(false, random)).limit(50).distinct().count())
                .isGreaterThan(40);
    }
}
