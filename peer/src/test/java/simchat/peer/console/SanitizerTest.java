package simchat.peer.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SanitizerTest {

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "héllo wörld — 你好 👋🏽 tab-free";
        assertThat(Sanitizer.clean(text)).isSameAs(text);
    }

    @Test
    void neutralisesAnsiEscapeSequences() {
        assertThat(Sanitizer.clean("\u001b[2J\u001b[1;1Hfake prompt")).isEqualTo("\\x1B[2J\\x1B[1;1Hfake prompt");
    }

    @Test
    void showsCarriageReturnsAndNewlinesInsteadOfMovingTheCursor() {
        assertThat(Sanitizer.clean("ok\r[12:00:00] alice: forged\n")).isEqualTo("ok\\x0D[12:00:00] alice: forged\\x0A");
    }

    @Test
    void neutralisesC1ControlsAndDelete() {
        assertThat(Sanitizer.clean("\u009b31m\u007f")).isEqualTo("\\x9B31m\\x7F");
    }

    @Test
    void neutralisesBidiOverridesThatReorderWhatIsShown() {
        assertThat(Sanitizer.clean("abc\u202Egnp.exe")).isEqualTo("abc\\u202Egnp.exe");
        assertThat(Sanitizer.clean("\u2066x\u2069")).isEqualTo("\\u2066x\\u2069");
    }
}
