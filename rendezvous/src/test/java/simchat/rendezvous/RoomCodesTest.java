package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoomCodesTest {

    @Test
    void aCodeIsANumberAndTwoLowercaseWords() {
        RoomCodes codes = new RoomCodes(new Random(1));
        for (int i = 0; i < 1000; i++) {
            assertThat(codes.next(code -> false)).matches("[1-9][0-9]?-[a-z]+-[a-z]+");
        }
    }

    @Test
    void thereAreMillionsOfCodes() {
        assertThat(RoomCodes.combinations()).isGreaterThan(3_000_000);
    }

    @Test
    void neverHandsOutACodeThatIsTaken() {
        RoomCodes codes = new RoomCodes(new Random(7));
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            assertThat(taken.add(codes.next(taken::contains))).isTrue();
        }
    }

    @Test
    void givesUpInsteadOfLoopingForeverWhenEverythingIsTaken() {
        assertThatThrownBy(() -> new RoomCodes(new Random(1)).next(code -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no free room code after 100 attempts");
    }
}
