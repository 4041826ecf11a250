package simchat.peer.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The registry that /help, completion and the parser share. */
class CommandsTest {

    @Test
    void helpListsEveryCommandWithWhatItDoes() {
        List<String> help = Commands.help();
        assertThat(help).first().asString().contains("//");
        assertThat(help).hasSize(Commands.ALL.size() + 1);
        for (Commands.Entry entry : Commands.ALL) {
            assertThat(help).as(entry.name()).anyMatch(l -> l.startsWith("  " + entry.name())
                    && l.endsWith(entry.summary()));
        }
        assertThat(help).anyMatch(l -> l.contains("/me ACTION"));
    }

    @Test
    void completesTheCommandsOfTheChatAndOfFileTransfers() {
        assertThat(Commands.names()).containsExactly("/help", "/info", "/me", "/send", "/accept", "/reject",
                "/transfers", "/cancel", "/quit");
    }

    @Test
    void everyCommandTheParserKnowsIsInTheRegistry() {
        for (String name : Commands.names()) {
            assertThat(CommandParser.parse(name + (name.equals("/me") ? " x" : "")))
                    .as(name).isNotInstanceOf(Command.Unknown.class);
        }
    }

    @Test
    void aCommandNameIsASlashAndOneWord() {
        assertThatThrownBy(() -> new Commands.Entry("send", "", "x", a -> new Command.Nothing()))
                .hasMessageContaining("a slash and a word");
        assertThatThrownBy(() -> new Commands.Entry("/two words", "", "x", a -> new Command.Nothing()))
                .hasMessageContaining("a slash and a word");
    }
}
