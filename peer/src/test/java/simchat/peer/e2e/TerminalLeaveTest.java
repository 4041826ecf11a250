package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;

/** Leaving on one's own with Ctrl-C at a real terminal (a tmux pty), as {@code --json} reports it. */
@Tag("e2e")
class TerminalLeaveTest {

    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();
    private TmuxPeers tmux;

    TerminalLeaveTest() throws Exception {
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
    void ctrlCIsALeftEventSaidInterruptedAndAPeerLeftOnTheOtherSide() throws Exception {
        tmux.start("alice", "--local", "" + alicePort, "--remote", "127.0.0.1:" + bobPort, "--bind", "127.0.0.1",
                "--name", "alice", "--json");
        tmux.start("bob", "--local", "" + bobPort, "--remote", "127.0.0.1:" + alicePort, "--bind", "127.0.0.1",
                "--name", "bob", "--json");
        tmux.awaitText("alice", "\"event\":\"connected\"");
        tmux.awaitText("bob", "\"event\":\"connected\"");

        tmux.pressCtrlC("alice");

        tmux.awaitText("alice", "{\"event\":\"left\",\"reason\":\"interrupted\",\"undelivered\":0}");
        tmux.awaitText("bob", "{\"event\":\"peer-left\",\"peer\":\"alice\",\"reason\":\"interrupted\"}");
        // Its exit code is not this test's subject: the JVM ends a SIGINT with 128 + 2 whatever the peer returns.
        tmux.awaitExit("alice");
        assertThat(tmux.awaitExit("bob")).isEqualTo(ExitCode.OK);
    }
}
