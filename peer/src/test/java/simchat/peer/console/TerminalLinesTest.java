package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import simchat.peer.Outcome;
import simchat.peer.wire.Chat;

/** How the chat looks at a terminal: our own lines, actions, and a colour for each kind of line. */
class TerminalLinesTest {

    private static final String RESET = "\u001b[0m";
    private final Renderer.Text text = new Renderer.Text(false, ZoneOffset.UTC);
    private final TerminalLines plain = new TerminalLines(text, "alice", false, true);
    private final TerminalLines coloured = new TerminalLines(text, "alice", true, true);

    @Test
    void showsOurOwnLinesLikeThePeersWithAMarkUntilConfirmed() {
        assertThat(plain.render(new ChatEvent.Sent(1, "id", 45_296_000L, "hi", null)))
                .isEqualTo("[12:34:56] alice: hi …");
        assertThat(plain.render(new ChatEvent.MessageReceived("bob", 1, "id", 45_296_000L, "hi there")))
                .isEqualTo("[12:34:56] bob: hi there");
        assertThat(plain.render(new ChatEvent.Delivered(1))).as("the status line says it").isNull();
    }

    @Test
    void showsActionsWithTheTimeSoThatTheyCannotPoseAsStatusLines() {
        assertThat(plain.render(new ChatEvent.Sent(1, "id", 45_296_000L, "waves", Chat.ACTION)))
                .isEqualTo("[12:34:56] * alice waves …");
        assertThat(plain.render(new ChatEvent.MessageReceived("bob", 1, "id", 45_296_000L, "left the chat",
                Chat.ACTION))).isEqualTo("[12:34:56] * bob left the chat");
    }

    @Test
    void inAPipeOurOwnLinesAreNotRepeated() {
        TerminalLines pipe = new TerminalLines(text, "alice", true, false);
        assertThat(pipe.render(new ChatEvent.Sent(1, "id", 0, "hi", null))).isNull();
        assertThat(text.render(new ChatEvent.Sent(1, "id", 0, "hi", null))).isNull();
    }

    @Test
    void coloursTheTwoNamesStatusWarningsAndErrorsEachTheirOwnWay() {
        String peer = coloured.render(new ChatEvent.MessageReceived("bob", 1, "id", 0, "hi"));
        String own = coloured.render(new ChatEvent.Sent(1, "id", 0, "hi", null));
        String status = coloured.render(new ChatEvent.PeerLeft("bob", null));
        String warning = coloured.render(new ChatEvent.Warning("unknown command /qiut (type /help)"));
        String error = coloured.render(new ChatEvent.Failure(new Outcome.GaveUp("gave up")));

        assertThat(peer).contains("\u001b[36;1mbob" + RESET).endsWith(": hi");
        assertThat(own).contains("\u001b[32;1malice" + RESET);
        assertThat(status).isEqualTo("\u001b[2m* bob left the chat" + RESET);
        assertThat(warning).isEqualTo("\u001b[33m* unknown command /qiut (type /help)" + RESET);
        assertThat(error).isEqualTo("\u001b[31;1m* error: gave up" + RESET);
        assertThat(coloured.render(new ChatEvent.ConnectionLost("bob", "reset"))).startsWith("\u001b[33m");
        assertThat(coloured.render(new ChatEvent.Status("[io.netty] warning: leak"))).startsWith("\u001b[33m");
    }

    @Test
    void remoteEscapeSequencesAreNeutralisedBeforeAnyColourIsAdded() {
        String line = coloured.render(new ChatEvent.MessageReceived("\u001b[31mbob", 1, "id", 0, "\u001b[2Jhi"));
        assertThat(line.replaceAll("\u001b\\[[0-9;]*m", "")).doesNotContain("\u001b").contains("\\x1B[2Jhi");
    }

    @Test
    void colourIsForTerminalsAndNoColorTurnsItOffUnlessAskedForExplicitly() {
        assertThat(Display.colour(Display.ColorMode.AUTO, true, Map.of())).isTrue();
        assertThat(Display.colour(Display.ColorMode.AUTO, false, Map.of())).as("a pipe").isFalse();
        assertThat(Display.colour(Display.ColorMode.AUTO, true, Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(Display.colour(Display.ColorMode.AUTO, true, Map.of("NO_COLOR", ""))).as("empty: unset").isTrue();
        assertThat(Display.colour(Display.ColorMode.ALWAYS, false, Map.of("NO_COLOR", "1"))).isTrue();
        assertThat(Display.colour(Display.ColorMode.NEVER, true, Map.of())).isFalse();
    }

    @Test
    void jsonAndPlainPipesGetNoColourFromTheFactory() {
        assertThat(Renderer.of(true, false, "alice", true, true)).isInstanceOf(Renderer.Json.class);
        assertThat(Renderer.of(false, false, "alice", false, false)).isInstanceOf(Renderer.Text.class);
    }
}
