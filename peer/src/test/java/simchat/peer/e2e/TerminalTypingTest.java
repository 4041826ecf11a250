package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.wire.Limits;

/**
 * Two peers at real terminals (tmux ptys) on loopback: what the other sees while one types, and a long paste. The
 * screens are read back as a person would see them.
 */
@Tag("e2e")
class TerminalTypingTest {

    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();
    private TmuxPeers tmux;

    TerminalTypingTest() throws Exception {
    }

    @BeforeEach
    void startTmux() throws Exception {
        assumeTrue(TmuxPeers.available(), "tmux is not installed");
        tmux = new TmuxPeers();
    }

    @AfterEach
    void stopTmux() throws Exception {
        if (tmux != null) {
            tmux.close();
        }
    }

    @Test
    void whileAliceTypesBobSeesItOnHisBottomLineUntilHerMessageArrives() throws Exception {
        connect();

        tmux.type("alice", "hello bob, still typ");
        List<String> typing = tmux.awaitText("bob", "alice is typing\u2026");
        assertThat(typing.get(TmuxPeers.ROWS - 1)).as("the bottom row, which never scrolls (the delivery state too)")
                .endsWith("alice is typing\u2026");
        assertThat(String.join("\n", typing)).as("nothing of the text before Enter").doesNotContain("still typ");

        tmux.type("alice", "ing");
        tmux.pressEnter("alice");
        List<String> shown = tmux.awaitText("bob", "alice: hello bob, still typing");
        assertThat(shown).as("the indicator goes when the message arrives").noneMatch(r -> r.contains("is typing"));
        assertThat(shown).filteredOn(r -> r.contains("alice: ")).singleElement().asString()
                .matches("\\[\\d\\d:\\d\\d:\\d\\d] alice: hello bob, still typing");

        quit();
    }

    @Test
    void aPasteLongerThanOneMessageIsShownAsOneMessage() throws Exception {
        StringBuilder paste = new StringBuilder("BEGIN ");
        for (int i = 0; paste.length() < 5_000; i++) {
            paste.append(i).append(' ');
        }
        paste.append("END");
        assertThat(paste.length()).isGreaterThan(Limits.MAX_TEXT_CHARS);
        connect();

        tmux.paste("alice", paste.toString());
        tmux.pressEnter("alice");
        tmux.awaitText("bob", " END");

        assertThat(tmux.history("bob")).filteredOn(l -> l.contains("alice: ")).singleElement().asString()
                .matches("\\[\\d\\d:\\d\\d:\\d\\d] alice: .*").endsWith("] alice: " + paste);
        quit();
    }

    @Test
    void withNoTypingThePeerHearsNothingBeforeTheMessage() throws Exception {
        tmux.start("alice", "--local", "" + alicePort, "--remote", "127.0.0.1:" + bobPort, "--bind", "127.0.0.1",
                "--name", "alice", "--json");
        tmux.start("bob", "--local", "" + bobPort, "--remote", "127.0.0.1:" + alicePort, "--bind", "127.0.0.1",
                "--name", "bob", "--no-typing");
        tmux.awaitText("alice", "\"event\":\"connected\"");
        tmux.awaitText("bob", "* connected to alice");

        tmux.type("bob", "quiet");
        tmux.pressEnter("bob");
        tmux.awaitText("alice", "\"text\":\"quiet\"");

        // A typing frame would have come before the message on the same connection.
        assertThat(tmux.history("alice")).noneMatch(l -> l.contains("\"event\":\"typing\""));
        tmux.type("bob", "/quit");
        tmux.pressEnter("bob");
        assertThat(tmux.awaitExit("bob")).isEqualTo(ExitCode.OK);
        assertThat(tmux.awaitExit("alice")).isEqualTo(ExitCode.OK);
    }

    private void connect() throws Exception {
        tmux.start("alice", "--local", "" + alicePort, "--remote", "127.0.0.1:" + bobPort, "--bind", "127.0.0.1",
                "--name", "alice");
        tmux.start("bob", "--local", "" + bobPort, "--remote", "127.0.0.1:" + alicePort, "--bind", "127.0.0.1",
                "--name", "bob");
        tmux.awaitText("alice", "* connected to bob");
        tmux.awaitText("bob", "* connected to alice");
    }

    private void quit() throws Exception {
        tmux.type("alice", "/quit");
        tmux.pressEnter("alice");
        tmux.awaitText("bob", "* alice left the chat");
        assertThat(tmux.awaitExit("alice")).isEqualTo(ExitCode.OK);
        assertThat(tmux.awaitExit("bob")).isEqualTo(ExitCode.OK);
    }
}
