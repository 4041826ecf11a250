package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import simchat.peer.Outcome;

class RendererTest {

    private final Renderer text = new Renderer.Text(false, ZoneOffset.UTC);
    private final Renderer json = new Renderer.Json(false);

    @Test
    void printsMessagesWithTimeAndName() {
        var message = new ChatEvent.MessageReceived("bob", 1, "id", 45_296_000L, "hi there");
        assertThat(text.render(message)).isEqualTo("[12:34:56] bob: hi there");
    }

    @Test
    void setsStatusLinesApartFromChat() {
        assertThat(text.render(new ChatEvent.Connected("bob", "10.0.0.2:8000", "10.0.0.1:8000", 42, 7)))
                .isEqualTo("* connected to bob at 10.0.0.2:8000 from 10.0.0.1:8000 after 42 ms and 7 attempts");
        assertThat(text.render(new ChatEvent.PeerLeft("bob", null))).isEqualTo("* bob left the chat");
    }

    @Test
    void saysThatALostConnectionIsDialledAgain() {
        var lost = new ChatEvent.ConnectionLost("bob\u001b[2J", "bob sent nothing for 20 s");
        assertThat(text.render(lost)).isEqualTo("* connection to bob\\x1B[2J lost (bob sent nothing for 20 s); dialing again");
        assertThat(json.render(lost)).isEqualTo("{\"event\":\"connection-lost\",\"peer\":\"bob\\\\x1B[2J\","
                + "\"reason\":\"bob sent nothing for 20 s\"}");
    }

    @Test
    void hidesVerboseStatusUnlessAskedFor() {
        var detail = new ChatEvent.Status("detail", true);
        assertThat(text.render(detail)).isNull();
        assertThat(new Renderer.Text(true, ZoneOffset.UTC).render(detail)).isEqualTo("* detail");
    }

    @Test
    void neverPrintsRemoteControlCharacters() {
        var evil = new ChatEvent.MessageReceived("\u001b[31mmallory", 1, "id", 0, "\rforged");
        assertThat(text.render(evil)).doesNotContain("\u001b", "\r");
        assertThat(json.render(evil)).doesNotContain("\u001b", "\r", "\\u001b");
    }

    @Test
    void printsOneJsonObjectPerEvent() {
        assertThat(json.render(new ChatEvent.Connected("bob", "10.0.0.2:8000", "10.0.0.1:8000", 42, 7)))
                .isEqualTo("{\"event\":\"connected\",\"peer\":\"bob\",\"remote\":\"10.0.0.2:8000\","
                        + "\"local\":\"10.0.0.1:8000\",\"millis\":42,\"attempts\":7}");
        assertThat(json.render(new ChatEvent.MessageReceived("bob", 3, "m3", 1000, "hi")))
                .isEqualTo("{\"event\":\"message\",\"from\":\"bob\",\"seq\":3,\"id\":\"m3\",\"time\":1000,\"text\":\"hi\"}");
        assertThat(json.render(new ChatEvent.Failure(new Outcome.GaveUp("gave up"))))
                .isEqualTo("{\"event\":\"error\",\"code\":3,\"message\":\"gave up\"}");
        assertThat(json.render(new ChatEvent.Status("note")))
                .isEqualTo("{\"event\":\"status\",\"text\":\"note\"}");
    }
}
