package simchat.peer.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** A real {@code bin/peer} process: its standard input is ours to write or close, its output lands in a file. */
final class PeerProcess {

    /** The repository root: the peer module is the working directory of Maven's test runs. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path LAUNCHER = ROOT.resolve("bin/peer");

    private final Process process;
    private final Path output;

    PeerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * The command line for {@code bin/peer} with these arguments and a fresh {@code --config-dir} of its own, so
     * that no test reads or writes the identity and known peers in the real home directory.
     */
    static List<String> command(String... args) throws IOException {
        return command(freshConfigDir(), args);
    }

    /** The command line for {@code bin/peer} keeping its identity and known peers in {@code configDir}. */
    static List<String> command(Path configDir, String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "--config-dir", configDir.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** An empty config directory under {@code peer/target/}, where {@code mvn clean} removes it. */
    static Path freshConfigDir() throws IOException {
        Path parent = Files.createDirectories(ROOT.resolve("peer/target/lab-config-dirs"));
        return Files.createTempDirectory(parent, "peer-");
    }

    void type(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Types {@code prefix-from} to {@code prefix-to}, one line each: the numbered lines the lab tests count. */
    void typeNumbered(String prefix, int from, int to) throws IOException {
        for (int i = from; i <= to; i++) {
            type(prefix + "-" + i);
        }
    }

    /** {@code prefix-1} to {@code prefix-count}: what {@link #typeNumbered} typed, in order. */
    static List<String> numbered(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    void endInput() throws IOException {
        process.getOutputStream().close();
    }

    List<String> lines() throws IOException {
        return Files.readAllLines(output, StandardCharsets.UTF_8);
    }

    /** Waits until a printed line contains {@code text}; fails the test with everything printed if it never does. */
    String await(String text, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            for (String line : lines()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no line containing \"" + text + "\" within " + within + "; printed: " + lines());
    }

    boolean running() {
        return process.isAlive();
    }

    int exitCode(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            String printed;
            try {
                printed = lines().toString();
            } catch (IOException e) {
                printed = "(unreadable: " + e.getMessage() + ")";
            }
            throw new AssertionError("peer still running after " + within + "; printed: " + printed);
        }
        return process.exitValue();
    }
}
