package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C at a real terminal (a tmux pane): it clears a line being typed, quits at once when nothing waits, warns
 * before giving up undelivered lines, and leaves the terminal as it found it, with no prompt-less reading.
 */
@Tag("e2e")
class CtrlCTerminalTest {

    @TempDir
    Path dir;

    /** The last line that starts with the prompt, or "" if none. */
    private static String promptLine(String screen) {
        List<String> lines = screen.lines().map(String::strip).filter(l -> l.startsWith(">")).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /**
     * An empty prompt is the last line, or the last but one above the status line (delivery, typing), which
     * never scrolls.
     */
    private static boolean endsWithPrompt(String screen) {
        List<String> lines = screen.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        int n = lines.size();
        if (n > 0 && lines.get(n - 1).equals(">")) {
            return true;
        }
        String last = n > 0 ? lines.get(n - 1) : "";
        return n > 1 && lines.get(n - 2).equals(">") && !last.startsWith("*") && !last.startsWith("[");
    }

    /** A peer dialing a loopback port where no one will answer. */
    private TerminalPeer dialingPeer() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        return new TerminalPeer(dir, "--local", String.valueOf(FreePorts.next()),
                "--remote", "127.0.0.1:" + FreePorts.next(), "--bind", "127.0.0.1", "--plaintext",
                "--config-dir", dir.resolve("config").toString());
    }

    @Test
    void oneCtrlCWhileDialingWithNothingQueuedQuitsAtOnceAndRestoresTheTerminal() throws Exception {
        try (TerminalPeer peer = dialingPeer()) {
            peer.awaitScreen("the prompt while dialing", s -> s.contains("* dialing") && endsWithPrompt(s));

            peer.send("C-c");

            assertThat(peer.awaitExit()).as("exit code").isZero();
            String screen = peer.awaitScreen("the shell's prompt", s -> s.endsWith("shell$"));
            assertThat(screen).contains("* Ctrl-C: leaving the chat");
            List<String> stty = peer.sttyBeforeAndAfter();
            assertThat(stty.get(1)).as("stty -g after the peer").isEqualTo(stty.get(0));
        }
    }

    @Test
    void ctrlCOnALineBeingTypedClearsItAndKeepsTheChatGoing() throws Exception {
        try (TerminalPeer peer = dialingPeer()) {
            peer.awaitScreen("the prompt while dialing", s -> s.contains("* dialing") && endsWithPrompt(s));
            peer.send("-l", "half a line");
            peer.awaitScreen("the half-typed line", s -> promptLine(s).equals("> half a line"));

            peer.send("C-c");

            peer.awaitScreen("an empty prompt, the typed text gone", s -> !s.contains("half a line")
                    && endsWithPrompt(s));
            assertThat(peer.exited()).as("the peer still runs").isFalse();
            assertThat(peer.screen()).doesNotContain("leaving");
            peer.send("C-c");
            assertThat(peer.awaitExit()).as("exit code").isZero();
            assertThat(peer.screen()).as("nothing was queued: the cleared line was not sent")
                    .contains("* Ctrl-C: leaving the chat").doesNotContain("not delivered");
        }
    }

    @Test
    void withALineQueuedCtrlCSaysWhatASecondOneDoesAndTheSecondQuitsKeepingTheLineInTheJournal()
            throws Exception {
        try (TerminalPeer peer = dialingPeer()) {
            peer.awaitScreen("the prompt while dialing", s -> s.contains("* dialing") && endsWithPrompt(s));
            peer.send("-l", "queued while dialing");
            peer.send("Enter");
            peer.awaitScreen("the typed line", s -> s.contains(": queued while dialing") && endsWithPrompt(s));

            peer.send("C-c");

            String warned = peer.awaitScreen("the warning", s -> s.contains("Ctrl-C again"));
            assertThat(warned).contains("1 line is not delivered yet; leaving once it is (still dialing)")
                    .contains("quits now and keeps it in the journal for the next run");
            peer.awaitScreen("the prompt still up, reading", s -> endsWithPrompt(s));
            assertThat(peer.exited()).as("the peer still runs").isFalse();

            peer.send("C-c");

            assertThat(peer.awaitExit()).as("exit code").isZero();
            assertThat(peer.screen()).contains("quitting now; 1 line not confirmed as delivered stay in");
            assertThat(journalText()).as("the journal kept for the next run").contains("queued while dialing");
            List<String> stty = peer.sttyBeforeAndAfter();
            assertThat(stty.get(1)).as("stty -g after the peer").isEqualTo(stty.get(0));
        }
    }

    @Test
    void whatIsTypedAfterThePeerQuitGoesToTheShellThatShowsItsPrompt() throws Exception {
        try (TerminalPeer peer = dialingPeer()) {
            peer.awaitScreen("the prompt while dialing", s -> s.contains("* dialing") && endsWithPrompt(s));
            peer.send("-l", "queued");
            peer.send("Enter");
            // The terminal driver drops typed keys it has not handed over yet when Ctrl-C comes.
            peer.awaitScreen("the typed line", s -> s.matches("(?s).*\\] \\S+: queued\\b.*") && endsWithPrompt(s));
            peer.send("C-c");
            peer.awaitScreen("the warning", s -> s.contains("Ctrl-C again"));
            peer.send("-l", "typed while leaving");
            peer.send("Enter");

            String screen = peer.awaitScreen("the line refused", s -> s.contains("not sent: leaving once"));
            assertThat(screen).doesNotContain("shell$");
            peer.awaitScreen("the prompt still up", s -> endsWithPrompt(s));
            assertThat(peer.exited()).as("the peer still runs and reads the keys").isFalse();
            peer.send("C-c");
            assertThat(peer.awaitExit()).isZero();
            assertThat(journalText()).contains("queued").doesNotContain("typed while leaving");
        }
    }

    @Test
    void ctrlCOnAnEmptyLineWhileConnectedLeavesAsQuitDoesAndTheOtherSideSeesIt() throws Exception {
        int terminalPort = FreePorts.next();
        int otherPort = FreePorts.next();
        Files.createDirectories(dir.resolve("config"));
        try (PeerUnderTest bob = new PeerUnderTest("bob", otherPort, terminalPort);
             TerminalPeer alice = new TerminalPeer(dir, "--local", String.valueOf(terminalPort),
                     "--remote", "127.0.0.1:" + otherPort, "--bind", "127.0.0.1", "--name", "alice",
                     "--config-dir", dir.resolve("config").toString())) {
            alice.awaitScreen("connected", s -> s.contains("* connected to bob") && endsWithPrompt(s));
            alice.send("-l", "hello bob");
            alice.send("Enter");
            bob.await("alice: hello bob");

            alice.awaitScreen("the prompt again", s -> s.contains("] alice: hello bob") && endsWithPrompt(s));
            alice.send("C-c");

            try {
                bob.await("* alice left the chat");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nalice's screen:\n" + alice.screen(), e);
            }
            assertThat(alice.awaitExit()).as("exit code").isZero();
            assertThat(bob.exitCode()).isZero();
            assertThat(alice.screen()).contains("* Ctrl-C: leaving the chat");
            List<String> stty = alice.sttyBeforeAndAfter();
            assertThat(stty.get(1)).as("stty -g after the peer").isEqualTo(stty.get(0));
        }
    }

    private String journalText() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("config").resolve("chats"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                all.append(Files.readString(file));
            }
            return all.toString();
        }
    }
}
