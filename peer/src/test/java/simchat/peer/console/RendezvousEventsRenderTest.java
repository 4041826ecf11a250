package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class RendezvousEventsRenderTest {

    private final Renderer text = new Renderer.Text(false, ZoneOffset.UTC);
    private final Renderer json = new Renderer.Json(false);

    @Test
    void tellsTheCreatorTheCodeToReadOutAndWhatTheNatDid() {
        assertThat(text.render(new ChatEvent.Room("7-amber-falcon", true, "198.51.100.7:8000", true, "initiator", true)))
                .isEqualTo("* room code: 7-amber-falcon (read it to the other person; they add --room 7-amber-falcon)\n"
                        + "* your public endpoint: 198.51.100.7:8000 (your NAT kept the local port); role: initiator");
        assertThat(text.render(new ChatEvent.Room("7-amber-falcon", false, "198.51.100.7:40123", false, "responder", true)))
                .startsWith("* joined room 7-amber-falcon\n").contains("(your NAT changed the local port)");
    }

    @Test
    void saysNothingOfANatKeepingThePortWhereThereIsNoNat() {
        assertThat(text.render(new ChatEvent.Room("7-amber-falcon", true, "127.0.0.1:8000", true, "initiator", false)))
                .contains("* your public endpoint: 127.0.0.1:8000 (no NAT: the rendezvous sees this host's own address)")
                .doesNotContain("your NAT");
    }

    @Test
    void saysWhenTheRoomCodeVouchedForThePeersKey() {
        var key = new ChatEvent.PeerKey("SHA256:3f2a-91c0", "room-code", null);
        assertThat(text.render(key)).isEqualTo(
                "* encrypted (TLS 1.3); the peer proved it knows the room code, its key is SHA256:3f2a-91c0");
        assertThat(json.render(key)).contains("\"trust\":\"room-code\"");
    }

    @Test
    void cleansControlCharactersOutOfARoomCodeFromTheRendezvous() {
        assertThat(text.render(new ChatEvent.Room("7-\u001b[2Jx", true, "198.51.100.7:8000", true, "initiator", true)))
                .doesNotContain("\u001b");
    }

    @Test
    void saysPlainlyWhenTheNatIsSymmetricAndOnlyInVerboseModeWhenItIsNot() {
        assertThat(text.render(new ChatEvent.Nat("198.51.100.7:4000", "198.51.100.7:4001", false)))
                .contains("saw 198.51.100.7:4001 instead of 198.51.100.7:4000", "symmetric NAT");
        assertThat(text.render(new ChatEvent.Nat("198.51.100.7:8000", "198.51.100.7:8000", true))).isNull();
    }

    @Test
    void reportsWhichCandidateConnectedAndTheRtt() {
        var punched = new ChatEvent.Punched("private", "10.0.1.3:8000", 2, 8.25, 310);
        assertThat(text.render(punched)).isEqualTo("* hole punched: the private endpoint 10.0.1.3:8000 connected in "
                + "round 2 after 310 ms (RTT to the rendezvous 8.25 ms)");
        assertThat(json.render(punched)).isEqualTo("{\"event\":\"punched\",\"candidate\":\"private\","
                + "\"via\":\"10.0.1.3:8000\",\"round\":2,\"rttMillis\":8.25,\"millis\":310}");
        assertThat(json.render(new ChatEvent.Punching(1, 0, 0.5, List.of("203.0.113.9:8000 (public)"))))
                .startsWith("{\"event\":\"punching\",\"round\":1,\"delayMillis\":0");
    }

    @Test
    void saysTheChatIsRelayedWhyAndThatTheRelaySeesOnlyCiphertext() {
        var relayed = new ChatEvent.Relayed("203.0.113.10:7000", "the NAT at 198.51.100.7 picks a new public port "
                + "for every destination", 840);
        assertThat(text.render(relayed)).isEqualTo("* connected via relay 203.0.113.10:7000 (direct path impossible: "
                + "the NAT at 198.51.100.7 picks a new public port for every destination); the relay carries only "
                + "ciphertext");
        assertThat(json.render(relayed)).startsWith("{\"event\":\"relayed\",").contains("\"path\":\"relay\"",
                "\"relay\":\"203.0.113.10:7000\"", "\"millis\":840");
    }

    @Test
    void cleansControlCharactersOutOfTheRelaysReason() {
        assertThat(text.render(new ChatEvent.Relayed("203.0.113.10:7000", "x\u001b[2J", 1))).doesNotContain("\u001b");
    }
}
