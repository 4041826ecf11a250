package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a peer costs at rest, next to {@code socat} doing the same: CPU (from {@code /proc/PID/stat}) over
 * {@code rest.seconds} (60) once the first 5 s have passed, resident memory and threads at the end (and the
 * peak, {@code VmHWM}), for
 * <ul>
 *   <li>a peer waiting alone: its partner's host (a second namespace over a veth pair) answers with resets;</li>
 *   <li>a {@code socat} retry loop doing the same from the same port, 5 attempts a second (the peer's paced
 *       ceiling);</li>
 *   <li>two peers connected and idle (heartbeats only), and two {@code socat} processes connected and idle;</li>
 *   <li>five peers in one namespace, each waiting for a different absent partner on that same host, so that
 *       each one's refused attempts make resets that the others see.</li>
 * </ul>
 * Each case runs in network namespaces of its own, all cases of a trial at once (started one after another). The peers run with the JVM
 * options of {@code bin/lib/peer.jvm-options} (system property {@code rest.javaOptions} replaces them; empty for
 * the JVM's defaults). Prints median and spread over {@code rest.trials} (3) trials; fails only if a peer
 * exits or the pair does not connect, never on a figure.
 */
@Tag("benchmark")
@Tag("lab")
class RestBenchmarkIT {

    private static final int TRIALS = Integer.getInteger("rest.trials", 3);
    private static final int SECONDS = Integer.getInteger("rest.seconds", 60);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path OPTIONS_FILE = PeerProcess.ROOT.resolve("bin/lib/peer.jvm-options");
    private static final int NEIGHBOURS = 5;
    private static final long TICKS_PER_SECOND = 100;   // USER_HZ, fixed at 100 for user space on Linux

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("rest benchmark");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")),
                "socat (apt-get install -y socat) for the baseline");
    }

    @Test
    void cpuAndMemoryOfPeersAtRestNextToSocat() throws Exception {
        String javaOptions = javaOptions();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (int trial = 1; trial <= TRIALS; trial++) {
            trial(trial, javaOptions, samples);
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nRest benchmark: %d trials, CPU over %d s after the first %d s;"
                + " load average before: %s, after: %s%n", TRIALS, SECONDS, SETTLE.toSeconds(), loadBefore, loadAfter));
        out.append("peer JVM options: ").append(javaOptions.isEmpty() ? "(JVM defaults)" : javaOptions).append('\n');
        out.append(String.format(Locale.ROOT, "%-58s %5s  %-26s %-26s %-22s %s%n", "case", "n",
                "CPU % of a core: median (min-max)", "RSS MiB: median (min-max)", "peak RSS MiB: median", "threads"));
        samples.forEach((name, list) -> out.append(line(name, list)));
        System.out.println(out);
        Files.writeString(Path.of("target", "rest-benchmark.txt"), out.toString());
    }

    private void trial(int trial, String javaOptions, Map<String, List<Sample>> samples) throws Exception {
        Path trialDir = Files.createDirectories(dir.resolve("trial-" + trial));
        try (NetnsLab alone = NetnsLab.create(); NetnsLab socatAlone = NetnsLab.create();
             NetnsLab pair = NetnsLab.create(); NetnsLab socatPair = NetnsLab.create();
             NetnsLab neighbours = NetnsLab.create()) {
            Map<String, List<Process>> cases = new LinkedHashMap<>();

            Path aloneOut = trialDir.resolve("alone.out");
            Process waiting = alone.start(alone.a, peer(javaOptions, "--local", "8000", "--remote",
                    alone.addressB + ":8000", "--name", "alone"), aloneOut);
            cases.put("peer waiting alone (partner's host resets)", List.of(waiting));
            // Started one case after another: nine JVMs starting at once on two cores measure the start-up.
            new PeerProcess(waiting, aloneOut).await("dialing", WAIT);

            cases.put("socat retry loop alone (5 attempts/s, same port)", List.of(socatAlone.start(socatAlone.a,
                    List.of("socat", "-u", "STDIN", "TCP:" + socatAlone.addressB + ":8000,sourceport=8000,reuseaddr,"
                            + "retry=100000,interval=0.2"), trialDir.resolve("socat-alone.out"))));

            Path aOut = trialDir.resolve("a.out");
            Path bOut = trialDir.resolve("b.out");
            Process a = pair.start(pair.a, peer(javaOptions, "--local", "8000", "--remote", pair.addressB + ":8000",
                    "--name", "a"), aOut);
            Process b = pair.start(pair.b, peer(javaOptions, "--local", "8000", "--remote", pair.addressA + ":8000",
                    "--name", "b"), bOut);
            cases.put("peers connected, idle (each)", List.of(a, b));
            new PeerProcess(a, aOut).await("connected to", WAIT);
            new PeerProcess(b, bOut).await("connected to", WAIT);

            Process listener = socatPair.start(socatPair.b, List.of("socat", "-u", "TCP-LISTEN:8000,reuseaddr",
                    "STDOUT"), trialDir.resolve("socat-listen.out"));
            Thread.sleep(200);   // socat has no readiness line; the connect below retries anyway
            Process connector = socatPair.start(socatPair.a, List.of("socat", "-u", "STDIN", "TCP:"
                    + socatPair.addressB + ":8000,retry=50,interval=0.1"), trialDir.resolve("socat-connect.out"));
            cases.put("socat connected, idle (each)", List.of(listener, connector));

            List<Process> five = new ArrayList<>();
            for (int i = 1; i <= NEIGHBOURS; i++) {
                Path out = trialDir.resolve("neighbour-" + i + ".out");
                Process p = neighbours.start(neighbours.a, peer(javaOptions, "--local", "" + (8000 + i), "--remote",
                        "127.0.0.1:" + (9000 + i), "--name", "n" + i), out);
                five.add(p);
                new PeerProcess(p, out).await("dialing", WAIT);
            }
            cases.put(NEIGHBOURS + " peers in one namespace, each for an absent partner there", five);

            Thread.sleep(SETTLE.toMillis());

            Map<Process, long[]> before = new LinkedHashMap<>();
            long start = System.nanoTime();
            for (List<Process> list : cases.values()) {
                for (Process p : list) {
                    before.put(p, cpuTicks(p));
                }
            }
            Thread.sleep(SECONDS * 1000L);
            double elapsed = (System.nanoTime() - start) / 1e9;
            for (Map.Entry<String, List<Process>> c : cases.entrySet()) {
                for (Process p : c.getValue()) {
                    assertThat(p.isAlive()).as("%s (pid %d) still running after %d s, trial %d", c.getKey(), p.pid(),
                            SECONDS, trial).isTrue();
                    long[] after = cpuTicks(p);
                    double cpu = 100.0 * (after[0] - before.get(p)[0]) / TICKS_PER_SECOND / elapsed;
                    samples.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(new Sample(cpu,
                            statusKib(p, "VmRSS") / 1024.0, statusKib(p, "VmHWM") / 1024.0, statusKib(p, "Threads")));
                }
            }
        }
    }

    /** The {@code bin/peer} command line, with these JVM options in {@code PEER_JAVA_OPTS}. */
    private static List<String> peer(String javaOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "PEER_JAVA_OPTS=" + javaOptions));
        command.addAll(PeerProcess.command(args));
        return command;
    }

    /** The options of {@code bin/lib/peer.jvm-options} (one a line, {@code #} comments), or the property's. */
    private static String javaOptions() throws IOException {
        String given = System.getProperty("rest.javaOptions");
        if (given != null) {
            return given.strip();
        }
        return Files.readAllLines(OPTIONS_FILE).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.joining(" "));
    }

    /** User plus system CPU of the process so far, in clock ticks ({@code /proc/PID/stat} fields 14 and 15). */
    private static long[] cpuTicks(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc", "" + p.pid(), "stat"));
        // The command name, in parentheses, may hold spaces: count fields from after its closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12])};
    }

    /** A number from {@code /proc/PID/status}: kB for memory lines, a count for {@code Threads}. */
    private static long statusKib(Process p, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", "" + p.pid(), "status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).strip().split("\\s+")[0]);
            }
        }
        throw new IOException(key + " not in /proc/" + p.pid() + "/status");
    }

    private static String line(String name, List<Sample> list) {
        List<Double> cpu = list.stream().map(Sample::cpuPercent).sorted().toList();
        List<Double> rss = list.stream().map(Sample::rssMib).sorted().toList();
        List<Double> peak = list.stream().map(Sample::peakMib).sorted().toList();
        List<Long> threads = list.stream().map(Sample::threads).sorted().toList();
        return String.format(Locale.ROOT, "%-58s %5d  %-26s %-26s %-22s %d-%d%n", name, list.size(),
                String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(cpu), cpu.get(0), cpu.get(cpu.size() - 1)),
                String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median(rss), rss.get(0), rss.get(rss.size() - 1)),
                String.format(Locale.ROOT, "%.1f", median(peak)), threads.get(0), threads.get(threads.size() - 1));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One process's figures at the end of a trial. */
    private record Sample(double cpuPercent, double rssMib, double peakMib, long threads) {
    }
}
