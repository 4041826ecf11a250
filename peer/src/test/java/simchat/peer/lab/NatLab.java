package simchat.peer.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One topology of {@code lab/nat-lab.sh} (real nftables NAT in network namespaces) with a rendezvous
 * running on its "internet", under a prefix of its own so that parallel labs do not meet. Everything
 * it starts is killed, and its namespaces deleted by exact name, at {@link #close()}.
 */
final class NatLab implements AutoCloseable {

    static final Path SCRIPT = PeerProcess.ROOT.resolve("lab/nat-lab.sh");
    static final Path RENDEZVOUS_JAR = PeerProcess.ROOT.resolve("rendezvous/target/rendezvous.jar");
    static final String RENDEZVOUS = "203.0.113.10:7000";

    final String prefix;
    final Map<String, String> env;
    private final ProcessGroup processes = new ProcessGroup();
    private ShutdownGuard guard;
    /** The peers' configuration home (XDG_CONFIG_HOME): chat journals stay out of the user's. */
    private final Path configHome;
    private final Path dir;
    private final List<String> rendezvousOptions;
    /** The running rendezvous, or null after {@link #killRendezvous()}. */
    private Process rendezvous;
    private int rendezvousStarts;

    private NatLab(String prefix, Map<String, String> env, Path dir, List<String> rendezvousOptions) {
        this.prefix = prefix;
        this.env = env;
        this.dir = dir;
        this.rendezvousOptions = rendezvousOptions;
        try {
            this.configHome = Files.createTempDirectory(prefix + "-config");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Skips the calling test class, saying why, when the NAT lab cannot run here. */
    static void assumeAvailable(String what) {
        String reason = unavailableReason();
        if (reason != null) {
            System.out.println("SKIPPED " + what + ": " + reason);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
    }

    /** Why the NAT lab cannot run here, or null when it can. */
    static String unavailableReason() {
        String netns = NetnsLab.unavailableReason();
        if (netns != null) {
            return netns;
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/nft")) && !Files.isExecutable(Path.of("/sbin/nft"))) {
            return "nft is not installed (.ci/run installs nftables)";
        }
        if (!onPath("python3")) {
            return "python3 is not installed (the lab's WAN delay line needs it; .ci/run installs python3)";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun is missing (the lab's WAN delay line uses TAP devices)";
        }
        if (!Files.isRegularFile(RENDEZVOUS_JAR)) {
            return RENDEZVOUS_JAR + " is missing (run the build with -am)";
        }
        return null;
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /**
     * Builds topology {@code a}-{@code d} and starts the rendezvous on it (port 7000, probe 7001) with
     * {@code rendezvousOptions} (e.g. {@code -v}), its output in {@code dir}.
     */
    static NatLab up(String topology, Path dir, String... rendezvousOptions) throws IOException, InterruptedException {
        String prefix = "nl" + ProcessHandle.current().pid() % 100_000 + "-";
        run(prefix, SCRIPT.toString(), "up", topology);
        Map<String, String> env = new java.util.HashMap<>();
        for (String line : run(prefix, SCRIPT.toString(), "env").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        NatLab lab = new NatLab(prefix, Map.copyOf(env), dir, List.of(rendezvousOptions));
        try {
            lab.guard = new ShutdownGuard(prefix + " NAT lab", lab::close);
            lab.startRendezvous();
            return lab;
        } catch (IOException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Starts the rendezvous on host rdv (port 7000, probe 7001) and waits until it listens; its output goes
     * to {@code rendezvous.out}, after a restart to {@code rendezvous-2.out} and so on.
     */
    PeerProcess startRendezvous() throws IOException, InterruptedException {
        if (rendezvous != null) {
            throw new IllegalStateException("the rendezvous runs already (pid " + rendezvous.pid() + ")");
        }
        rendezvousStarts++;
        Path out = dir.resolve(rendezvousStarts == 1 ? "rendezvous.out" : "rendezvous-" + rendezvousStarts + ".out");
        List<String> command = new ArrayList<>(List.of(java(), "-jar", RENDEZVOUS_JAR.toString(), "--port", "7000"));
        command.addAll(rendezvousOptions);
        rendezvous = start("rdv", command, out);
        PeerProcess started = new PeerProcess(rendezvous, out);
        started.await("listening on", java.time.Duration.ofSeconds(20));
        return started;
    }

    /**
     * Kills the rendezvous with SIGKILL, by the exact pid of its JVM ({@code ip netns exec} execs it), so
     * that it closes nothing politely, and waits until it is gone.
     */
    void killRendezvous() throws InterruptedException {
        if (rendezvous == null) {
            throw new IllegalStateException("the rendezvous is not running");
        }
        Process killed = rendezvous;
        rendezvous = null;
        killed.descendants().forEach(ProcessHandle::destroyForcibly);
        killed.destroyForcibly();   // SIGKILL on Linux
        if (!killed.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the rendezvous (pid " + killed.pid() + ") survived SIGKILL for 10 s");
        }
    }

    /** Starts a command on lab host {@code host} (rdv, a, b); it is killed at {@link #close()}. */
    Process start(String host, List<String> command, Path output) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + host));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("XDG_CONFIG_HOME", configHome.toString());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** A {@code bin/peer} on host {@code a} or {@code b}. */
    PeerProcess peer(String host, Path dir, String... args) throws IOException {
        Path out = dir.resolve(host + ".out");
        return new PeerProcess(start(host, PeerProcess.command(args), out), out);
    }

    /** Captures every SYN and SYN-ACK of port 8000 on {@code host}'s eth0, with absolute sequence numbers. */
    PunchCapture capture(String host, Path file) throws IOException, InterruptedException {
        return new PunchCapture(tcpdump(host, file, "-S", "tcp port 8000 and tcp[tcpflags] & tcp-syn != 0"), file);
    }

    /** A {@code tcpdump -i eth0 -nn -tt -l -U ARGS...} on {@code host}, once it is listening. */
    Process tcpdump(String host, Path file, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tcpdump", "-i", "eth0", "-nn", "-tt", "-l", "-U"));
        command.addAll(List.of(args));
        Process tcpdump = start(host, command, file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(file).contains("listening on") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return tcpdump;
    }

    /** Runs a command on lab host {@code host} and returns its output. */
    String exec(String host, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + host));
        full.addAll(List.of(command));
        return NetnsLab.run(full.toArray(String[]::new));
    }

    @Override
    public void close() {
        if (guard != null) {
            guard.release();
        }
        processes.stopAll();
        NetnsLab.deleteTree(configHome);
        try {
            run(prefix, SCRIPT.toString(), "down");
        } catch (IOException | InterruptedException e) {
            System.out.println("nat-lab down failed: " + e.getMessage());
        }
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String run(String prefix, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NAT_LAB_PREFIX", prefix);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }
}
