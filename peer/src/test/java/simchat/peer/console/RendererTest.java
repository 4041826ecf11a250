package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
        assertThat(json.render(lost)).isEqualTo("{\"event\":\"connection-lost\",\"peer\":\"bob\\u001B[2J\","
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
        var evil = new ChatEvent.MessageReceived("\u001b[31mmallory", 1, "id", 0, "\rforged\u202e\u2028\u009b\u007f");
        assertThat(text.render(evil)).doesNotContain("\u001b", "\r", "\u202e", "\u2028", "\u009b", "\u007f");
        assertThat(json.render(evil)).doesNotContain("\u001b", "\r", "\u202e", "\u2028", "\u009b", "\u007f");
    }

    @Test
    void jsonCarriesTheRemoteTextAsSentWithJsonEscapesOnly() throws Exception {
        String original = "\u001b[31mred\u001b[0m \\x1B stays, tab\there, \u202eevil, caf\u00e9, \ud83d\ude00";
        var message = new ChatEvent.MessageReceived("bob\u0007", 1, "id\u0000", 0, original);

        String line = json.render(message);

        assertThat(line).contains("\"text\":\"\\u001B[31mred\\u001B[0m \\\\x1B stays, tab\\there, \\u202Eevil,"
                + " caf\u00e9, \ud83d\ude00\"");
        JsonNode parsed = new ObjectMapper().readTree(line);
        assertThat(parsed.get("text").asText()).isEqualTo(original);
        assertThat(parsed.get("from").asText()).isEqualTo("bob\u0007");
        assertThat(parsed.get("id").asText()).isEqualTo("id\u0000");
    }

    @Test
    void jsonCarriesTheOtherRemoteStringsAsSentToo() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(json.render(new ChatEvent.PeerLeft("bob\u001b", "gone\r"))).get("reason").asText())
                .isEqualTo("gone\r");
        assertThat(mapper.readTree(json.render(new ChatEvent.Connected("bob\u001b", "a", "b", 1, 1))).get("peer")
                .asText()).isEqualTo("bob\u001b");
    }

    @Test
    void aLineSentInPartsSaysHowManyInJson() {
        assertThat(json.render(new ChatEvent.MessageReceived("bob", 2, "p1", 1000, "aabb", 2)))
                .isEqualTo("{\"event\":\"message\",\"from\":\"bob\",\"seq\":2,\"id\":\"p1\",\"time\":1000,"
                        + "\"text\":\"aabb\",\"parts\":2}");
        assertThat(text.render(new ChatEvent.MessageReceived("bob", 2, "p1", 45_296_000L, "aabb", 2)))
                .isEqualTo("[12:34:56] bob: aabb");
    }

    @Test
    void typingIsAnEventInJsonAndNoLineInText() {
        assertThat(json.render(new ChatEvent.Typing("bob", true)))
                .isEqualTo("{\"event\":\"typing\",\"peer\":\"bob\",\"active\":true}");
        assertThat(text.render(new ChatEvent.Typing("bob", true))).isNull();
        assertThat(Renderer.typingLine(new ChatEvent.Typing("bob\u001b[2J", true))).isEqualTo("bob\\x1B[2J is typing\u2026");
        assertThat(Renderer.typingLine(new ChatEvent.Typing("bob", false))).isNull();
    }

    @Test
    void leavingOnOnesOwnIsALeftEventInJson() {
        assertThat(json.render(new ChatEvent.Left("interrupted", 2)))
                .isEqualTo("{\"event\":\"left\",\"reason\":\"interrupted\",\"undelivered\":2}");
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

    @Test
    void showsAnActionOfThePeerWithItsTime() {
        var action = new ChatEvent.MessageReceived("bob", 1, "id", 45_296_000L, "waves", "action");
        assertThat(text.render(action)).isEqualTo("[12:34:56] * bob waves");
        assertThat(json.render(action)).contains("\"kind\":\"action\"");
    }

    @Test
    void reportsOurLinesAsSentEventsInJsonOnly() {
        var sent = new ChatEvent.Sent(4, "m4", 1000, "hi", null);
        assertThat(json.render(sent)).isEqualTo("{\"event\":\"sent\",\"seq\":4,\"id\":\"m4\",\"time\":1000,\"text\":\"hi\"}");
        assertThat(text.render(sent)).as("a pipe already has what it typed").isNull();
    }

    @Test
    void rendersInfoAsLinesAndAsOneJsonObject() {
        var info = new ChatEvent.Info("bob", "10.0.0.2:8000", "10.0.0.1:8000", "direct (simultaneous open)", 0.42,
                "TLSv1.3", "TLS_AES_128_GCM_SHA256", "SHA256:aaaa", "SHA256:bbbb", "known", 3_725, 61L, 5, 4, 1);
        assertThat(text.render(info).split("\n")).containsExactly(
                "* connected to bob at 10.0.0.2:8000 from 10.0.0.1:8000 for 1m01s",
                "* path: direct (simultaneous open)",
                "* round trip: 0.42 ms (last heartbeat)",
                "* encryption: TLSv1.3, TLS_AES_128_GCM_SHA256",
                "* your key: SHA256:aaaa",
                "* bob's key: SHA256:bbbb (the one remembered in known_peers)",
                "* uptime: 1h02m05s; messages sent 5, received 4, still queued 1");
        assertThat(json.render(info)).startsWith("{\"event\":\"info\",\"peer\":\"bob\"")
                .contains("\"rttMillis\":0.42", "\"queued\":1");
    }

    @Test
    void rendersWarningsAsStatusLines() {
        assertThat(text.render(new ChatEvent.Warning("unknown command /qiut (type /help)")))
                .isEqualTo("* unknown command /qiut (type /help)");
        assertThat(json.render(new ChatEvent.Warning("w"))).isEqualTo("{\"event\":\"warning\",\"text\":\"w\"}");
    }
}
