package simchat.rendezvous.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoomCodeTest {

    @Test
    void normalizesWhatPeopleTypeToTheCanonicalCode() {
        assertThat(RoomCode.normalize(" 7 Amber_falcon ")).isEqualTo("7-amber-falcon");
        assertThat(RoomCode.normalize("7--AMBER  falcon-")).isEqualTo("7-amber-falcon");
        assertThat(RoomCode.normalize("7-amber-falcon")).isEqualTo("7-amber-falcon");
    }
}
