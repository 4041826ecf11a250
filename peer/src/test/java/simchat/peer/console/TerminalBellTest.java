package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When an incoming message rings the bell: always, never, or only while the terminal is out of focus. */
class TerminalBellTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Terminal terminal;

    @AfterEach
    void closeTerminal() throws IOException {
        if (terminal != null) {
            terminal.close();
        }
    }

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

    /**
     * An xterm whose output lands in {@link #out} as soon as it is flushed. The "exec" provider gives JLine's
     * in-memory ExternalTerminal; without it JLine picks its native (JNI) provider, which opens a real pty and
     * copies the pty's output to {@code out} later, on a pump thread: nothing would be there yet when we look.
     */
    private TerminalConsole console(Display.Bell bell) throws IOException {
        terminal = TerminalBuilder.builder().system(false).provider(TerminalBuilder.PROP_PROVIDER_EXEC).type("xterm")
                .streams(new ByteArrayInputStream(new byte[0]), out).build();
        assertThat(terminal).isInstanceOf(ExternalTerminal.class);
        return new TerminalConsole(terminal, new Display(false, bell), List.of("/help"));
    }

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
