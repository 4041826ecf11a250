package simchat.peer.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The other peer's name as shown: short by default, with its host only when both peers have one name. */
class HelloNameTest {

    private static final Hello ROOT_ON_VM = new Hello(1, "root", "aa", null, "vm");

    @Test
    void aPeerWithAnotherNameIsShownByItsNameAlone() {
        assertThat(ROOT_ON_VM.displayNameOf(new Hello(1, "bob", "bb", null, "laptop"))).isEqualTo("bob");
    }

    @Test
    void aPeerWithOurNameIsShownWithItsHost() {
        assertThat(ROOT_ON_VM.displayNameOf(new Hello(1, "root", "bb", null, "laptop"))).isEqualTo("root@laptop");
    }

    @Test
    void anOlderPeerWithOurNameButNoHostIsShownByItsName() {
        assertThat(ROOT_ON_VM.displayNameOf(new Hello(1, "root", "bb", null))).isEqualTo("root");
    }

    @Test
    void theHostTravelsInTheHelloAndAHelloWithoutOneStillDecodes() throws Exception {
        String json = Json.MAPPER.writeValueAsString(ROOT_ON_VM);
        assertThat(json).contains("\"host\":\"vm\"");
        assertThat(Json.MAPPER.readValue(json, Message.class)).isEqualTo(ROOT_ON_VM);
        assertThat(Json.MAPPER.readValue("{\"type\":\"hello\",\"version\":1,\"name\":\"root\",\"nonce\":\"aa\"}",
                Message.class)).isEqualTo(new Hello(1, "root", "aa"));
    }
}
