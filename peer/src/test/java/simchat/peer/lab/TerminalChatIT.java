package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two {@code bin/peer}s in real terminals (tmux ptys), read back from the screen with its colours: commands
 * answered locally, our own lines with time, name and delivery status, Tab completion, colour and NO_COLOR.
 */
@Tag("e2e")
class TerminalChatIT {

    /** Generous: two JVMs start on shared cores, and the first run of a test may build nothing but waits. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final TmuxTerminal.Style OWN = new TmuxTerminal.Style(true, false, 2);
    private static final TmuxTerminal.Style PEER = new TmuxTerminal.Style(true, false, 6);
    private static final TmuxTerminal.Style WARNING = new TmuxTerminal.Style(false, false, 3);
    private static final TmuxTerminal.Style STATUS = new TmuxTerminal.Style(false, true, -1);
    private static final TmuxTerminal.Style PLAIN = new TmuxTerminal.Style(false, false, -1);

    private TmuxTerminal tmux;

    @BeforeEach
    void needsTmux() {
        Assumptions.assumeTrue(TmuxTerminal.available(), "tmux is not installed (Debian package tmux)");
        tmux = new TmuxTerminal();
    }

    @AfterEach
    void stop() throws IOException {
        if (tmux != null) {
            tmux.close();
        }
    }

    @Test
    void commandsStayLocalOwnLinesShowTheirDeliveryAndEachKindOfLineHasItsColour() throws Exception {
        int a = freePort();
        int b = freePort();
        tmux.start("alice", PeerProcess.command("--local", "" + a, "--remote", "127.0.0.1:" + b, "--name", "alice"),
                Map.of("TERM", "xterm-256color"));
        tmux.await("alice", "* dialing", WAIT);
        tmux.await("alice", false, s -> s.lines().anyMatch(l -> l.startsWith(">")), "prompt", WAIT);

        tmux.typeLine("alice", "hi bob");
        String queued = tmux.await("alice", "not connected: 1 line queued", WAIT);
        assertThat(queued).as("the typed line is replaced by the chat's own line")
                .containsPattern("\\[\\d\\d:\\d\\d:\\d\\d] alice: hi bob …").doesNotContain("> hi bob");
        assertThat(TmuxTerminal.styleOf(tmux.screen("alice", true), "alice: hi bob")).as("our name").isEqualTo(OWN);
        assertThat(TmuxTerminal.styleOf(tmux.screen("alice", true), ": hi bob")).as("the text").isEqualTo(PLAIN);
        assertThat(TmuxTerminal.styleOf(tmux.screen("alice", true), "* your fingerprint")).as("status").isEqualTo(STATUS);

        tmux.typeLine("alice", "/qiut");
        String warned = tmux.await("alice", "* unknown command /qiut (type /help)", WAIT);
        assertThat(TmuxTerminal.styleOf(tmux.screen("alice", true), "* unknown command")).isEqualTo(WARNING);
        tmux.typeLine("alice", "/help");
        tmux.await("alice", "/quit", WAIT);
        assertThat(tmux.screen("alice", false)).contains("/help", "/info", "/me ACTION", "/quit");
        assertThat(TmuxTerminal.styleOf(tmux.screen("alice", true), "* commands")).isEqualTo(STATUS);

        tmux.start("bob", PeerProcess.command("--local", "" + b, "--remote", "127.0.0.1:" + a, "--name", "bob"),
                Map.of("TERM", "xterm-256color"));
        String bobs = tmux.await("bob", "alice: hi bob", WAIT);
        assertThat(bobs).as("commands are never sent").doesNotContain("qiut", "/help");
        assertThat(TmuxTerminal.styleOf(tmux.screen("bob", true), "alice: hi bob")).as("the peer's name")
                .isEqualTo(PEER);
        tmux.await("alice", "✓ all delivered to bob", WAIT);

        tmux.typeLine("bob", "/me waves");
        tmux.await("alice", false, s -> s.matches("(?s).*\\[\\d\\d:\\d\\d:\\d\\d] \\* bob waves.*"), "bob's action",
                WAIT);
        tmux.typeKeys("bob", "/in");
        tmux.press("bob", "Tab");
        tmux.await("bob", "> /info", WAIT);
        tmux.press("bob", "Enter");
        String info = tmux.await("bob", "* uptime:", WAIT);
        assertThat(info).contains("* path: direct (simultaneous open)", "* encryption: TLSv1.3, TLS_",
                "alice's key: SHA256:", "messages sent 1, received 1, still queued 0");

        tmux.typeLine("alice", "/quit");
        tmux.await("alice", "exit=0", WAIT);
        tmux.await("bob", "* alice left the chat", WAIT);
        tmux.await("bob", "exit=0", WAIT);
        assertThat(warned).doesNotContain("Exception");
    }

    @Test
    void noColorTurnsColourOffButKeepsOurOwnLines() throws Exception {
        tmux.start("alice", PeerProcess.command("--local", "" + freePort(), "--remote", "127.0.0.1:" + freePort(),
                "--name", "alice"), Map.of("TERM", "xterm-256color", "NO_COLOR", "1"));
        tmux.await("alice", false, s -> s.lines().anyMatch(l -> l.startsWith(">")), "prompt", WAIT);
        tmux.typeLine("alice", "/qiut");
        tmux.await("alice", "* unknown command /qiut (type /help)", WAIT);
        tmux.typeLine("alice", "still here");
        tmux.await("alice", "alice: still here …", WAIT);

        String screen = tmux.screen("alice", true);
        for (String text : new String[] {"* unknown command", "alice: still here", "* your fingerprint"}) {
            assertThat(TmuxTerminal.styleOf(screen, text)).as(text).isEqualTo(PLAIN);
        }
        tmux.typeLine("alice", "/quit");
        String end = tmux.await("alice", "exit=0", WAIT);
        assertThat(end).contains("1 message was not confirmed as delivered (first: \"still here\")");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
