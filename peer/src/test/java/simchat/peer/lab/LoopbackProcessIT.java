package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real {@code bin/peer} processes on loopback, as two people in two terminals of one machine would run them. */
@Tag("e2e")
class LoopbackProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void twoProcessesChatInJsonModeAndBothExitZero() throws Exception {
        int a = freePort();
        int b = freePort();
        PeerProcess alice = start("alice", "--local", "" + a, "--remote", "127.0.0.1:" + b, "--name", "alice", "--json");
        PeerProcess bob = start("bob", "--local", "" + b, "--remote", "localhost:" + a, "--name", "bob", "--json");

        assertThat(alice.await("\"event\":\"connected\"", WAIT)).contains("\"peer\":\"bob\"", "\"attempts\":");
        bob.await("\"event\":\"connected\"", WAIT);
        alice.type("ping from alice");
        assertThat(bob.await("\"event\":\"message\"", WAIT)).contains("\"from\":\"alice\"", "\"text\":\"ping from alice\"");
        alice.await("\"event\":\"delivered\"", WAIT);

        bob.type("/quit");
        assertThat(alice.await("\"event\":\"peer-left\"", WAIT)).contains("\"peer\":\"bob\"");
        assertThat(alice.exitCode(WAIT)).isZero();
        assertThat(bob.exitCode(WAIT)).isZero();
    }

    @Test
    void aPeerAloneGivesUpWithExitCodeThreeAndNoStackTrace() throws Exception {
        PeerProcess alone = start("alone", "--local", "" + freePort(), "--remote", "127.0.0.1:" + freePort(),
                "--give-up-after", "1s");
        assertThat(alone.exitCode(WAIT)).isEqualTo(3);
        assertThat(alone.lines()).anyMatch(l -> l.startsWith("* error: could not connect"))
                .noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
    }

    @Test
    void aWrongTrustPinEndsBothProcessesWithExitCodeNineAndOneLineErrors() throws Exception {
        int a = freePort();
        int b = freePort();
        String wrong = "SHA256:" + "0123-4567-89ab-cdef-".repeat(4).replaceFirst("-$", "");
        PeerProcess alice = start("alice", "--local", "" + a, "--remote", "127.0.0.1:" + b, "--trust", wrong,
                "--json", "--give-up-after", "20s");
        PeerProcess bob = start("bob", "--local", "" + b, "--remote", "127.0.0.1:" + a, "--give-up-after", "20s");

        assertThat(alice.exitCode(WAIT)).isEqualTo(9);
        assertThat(bob.exitCode(WAIT)).isEqualTo(9);
        assertThat(alice.await("\"event\":\"error\"", WAIT)).contains("\"code\":9", "--trust expects " + wrong);
        assertThat(bob.await("* error: ", WAIT)).contains("the other peer refused this peer's key");
        for (PeerProcess peer : List.of(alice, bob)) {
            assertThat(peer.lines()).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "))
                    .noneMatch(l -> l.contains("connected"));
        }
    }

    private PeerProcess start(String name, String... args) throws IOException {
        Path out = dir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(PeerProcess.command(args))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        // Chat journals stay out of the user's configuration directory.
        builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process process = builder.start();
        started.add(process);
        return new PeerProcess(process, out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
