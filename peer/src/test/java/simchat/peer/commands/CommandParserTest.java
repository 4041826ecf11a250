package simchat.peer.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each typed line means, one row per case. */
class CommandParserTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("hi bob", new Command.Say("hi bob")),
                Arguments.of("  indented text", new Command.Say("  indented text")),
                Arguments.of("a /slash inside", new Command.Say("a /slash inside")),
                Arguments.of("//etc/passwd is a path", new Command.Say("/etc/passwd is a path")),
                Arguments.of("//", new Command.Say("/")),
                Arguments.of("/help", new Command.Help()),
                Arguments.of("  /help  ", new Command.Help()),
                Arguments.of("/info", new Command.Info()),
                Arguments.of("/quit", new Command.Quit()),
                Arguments.of(" /quit", new Command.Quit()),
                Arguments.of("/me waves", new Command.Me("waves")),
                Arguments.of("/me   waves  at  bob ", new Command.Me("waves  at  bob")),
                Arguments.of("/me\twaves", new Command.Me("waves")),
                Arguments.of("/me", new Command.Misused("/me needs an action, e.g. /me waves")),
                Arguments.of("/me   ", new Command.Misused("/me needs an action, e.g. /me waves")),
                Arguments.of("/quit now", new Command.Misused("/quit takes no arguments (type /help)")),
                Arguments.of("/qiut", new Command.Unknown("/qiut")),
                Arguments.of("/QUIT", new Command.Unknown("/QUIT")),
                Arguments.of("/", new Command.Unknown("/")),
                Arguments.of("/unknown with args", new Command.Unknown("/unknown")),
                Arguments.of("", new Command.Nothing()),
                Arguments.of("   ", new Command.Nothing()));
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @MethodSource("lines")
    void readsALine(String line, Command expected) {
        assertThat(CommandParser.parse(line)).isEqualTo(expected);
    }

    @Test
    void aPartOfALineTooLongForOneMessageIsAlwaysChat() {
        assertThat(CommandParser.parse("/quit", true)).isEqualTo(new Command.Say("/quit"));
    }

    @Test
    void onlyChatAndActionsAreSent() {
        assertThat(Stream.of(new Command.Say("x"), new Command.Me("x"))).allMatch(Command::sends);
        assertThat(Stream.of(new Command.Help(), new Command.Info(), new Command.Quit(), new Command.Unknown("/x"),
                new Command.Misused("x"), new Command.Nothing())).noneMatch(Command::sends);
    }
}
