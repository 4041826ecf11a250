package simchat.peer.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The receiver's checks of the paths a sender names, one component at a time. */
class PathSafetyTest {

    @ParameterizedTest
    @ValueSource(strings = {"report.pdf", "holiday/2024/IMG 2041.jpg", ".bashrc", "a..b", "...x", "naïve/日本語.txt",
            "CONSOLE.txt", "nul-terminated", "COM10"})
    void ordinaryRelativePathsPass(String path) throws Exception {
        assertThat(String.join("/", PathSafety.components(path))).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "../etc/passwd       | a '..' component",
            "holiday/../../x     | a '..' component",
            "holiday/./x         | a '.' component",
            "/etc/passwd         | an absolute path",
            "a//b                | an empty component",
            "a/                  | an empty component",
            "C:/Windows          | a drive letter",
            "a\\b                | a backslash",
            "NUL                 | a device name (NUL)",
            "con.txt             | a device name (con)",
            "dir/LPT1.log        | a device name (LPT1)",
            "Com3                | a device name (Com3)",
    })
    void dangerousPathsAreRefusedWithTheReason(String path, String reason) {
        assertThatThrownBy(() -> PathSafety.components(path)).hasMessage(reason);
    }

    @Test
    void controlAndBidiCharactersAreRefused() {
        assertThat(PathSafety.problem("a\u001b[2Jb")).isEqualTo("a control character");
        assertThat(PathSafety.problem("a\nb")).isEqualTo("a control character");
        assertThat(PathSafety.problem("a\u0085b")).isEqualTo("a control character");
        assertThat(PathSafety.problem("invoice\u202Efdp.exe")).isEqualTo("a bidirectional or line-separator character");
        assertThat(PathSafety.problem("")).isEqualTo("an empty component");
    }

    @Test
    void aComponentLongerThan255BytesIsRefused() {
        assertThat(PathSafety.problem("é".repeat(127))).isNull();
        assertThat(PathSafety.problem("é".repeat(128))).isEqualTo("a name longer than 255 bytes");
    }
}
