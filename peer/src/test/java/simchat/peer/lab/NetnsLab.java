package simchat.peer.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces, {@code a} and {@code b}, joined by a veth pair: two hosts on one link.
 * Everything it creates (namespaces, processes) is removed by exact name in {@link #close()}.
 */
final class NetnsLab implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String a;
    final String b;
    final String addressA;
    final String addressB;
    final String interfaceA;
    final String interfaceB;
    private final ProcessGroup processes = new ProcessGroup();
    private ShutdownGuard guard;
    /** The peers' configuration home (XDG_CONFIG_HOME): chat journals stay out of the user's. */
    private final Path configHome;

    private NetnsLab(int id) {
        String prefix = "sc" + ProcessHandle.current().pid() % 100_000 + "x" + id;
        this.a = prefix + "a";
        this.b = prefix + "b";
        this.interfaceA = prefix + "va";
        this.interfaceB = prefix + "vb";
        this.addressA = "10.201." + id % 250 + ".1";
        this.addressB = "10.201." + id % 250 + ".2";
        try {
            this.configHome = Files.createTempDirectory(prefix + "-config");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Why the lab cannot run here, or null when it can (root, iproute2 and tcpdump present). */
    static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root";
        }
        for (String tool : new String[] {"ip", "tcpdump", "ss"}) {
            if (!onPath(tool)) {
                return tool + " is not installed (.ci/run installs iproute2 and tcpdump)";
            }
        }
        return null;
    }

    /** Skips the calling test class, saying why, when the lab cannot run here. */
    static void assumeAvailable(String what) {
        String reason = unavailableReason();
        if (reason != null) {
            System.out.println("SKIPPED " + what + ": " + reason);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
    }

    static NetnsLab create() throws IOException, InterruptedException {
        NetnsLab lab = new NetnsLab(COUNTER.incrementAndGet());
        try {
            lab.guard = new ShutdownGuard(lab.a + "/" + lab.b, lab::close);
            lab.setUp();
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void setUp() throws IOException, InterruptedException {
        run("ip", "netns", "add", a);
        run("ip", "netns", "add", b);
        run("ip", "link", "add", interfaceA, "type", "veth", "peer", "name", interfaceB);
        run("ip", "link", "set", interfaceA, "netns", a);
        run("ip", "link", "set", interfaceB, "netns", b);
        run("ip", "-n", a, "addr", "add", addressA + "/24", "dev", interfaceA);
        run("ip", "-n", b, "addr", "add", addressB + "/24", "dev", interfaceB);
        for (String[] ns : new String[][] {{a, interfaceA}, {b, interfaceB}}) {
            run("ip", "-n", ns[0], "link", "set", "lo", "up");
            run("ip", "-n", ns[0], "link", "set", ns[1], "up");
        }
    }

    /** Starts a command inside namespace {@code ns}; it is killed at {@link #close()} if still running. */
    Process start(String ns, List<String> command, Path stdout) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(stdout.toFile());
        builder.environment().put("XDG_CONFIG_HOME", configHome.toString());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /**
     * Starts a command inside namespace {@code ns} with its standard output (and error) a pipe the caller reads,
     * or stops reading to make it block; killed at {@link #close()} if still running.
     */
    Process startPiped(String ns, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("XDG_CONFIG_HOME", configHome.toString());
        return processes.add(builder.start());
    }

    /** Captures SYN and SYN-ACK segments on {@code ns}'s veth, with microsecond timestamps. */
    Capture capture(String ns, Path file) throws IOException, InterruptedException {
        String iface = ns.equals(a) ? interfaceA : interfaceB;
        Process tcpdump = start(ns, List.of("tcpdump", "-i", iface, "-nn", "-tt", "-l", "-U", "-B", "16384",
                "tcp[tcpflags] & tcp-syn != 0"), file);
        // tcpdump says "listening on ..." once the capture is live.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(file).contains("listening on") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return new Capture(tcpdump, file);
    }

    /** Runs a command inside a namespace and returns its output. */
    String exec(String ns, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    @Override
    public void close() {
        if (guard != null) {
            guard.release();
        }
        processes.stopAll();
        deleteTree(configHome);
        for (String ns : new String[] {a, b}) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException | RuntimeException e) {
                // Not created, or already gone.
            }
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    /** Removes a directory this lab created, with everything in it. */
    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Already gone.
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** A running tcpdump; {@link #stop()} returns the segments it saw. */
    record Capture(Process tcpdump, Path file) {

        List<Segment> stop() throws IOException, InterruptedException {
            Thread.sleep(200);   // let the last packets be written (-U flushes per packet)
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
            return Segment.parseAll(Files.readAllLines(file));
        }
    }
}
