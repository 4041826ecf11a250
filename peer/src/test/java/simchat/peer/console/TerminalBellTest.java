package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

/** When an incoming message rings the bell: always, never, or only while the terminal is out of focus. */
class TerminalBellTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void bellRingsOnEveryMessage() throws IOException {
        TerminalConsole console = console(Display.Bell.ALWAYS);
        console.alert();
        assertThat(written()).contains("\u0007");
    }

    @Test
    void noBellNeverRings() throws IOException {
        TerminalConsole console = console(Display.Bell.NEVER);
        console.alert();
        assertThat(written()).doesNotContain("\u0007");
    }

    @Test
    void byDefaultItRingsOnlyWhileTheTerminalSaysItIsOutOfFocus() throws IOException {
        TerminalConsole console = console(Display.Bell.UNFOCUSED);
        assertThat(written()).as("focus reporting turned on").contains("\u001b[?1004h");
        console.alert();
        assertThat(written()).as("focused: the user sees the message").doesNotContain("\u0007");

        assertThat(console.focusChanged(false)).isFalse();
        console.alert();
        assertThat(written()).contains("\u0007");

        out.reset();
        assertThat(console.focusChanged(true)).isTrue();
        console.alert();
        assertThat(written()).doesNotContain("\u0007");
    }

    private TerminalConsole console(Display.Bell bell) throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(false).type("xterm")
                .streams(new ByteArrayInputStream(new byte[0]), out).build();
        return new TerminalConsole(terminal, new Display(false, bell), List.of("/help"));
    }

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
