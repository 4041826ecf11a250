package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A {@code bin/peer} process (this JVM's classpath) on a real pty: a tmux server of its own runs a shell script
 * that records {@code stty -g} before and after the peer and its exit code, then leaves an interactive shell in
 * the pane. Keys go in through {@code tmux send-keys}, the screen comes back through {@code capture-pane}.
 */
final class TerminalPeer implements AutoCloseable {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final String socket = "simchat-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path dir;

    TerminalPeer(Path dir, String... peerArgs) throws IOException, InterruptedException {
        this.dir = dir;
        List<String> command = new ArrayList<>(List.of(
                quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-cp", quote(System.getProperty("java.class.path")), "simchat.peer.cli.PeerCommand"));
        for (String arg : peerArgs) {
            command.add(quote(arg));
        }
        Path script = dir.resolve("run.sh");
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                // As an interactive shell would: Ctrl-C goes to the peer, the script goes on (a handler, unlike
                // an ignored signal, is not inherited).
                "trap true INT",
                "stty -g > " + quote(file("stty-before").toString()),
                String.join(" ", command),
                "echo $? > " + quote(file("exit.tmp").toString()),
                "stty -g > " + quote(file("stty-after").toString()),
                "mv " + quote(file("exit.tmp").toString()) + " " + quote(file("exit").toString()),
                "PS1='shell$ ' exec sh",
                ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        tmux("new-session", "-d", "-x", "100", "-y", "30", script.toString());
    }

    /** A file the pane's script writes, beside the script. */
    Path file(String name) {
        return dir.resolve(name);
    }

    /** Types {@code keys} as tmux key names or literal text (e.g. "hello", "Enter", "C-c"). */
    void send(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** What the pane shows now, wrapped lines joined, trailing blank lines dropped. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-J", "-t", "0").stripTrailing();
    }

    /** Waits until the screen satisfies {@code condition}; fails with the screen otherwise. */
    String awaitScreen(String what, Predicate<String> condition) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(AWAIT);
        String shown = screen();
        while (!condition.test(shown)) {
            assertThat(Instant.now()).as("waiting for " + what + "; the screen:\n" + shown).isBefore(end);
            Thread.sleep(50);
            shown = screen();
        }
        return shown;
    }

    /** Waits for the peer process to end, and returns its exit code. */
    int awaitExit() throws IOException, InterruptedException {
        Instant end = Instant.now().plus(AWAIT);
        while (!Files.exists(file("exit"))) {
            assertThat(Instant.now()).as("waiting for the peer to exit; the screen:\n" + screen()).isBefore(end);
            Thread.sleep(50);
        }
        return Integer.parseInt(Files.readString(file("exit")).strip());
    }

    /** Whether the peer has ended (its exit code recorded). */
    boolean exited() {
        return Files.exists(file("exit"));
    }

    /** The terminal's settings before the peer started and after it ended, as {@code stty -g} prints them. */
    List<String> sttyBeforeAndAfter() throws IOException {
        return List.of(Files.readString(file("stty-before")).strip(), Files.readString(file("stty-after")).strip());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-server");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0 && !args[0].equals("kill-server")) {
            throw new IOException(String.join(" ", command) + " failed (" + status + "): " + out);
        }
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
