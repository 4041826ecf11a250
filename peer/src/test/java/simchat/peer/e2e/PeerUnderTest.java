package simchat.peer.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import simchat.peer.ChatPeer;
import simchat.peer.HostPort;
import simchat.peer.PeerConfig;
import simchat.peer.cli.ExitCodes;
import simchat.peer.console.PlainConsole;
import simchat.peer.tls.SecurityOptions;

/**
 * A {@link ChatPeer} running in this JVM with its standard input and output in the test's hands. Unless the
 * configuration names one, it gets a configuration directory of its own, removed at {@link #close()}.
 */
final class PeerUnderTest implements AutoCloseable {

    private final PipedOutputStream stdin = new PipedOutputStream();
    /** Generous: a failing wait costs this long, a passing one only as long as the peer takes (2 shared cores). */
    private static final int AWAIT_SECONDS = 60;

    /** Every line printed so far; guarded by itself, notified on each new line. */
    private final List<String> seen = new ArrayList<>();
    private final CompletableFuture<Integer> exit;
    private final Path ownConfigDir;
    /** Index in {@link #seen} of the first line the next {@link #await} looks at; guarded by {@link #seen}. */
    private int cursor;

    PeerUnderTest(String name, int localPort, int remotePort, String... extraLines) throws IOException {
        this(direct(name, localPort, remotePort, extraLines));
    }

    /**
     * Runs {@code config}; without a {@code --config-dir} the peer gets a fresh one of its own, so that no test
     * reads or writes the identity, known peers and journals in the real home directory.
     */
    PeerUnderTest(PeerConfig config) throws IOException {
        ownConfigDir = config.security().configDir() == null ? freshConfigDir() : null;
        PeerConfig used = ownConfigDir == null ? config : config.withSecurity(new SecurityOptions(
                config.security().plaintext(), config.security().trust(), ownConfigDir));
        PipedInputStream in = new PipedInputStream(stdin, 1 << 16);
        PrintStream out = new PrintStream(new LineCollector(), true, StandardCharsets.UTF_8);
        exit = CompletableFuture.supplyAsync(() -> ExitCodes.code(new ChatPeer(used, new PlainConsole(in, out)).run()));
    }

    /** A verbose direct-mode peer on loopback that gives up after 30 s. */
    static PeerConfig direct(String name, int localPort, int remotePort, String... extraLines) {
        return new PeerConfig(localPort, new HostPort("127.0.0.1", remotePort), "127.0.0.1", name, false, true,
                Duration.ofSeconds(30), List.of(extraLines));
    }

    /** An empty config directory under {@code target/}, where {@code mvn clean} removes it. */
    static Path freshConfigDir() throws IOException {
        Path parent = Files.createDirectories(Path.of("target", "e2e-config-dirs").toAbsolutePath());
        return Files.createTempDirectory(parent, "peer-");
    }

    void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void endInput() throws IOException {
        stdin.close();
    }

    /**
     * Waits for a line containing {@code text} printed after the line that the previous {@code await} returned
     * (from the start for the first), and returns it. Each wait moves on from there, so a line once passed is
     * never matched again: waiting twice for {@code "* connected to bob"} needs two connections. A line printed
     * between two waits still counts, so the test never races the peer.
     */
    String await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        synchronized (seen) {
            int next = cursor;
            while (true) {
                for (; next < seen.size(); next++) {
                    String line = seen.get(next);
                    if (line.contains(text)) {
                        cursor = next + 1;
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line containing \"" + text + "\" after line " + cursor
                            + " within " + AWAIT_SECONDS + " s; printed so far: " + seen);
                }
                TimeUnit.NANOSECONDS.timedWait(seen, left);
            }
        }
    }

    int exitCode() throws Exception {
        return exit.get(30, TimeUnit.SECONDS);
    }

    /** The texts of the chat messages shown from {@code sender}, in the order shown. */
    List<String> messagesFrom(String sender) {
        String marker = "] " + sender + ": ";
        return printed().stream().filter(l -> l.startsWith("[") && l.contains(marker))
                .map(l -> l.substring(l.indexOf(marker) + marker.length())).toList();
    }

    /** Every line printed so far, whatever the waits passed over. */
    List<String> printed() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() throws IOException {
        stdin.close();
        if (ownConfigDir != null) {
            try {
                exit.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Still running or failed: its files go anyway.
            }
            deleteTree(ownConfigDir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private final class LineCollector extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                synchronized (seen) {
                    seen.add(text);
                    seen.notifyAll();
                }
            } else {
                line.write(b);
            }
        }
    }
}
