package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class InviteCodeTest {

    @Test
    void theCreatorAddsFourDigitsToTheRoomOfTheRendezvous() {
        InviteCode code = InviteCode.create("7-amber-falcon", new SecureRandom());

        assertThat(code.room()).isEqualTo("7-amber-falcon");
        assertThat(code.toString()).matches("7-amber-falcon-[0-9]{4}");
    }

    @Test
    void theJoinerSendsOnlyTheRoomToTheRendezvous() {
        assertThat(InviteCode.parse("7-amber-falcon-0042")).isEqualTo(new InviteCode("7-amber-falcon", "0042"));
    }

    @Test
    void aCodeWithoutItsDigitsIsRefusedWithAnExample() {
        assertThatThrownBy(() -> InviteCode.parse("7-amber-falcon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'7-amber-falcon' lacks the four digits at its end (expected: the whole code the other"
                        + " person was shown, like 7-amber-falcon-4821)");
        assertThatThrownBy(() -> InviteCode.parse("4821")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InviteCode.parse("7-amber-falcon-482")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bothPeersDeriveTheSamePlaceToMeetAgainFromTheirNonces() {
        InviteCode code = InviteCode.parse("7-amber-falcon-0042");

        String alices = code.placeToMeetAgain("a1b2c3d4e5f60718", "0f1e2d3c4b5a6978");
        String bobs = code.placeToMeetAgain("0f1e2d3c4b5a6978", "a1b2c3d4e5f60718");

        assertThat(alices).isEqualTo(bobs).matches("[0-9a-f]{32}");
    }

    @Test
    void thePlaceToMeetAgainDependsOnTheDigitsTheRendezvousNeverSaw() {
        String place = InviteCode.parse("7-amber-falcon-0042").placeToMeetAgain("aa", "bb");

        assertThat(InviteCode.parse("7-amber-falcon-0043").placeToMeetAgain("aa", "bb")).isNotEqualTo(place);
        assertThat(InviteCode.parse("7-amber-falcon-0042").placeToMeetAgain("aa", "bc")).isNotEqualTo(place);
    }
}
