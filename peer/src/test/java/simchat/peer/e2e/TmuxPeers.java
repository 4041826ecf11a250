package simchat.peer.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Peers as processes, each in a pane of a tmux server of its own (a real pty, 100x30): the test types keys, pastes,
 * and reads the screen back. The peers run this test JVM's classes ({@code java.class.path}), so no jar needs to be
 * built. {@link #close()} kills exactly this server.
 */
final class TmuxPeers implements AutoCloseable {

    static final int COLUMNS = 100;
    static final int ROWS = 30;
    private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String server = "simchat-e2e-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final Path dir;
    private final Path argFile;
    private final Path config;

    TmuxPeers() throws IOException {
        dir = PeerUnderTest.freshConfigDir();
        argFile = dir.resolve("java.args");
        // An argument file: the class path is longer than a tmux command may be.
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path") + "\"\n");
        config = dir.resolve("tmux.conf");
        // Panes stay after their process exits, so the last screen can still be read.
        Files.writeString(config, "set -g remain-on-exit on\nset -g history-limit 10000\n");
    }

    /** Whether tmux can be run here. */
    static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts {@code bin/peer ARGS} (as the same main class) in a pane named {@code name}, with a config dir of its own. */
    void start(String name, String... args) throws IOException, InterruptedException {
        Path configDir = Files.createDirectories(dir.resolve(name + "-config"));
        Files.setPosixFilePermissions(configDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        StringBuilder command = new StringBuilder("exec " + quote(javaBinary()) + " @" + quote(argFile.toString())
                + " simchat.peer.cli.PeerCommand --config-dir " + quote(configDir.toString()));
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        Path script = dir.resolve(name + ".sh");
        // The exit code lands in a file: the pane's shell is gone once the peer has exited.
        // Ctrl-C reaches the whole foreground group: the shell catches it (its child gets the default again) and
        // lives on to write the code.
        Files.writeString(script, "#!/bin/sh\nexport LC_ALL=C.UTF-8\ntrap true INT\n(" + command + ")\necho $? > "
                + quote(exitFile(name).toString()) + "\n");
        tmux("new-session", "-d", "-s", name, "-x", "" + COLUMNS, "-y", "" + ROWS, "sh " + quote(script.toString()));
    }

    /** Types {@code text} as keys, without Enter. */
    void type(String name, String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, "-l", text);
    }

    void pressEnter(String name) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, "Enter");
    }

    /** Presses Ctrl-C: at a terminal that is not in raw mode, the peer gets SIGINT. */
    void pressCtrlC(String name) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, "C-c");
    }

    /** Pastes {@code text} as a terminal paste (bracketed, when the program asked for that). */
    void paste(String name, String text) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve(name + ".paste"), text);
        tmux("load-buffer", "-b", name + "-paste", file.toString());
        tmux("paste-buffer", "-p", "-d", "-b", name + "-paste", "-t", name);
    }

    /** The visible screen, one string per row (all {@link #ROWS} of them). */
    List<String> screen(String name) throws IOException, InterruptedException {
        List<String> rows = new ArrayList<>(Arrays.asList(tmux("capture-pane", "-p", "-t", name).split("\n", -1)));
        while (rows.size() > ROWS) {
            rows.remove(rows.size() - 1);
        }
        while (rows.size() < ROWS) {
            rows.add("");
        }
        return rows;
    }

    /** Everything the pane printed, scrollback included, each line as printed (wrapped rows joined). */
    List<String> history(String name) throws IOException, InterruptedException {
        return List.of(tmux("capture-pane", "-p", "-J", "-S", "-", "-t", name).split("\n"));
    }

    /** Waits until the screen of {@code name} satisfies {@code condition}, which {@code what} describes; returns it. */
    List<String> awaitScreen(String name, String what, Predicate<List<String>> condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + AWAIT_NANOS;
        while (true) {
            List<String> screen = screen(name);
            if (condition.test(screen)) {
                return screen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen of " + name + " never showed " + what + "; it shows:\n"
                        + String.join("\n", screen));
            }
            // The screen has no change notification to wait on: look again shortly.
            Thread.sleep(50);
        }
    }

    /** Waits until the screen of {@code name} has a row containing {@code text}. */
    List<String> awaitText(String name, String text) throws IOException, InterruptedException {
        return awaitScreen(name, "\"" + text + "\"", rows -> rows.stream().anyMatch(r -> r.contains(text)));
    }

    /** Waits for the peer in pane {@code name} to exit, and returns its exit code. */
    int awaitExit(String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + AWAIT_NANOS;
        Path file = exitFile(name);
        while (!Files.exists(file) || Files.readString(file).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not exit; its screen:\n" + String.join("\n", screen(name)));
            }
            Thread.sleep(50);
        }
        return Integer.parseInt(Files.readString(file).strip());
    }

    @Override
    public void close() throws IOException {
        try {
            Path socket = Path.of(tmux("display-message", "-p", "#{socket_path}").strip());
            tmux("kill-server");
            // tmux leaves its socket file behind.
            Files.deleteIfExists(socket);
        } catch (IOException | InterruptedException | AssertionError e) {
            // Never started, or already gone.
        }
        PeerUnderTest.deleteTree(dir);
    }

    private Path exitFile(String name) {
        return dir.resolve(name + ".exit");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", server, "-f", config.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
