package simchat.peer.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A tmux server of its own (a socket name no one else uses) holding one pty per program: keys go in through
 * {@code send-keys}, the screen comes back through {@code capture-pane}, with {@code -e} its SGR colour codes too.
 * {@link #close()} kills exactly this server.
 */
final class TmuxTerminal implements AutoCloseable {

    private final String socket = "simchat-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    /** Whether tmux is installed here. */
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

    /**
     * Runs {@code command} in a new 120x40 pane named {@code name}, with {@code environment} added; a line
     * {@code exit=N} follows when it ends, and the pane stays open to be read.
     */
    void start(String name, List<String> command, Map<String, String> environment) throws IOException {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", "120", "-y", "40"));
        environment.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        String line = command.stream().map(TmuxTerminal::quote).collect(Collectors.joining(" "));
        args.add("cd " + quote(PeerProcess.ROOT.resolve("peer").toString()) + " && " + line
                + "; echo exit=$?; exec sleep 600");
        tmux(args);
    }

    /** Types {@code text} literally, then Enter. */
    void typeLine(String name, String text) throws IOException {
        typeKeys(name, text);
        tmux(List.of("send-keys", "-t", name, "Enter"));
    }

    /** Types {@code text} literally, without Enter. */
    void typeKeys(String name, String text) throws IOException {
        tmux(List.of("send-keys", "-t", name, "-l", text));
    }

    /** Presses one key by its tmux name, e.g. {@code Tab}. */
    void press(String name, String key) throws IOException {
        tmux(List.of("send-keys", "-t", name, key));
    }

    /** The screen as it shows now, with {@code -e} escape sequences for colours and attributes. */
    String screen(String name, boolean escapes) throws IOException {
        return escapes ? tmux(List.of("capture-pane", "-p", "-e", "-J", "-t", name))
                : tmux(List.of("capture-pane", "-p", "-J", "-t", name));
    }

    /** Waits until the screen satisfies {@code condition}, polling it; fails with the screen after {@code within}. */
    String await(String name, boolean escapes, Predicate<String> condition, String what, Duration within)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String screen = screen(name, escapes);
        while (!condition.test(screen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " on " + name + "'s screen within " + within.toSeconds()
                        + " s; it shows:\n" + screen(name, false));
            }
            Thread.sleep(50);
            screen = screen(name, escapes);
        }
        return screen;
    }

    /** The same for a piece of text. */
    String await(String name, String text, Duration within) throws IOException, InterruptedException {
        return await(name, false, s -> s.contains(text), "'" + text + "'", within);
    }

    @Override
    public void close() throws IOException {
        tmux(List.of("kill-server"));
    }

    /** How a character is shown: bold, faint, and its foreground colour (0-7, or -1 for the default). */
    record Style(boolean bold, boolean faint, int foreground) {
    }

    /**
     * The style in which the first character of {@code text} appears on {@code screen} (a capture with
     * {@code -e}), following the SGR sequences tmux writes; null if the text is not there.
     */
    static Style styleOf(String screen, String text) {
        StringBuilder plain = new StringBuilder();
        List<Style> styles = new ArrayList<>();
        boolean bold = false;
        boolean faint = false;
        int fg = -1;
        for (int i = 0; i < screen.length(); i++) {
            char c = screen.charAt(i);
            if (c == '\u001b' && i + 1 < screen.length() && screen.charAt(i + 1) == '[') {
                int end = i + 2;
                while (end < screen.length() && !Character.isLetter(screen.charAt(end))) {
                    end++;
                }
                if (end < screen.length() && screen.charAt(end) == 'm') {
                    for (String param : screen.substring(i + 2, end).split(";", -1)) {
                        int n = param.isEmpty() ? 0 : Integer.parseInt(param);
                        if (n == 0) {
                            bold = false;
                            faint = false;
                            fg = -1;
                        } else if (n == 1) {
                            bold = true;
                        } else if (n == 2) {
                            faint = true;
                        } else if (n == 22) {
                            bold = false;
                            faint = false;
                        } else if (n >= 30 && n <= 37) {
                            fg = n - 30;
                        } else if (n == 39) {
                            fg = -1;
                        }
                    }
                }
                i = end;
                continue;
            }
            plain.append(c);
            styles.add(new Style(bold, faint, fg));
        }
        int at = plain.indexOf(text);
        return at < 0 ? null : styles.get(at);
    }

    private String tmux(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0 && !args.get(0).equals("kill-server")) {
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
