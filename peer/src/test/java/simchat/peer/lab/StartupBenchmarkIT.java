package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.tls.ConfigDir;
import simchat.peer.tls.Fingerprint;
import simchat.peer.tls.KnownPeers;
import simchat.peer.tls.LocalIdentity;

/**
 * How long a person waits, on loopback, with {@code bin/peer} as the user runs it (identity present, TLS on):
 * <ul>
 * <li>start to the first SYN, taken from a {@code tcpdump -i lo -tt} capture against the wall clock read just
 * before the process starts, set in the same run against {@code nc} (start to its SYN) and {@code java
 * -version} (start to exit), and against {@code bin/peer} without its class archive ({@code SIMCHAT_CDS=off})
 * with C1 only and no perf data ({@code PEER_JAVA_OPTS}), and with {@code --plaintext}; with {@code -Dstartup.baselineJar=JAR} also {@code java -jar JAR} (an older
 * build) next to {@code java -jar} of this one, both without an archive;</li>
 * <li>the second peer started 1 s after the first, until both have printed {@code connected} (first contact
 * already remembered: both {@code known_peers} hold the other's key), then the one-way latency of the first
 * and the hundredth line typed (stdin to the other's stdout).</li>
 * </ul>
 * Prints median, min-max and trials, and writes them to {@code peer/target/startup-benchmark.txt}; fails only
 * if a peer never sends a SYN, never connects or loses a line. Needs root and {@code tcpdump}. System
 * properties: {@code startup.trials} (20), {@code startup.baselineJar}.
 */
@Tag("benchmark")
class StartupBenchmarkIT {

    private static final int TRIALS = Integer.getInteger("startup.trials", 20);
    private static final int MESSAGES = 100;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = PeerProcess.ROOT.resolve("peer/target/peer.jar");

    @BeforeAll
    static void needsRootAndTcpdump() {
        NetnsLab.assumeAvailable("startup benchmark");
    }

    @Test
    void startToFirstSynAndSecondPeerToConnected() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Path config = PeerProcess.freshConfigDir();
        LocalIdentity.loadOrCreate(new ConfigDir(config));
        // One run of the launcher first: a build or the class archive it makes once is not a start-up.
        firstSyn(PeerProcess.command(config, "--local", "%L", "--remote", "127.0.0.1:%R"), Map.of());

        Map<String, List<Double>> synMillis = new LinkedHashMap<>();
        String baselineJar = System.getProperty("startup.baselineJar");
        for (int trial = 1; trial <= TRIALS; trial++) {
            // Interleaved, so that a change in the machine's load touches every variant alike.
            add(synMillis, "nc (start to SYN)", firstSyn(List.of("nc", "-p", "%L", "127.0.0.1", "%R"), Map.of()));
            add(synMillis, "java -version (start to exit)", javaVersion());
            add(synMillis, "bin/peer", firstSyn(PeerProcess.command(config, "--local", "%L", "--remote",
                    "127.0.0.1:%R"), Map.of()));
            add(synMillis, "bin/peer, SIMCHAT_CDS=off (no class archive)", firstSyn(PeerProcess.command(config,
                    "--local", "%L", "--remote", "127.0.0.1:%R"), Map.of("SIMCHAT_CDS", "off")));
            add(synMillis, "bin/peer, PEER_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:-UsePerfData",
                    firstSyn(PeerProcess.command(config, "--local", "%L", "--remote", "127.0.0.1:%R"),
                            Map.of("PEER_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:-UsePerfData")));
            add(synMillis, "bin/peer --plaintext", firstSyn(PeerProcess.command(config, "--plaintext", "--local",
                    "%L", "--remote", "127.0.0.1:%R"), Map.of()));
            if (baselineJar != null) {
                add(synMillis, "java -jar " + baselineJar + " (baseline, no archive)", firstSyn(List.of("java",
                        "-jar", baselineJar, "--config-dir", config.toString(), "--local", "%L", "--remote",
                        "127.0.0.1:%R"), Map.of()));
                add(synMillis, "java -jar peer/target/peer.jar (no archive)", firstSyn(List.of("java", "-jar",
                        JAR.toString(), "--config-dir", config.toString(), "--local", "%L", "--remote",
                        "127.0.0.1:%R"), Map.of()));
            }
        }

        List<Double> connected = new ArrayList<>();
        List<Double> firstLine = new ArrayList<>();
        List<Double> hundredthLine = new ArrayList<>();
        List<Double> middleLines = new ArrayList<>();
        Pair pair = Pair.create(TRIALS + 1);
        for (int trial = 0; trial <= TRIALS; trial++) {
            Chat chat = secondPeerToConnected(pair, trial);
            if (trial == 0) {
                continue; // the launcher's first chat of this pair: not counted, like the first start above
            }
            connected.add(chat.connectedMillis());
            firstLine.add(chat.lineMillis().get(0));
            hundredthLine.add(chat.lineMillis().get(MESSAGES - 1));
            middleLines.add(Stats.median(chat.lineMillis().subList(1, MESSAGES)));
            System.out.printf(Locale.ROOT, "trial %d: both connected %.0f ms after the second start; line 1 %.2f ms,"
                    + " line %d %.2f ms%n", trial, chat.connectedMillis(), chat.lineMillis().get(0), MESSAGES,
                    chat.lineMillis().get(MESSAGES - 1));
        }

        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        List<String> report = new ArrayList<>();
        report.add("start-up on loopback, " + TRIALS + " trials each, interleaved; "
                + Runtime.getRuntime().availableProcessors() + " cores; load average before: " + loadBefore
                + ", after: " + loadAfter);
        synMillis.forEach((what, samples) -> report.add(line("start to first SYN: " + what, samples)));
        report.add(line("second peer started 1 s after the first -> both printed connected", connected));
        report.add(line("one-way latency of the first line after connecting", firstLine));
        report.add(line("one-way latency of line " + MESSAGES, hundredthLine));
        report.add(line("one-way latency of lines 2-" + MESSAGES + " (median of each trial)", middleLines));
        System.out.println("startup benchmark:");
        report.forEach(line -> System.out.println("  " + line));
        Files.write(PeerProcess.ROOT.resolve("peer/target/startup-benchmark.txt"), report, StandardCharsets.UTF_8);
    }

    private static String line(String what, List<Double> samples) {
        return String.format(Locale.ROOT, "%s: median %.1f ms (min %.1f, max %.1f; %d trials)", what,
                Stats.median(samples), Stats.min(samples), Stats.max(samples), samples.size());
    }

    private static void add(Map<String, List<Double>> samples, String what, double millis) {
        samples.computeIfAbsent(what, k -> new ArrayList<>()).add(millis);
    }

    /**
     * Starts {@code command} ({@code %L} and {@code %R} replaced by a free local and remote port, nothing
     * listening on the remote one) and returns the milliseconds from just before its start until a loopback
     * capture saw its first SYN.
     */
    private static double firstSyn(List<String> command, Map<String, String> env) throws Exception {
        int local = freePort();
        int remote = freePort();
        List<String> resolved = command.stream()
                .map(arg -> arg.replace("%L", Integer.toString(local)).replace("%R", Integer.toString(remote)))
                .toList();
        Process capture = new ProcessBuilder("tcpdump", "-i", "lo", "-tt", "-nn", "-l", "-c", "1",
                "tcp src port " + local + " and tcp[tcpflags] & tcp-syn != 0").start();
        try {
            awaitListening(capture);
            ProcessBuilder builder = new ProcessBuilder(resolved).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(env);
            Instant start = Instant.now();
            Process process = builder.start();
            try {
                String packet;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(capture.getInputStream(),
                        StandardCharsets.US_ASCII))) {
                    packet = out.readLine();
                }
                assertThat(packet).as("a SYN from port %d by %s", local, resolved).isNotNull();
                return (seconds(packet.substring(0, packet.indexOf(' '))) - seconds(start)) * 1000;
            } finally {
                stop(process);
            }
        } finally {
            stop(capture);
        }
    }

    /** tcpdump says {@code listening on lo} on standard error once it captures. */
    private static void awaitListening(Process capture) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(capture.getErrorStream(),
                StandardCharsets.US_ASCII));
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            if (line.contains("listening on")) {
                return;
            }
        }
        throw new IOException("tcpdump ended before it captured (exit " + capture.exitValue() + ")");
    }

    private static double javaVersion() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("java", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double seconds(String epochSeconds) {
        return Double.parseDouble(epochSeconds);
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Two config directories that know each other's key for every pair of ports the trials use. */
    private record Pair(Path alice, Path bob, int[] alicePorts, int[] bobPorts) {

        static Pair create(int trials) throws IOException {
            Path alice = PeerProcess.freshConfigDir();
            Path bob = PeerProcess.freshConfigDir();
            Fingerprint aliceKey = LocalIdentity.loadOrCreate(new ConfigDir(alice)).fingerprint();
            Fingerprint bobKey = LocalIdentity.loadOrCreate(new ConfigDir(bob)).fingerprint();
            int[] alicePorts = new int[trials];
            int[] bobPorts = new int[trials];
            for (int i = 0; i < trials; i++) {
                // New ports each trial: the last trial's connection lingers in TIME_WAIT on its port pair.
                alicePorts[i] = freePort();
                bobPorts[i] = freePort();
                new KnownPeers(new ConfigDir(alice)).remember("127.0.0.1:" + bobPorts[i], bobKey);
                new KnownPeers(new ConfigDir(bob)).remember("127.0.0.1:" + alicePorts[i], aliceKey);
            }
            return new Pair(alice, bob, alicePorts, bobPorts);
        }
    }

    private record Chat(double connectedMillis, List<Double> lineMillis) {
    }

    private static Chat secondPeerToConnected(Pair pair, int trial) throws Exception {
        int a = pair.alicePorts()[trial];
        int b = pair.bobPorts()[trial];
        long aliceStart = System.nanoTime();
        Process alice = new ProcessBuilder(PeerProcess.command(pair.alice(), "--local", Integer.toString(a),
                "--remote", "127.0.0.1:" + b, "--name", "alice")).redirectErrorStream(true).start();
        Process bob = null;
        try {
            PeerOutput aliceShows = new PeerOutput(alice.getInputStream(), "alice");
            aliceShows.await("dialing", WAIT);
            // The scenario: the second person starts a second after the first (alice is dialing by now).
            long wait = aliceStart + TimeUnit.SECONDS.toNanos(1) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long bobStart = System.nanoTime();
            bob = new ProcessBuilder(PeerProcess.command(pair.bob(), "--local", Integer.toString(b), "--remote",
                    "127.0.0.1:" + a, "--name", "bob")).redirectErrorStream(true).start();
            PeerOutput bobShows = new PeerOutput(bob.getInputStream(), "bob");
            long connected = Math.max(aliceShows.await("connected to bob", WAIT).nanos(),
                    bobShows.await("connected to alice", WAIT).nanos());
            assertThat(aliceShows.all()).as("alice's output").noneMatch(l -> l.contains("first contact"));

            OutputStream typed = alice.getOutputStream();
            List<Double> lines = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                long sent = System.nanoTime();
                typed.write(("line-" + i + "\n").getBytes(StandardCharsets.UTF_8));
                typed.flush();
                lines.add((bobShows.await("alice: line-" + i, WAIT).nanos() - sent) / 1e6);
            }
            typed.close();
            assertThat(alice.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("alice ends after her input").isTrue();
            assertThat(bob.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("bob ends when alice leaves").isTrue();
            return new Chat((connected - bobStart) / 1e6, lines);
        } finally {
            stop(alice);
            if (bob != null) {
                stop(bob);
            }
        }
    }
}
