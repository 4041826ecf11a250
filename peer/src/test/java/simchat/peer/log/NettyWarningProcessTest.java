package simchat.peer.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simchat.peer.ExitCode;
import simchat.peer.cli.PeerCommand;

/**
 * A real peer process in which Netty warns: a deprecated Netty option makes {@code ResourceLeakDetector}
 * warn while the peer sets up TLS, which Netty's default logging printed as two raw lines on standard
 * error. Now it is a {@code * } status line with {@code -v}, and nothing without.
 */
@Tag("e2e")
class NettyWarningProcessTest {

    private static final String WARNING = "* [io.netty.util.ResourceLeakDetector] warning: -Dio.netty.noResourceLeakDetection"
            + " is deprecated. Use '-Dio.netty.leakDetection.level=disabled' instead.";

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void withVerboseNettysWarningIsAStatusLineAndNothingReachesStandardError() throws Exception {
        Output output = runUntil(WARNING, "-v");

        assertThat(output.err()).as("standard error").isEmpty();
        assertThat(output.out()).as("standard output").contains(WARNING);
    }

    @Test
    void withoutVerboseNettysWarningIsNotShownAtAll() throws Exception {
        Output output = run();

        assertThat(output.err()).as("standard error").isEmpty();
        assertThat(output.out()).as("standard output")
                .noneMatch(line -> line.contains("noResourceLeakDetection"))
                .anyMatch(line -> line.startsWith("* error: could not connect to 127.0.0.1:"));
    }

    @Test
    void inJsonItIsAVerboseStatusEvent() throws Exception {
        Output output = runUntil(WARNING.substring(2), "-v", "--json");

        assertThat(output.err()).as("standard error").isEmpty();
        assertThat(output.out()).as("standard output").contains("{\"event\":\"status\",\"text\":\""
                + WARNING.substring(2) + "\",\"verbose\":true}");
    }

    private record Output(List<String> out, String err) {
    }

    /** The peer, dialing a port where nothing answers until it gives up after 1 s (exit code 3). */
    private Output run(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.noResourceLeakDetection=true", "-cp", System.getProperty("java.class.path"),
                PeerCommand.class.getName(), "--local", String.valueOf(freePort()), "--bind", "127.0.0.1",
                "--remote", "127.0.0.1:" + freePort(), "--give-up-after", "1s",
                "--config-dir", dir.resolve("config").toString()));
        command.addAll(List.of(options));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        // Standard input stays open (a pipe nobody writes to): the chat ends by giving up, not by end of input.
        process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the peer exited").isTrue();
        assertThat(process.exitValue()).as("exit code; printed " + Files.readAllLines(out)).isEqualTo(ExitCode.GAVE_UP);
        return new Output(Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    /**
     * The peer, dialing a port where nothing answers, until it has printed a line containing {@code text}: Netty
     * warns when the peer first touches its buffers, in TLS's warm-up, which runs beside the dialing and need
     * not be over when a 1 s {@code --give-up-after} ends the chat. Then it is stopped with SIGTERM.
     */
    private Output runUntil(String text, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.noResourceLeakDetection=true", "-cp", System.getProperty("java.class.path"),
                PeerCommand.class.getName(), "--local", String.valueOf(freePort()), "--bind", "127.0.0.1",
                "--remote", "127.0.0.1:" + freePort(), "--config-dir", dir.resolve("config").toString()));
        command.addAll(List.of(options));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.readAllLines(out, StandardCharsets.UTF_8).stream().noneMatch(l -> l.contains(text))) {
            assertThat(process.isAlive()).as("still running; printed " + Files.readAllLines(out)).isTrue();
            assertThat(System.nanoTime()).as("printed within 60 s: " + Files.readAllLines(out)).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the peer exited").isTrue();
        return new Output(Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
