package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connect-time benchmark of the peer issue, measured from packet captures: two hosts (network
 * namespaces joined by a veth pair), the second peer started anywhere from 0 to 60 s after the first.
 * For each trial it reports the time from the second peer's first SYN until both SYN-ACKs have crossed
 * (both sides ESTABLISHED), and the first peer's SYN rate while it was alone after its first 2 s.
 * It prints figures, not verdicts: it fails only if a trial never connects.
 *
 * <p>Each trial gets its own pair of namespaces, so one trial's SYNs can never knock on another's host.
 * Two trials run at a time: both peers of a trial share this machine's cores (unlike two real peers),
 * and five at a time put ten JVMs and their TLS handshakes on two cores, which measured the lab's
 * overload more than the dialer (BENCHMARKS.md). System properties: {@code connect.trials} (50),
 * {@code connect.parallel} (2), {@code connect.maxDelay} in seconds (60).
 */
@Tag("benchmark")
@Tag("lab")
class ConnectBenchmarkLabIT {

    private static final int TRIALS = Integer.getInteger("connect.trials", 50);
    private static final int PARALLEL = Integer.getInteger("connect.parallel", 2);
    private static final double MAX_DELAY_S = Integer.getInteger("connect.maxDelay", 60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PORT = 8000;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("connect benchmark");
    }

    @Test
    void secondPeerStartedZeroToSixtySecondsLate() throws Exception {
        Random random = new Random();
        List<Double> delays = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            delays.add(MAX_DELAY_S * (i + random.nextDouble()) / TRIALS);   // stratified over 0..60 s
        }
        Collections.shuffle(delays, random);

        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<Future<Trial>> futures = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            int n = i;
            // The first round of workers starts 1.5 s apart, so that JVM start-ups do not pile up on
            // one another (two cores): the figures are about dialing, not about a saturated machine.
            long stagger = n < PARALLEL ? n * 1_500L : 0;
            futures.add(pool.submit(() -> {
                Thread.sleep(stagger);
                return trial(n, delays.get(n));
            }));
        }
        List<Trial> trials = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Future<Trial> f : futures) {
            try {
                trials.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(String.valueOf(e.getCause().getMessage()));
            }
        }
        pool.shutdown();

        String report = report(trials, failures.size());
        System.out.println(report);
        Files.writeString(Path.of("target", "connect-benchmark.txt"), report);
        assertThat(failures).as("trials in which the peers never connected").isEmpty();
    }

    private Trial trial(int n, double delaySeconds) throws Exception {
        Path trialDir = Files.createDirectories(dir.resolve("trial-" + n));
        try (NetnsLab lab = NetnsLab.create()) {
            var capture = lab.capture(lab.b, trialDir.resolve("b.pcap.txt"));
            Path aOut = trialDir.resolve("a.out");
            Path bOut = trialDir.resolve("b.out");
            var first = new PeerProcess(lab.start(lab.a, PeerProcess.command("--local", "" + PORT, "--remote",
                    lab.addressB + ":" + PORT, "--name", "first", "--json", "-v"), aOut), aOut);
            first.await("\"event\":\"dialing\"", WAIT);
            Thread.sleep(Math.round(delaySeconds * 1000));
            var second = new PeerProcess(lab.start(lab.b, PeerProcess.command("--local", "" + PORT, "--remote",
                    lab.addressA + ":" + PORT, "--name", "second", "--json", "-v"), bOut), bOut);
            first.await("\"event\":\"connected\"", WAIT);
            second.await("\"event\":\"connected\"", WAIT);
            first.endInput();
            second.endInput();
            first.exitCode(WAIT);
            second.exitCode(WAIT);
            Trial trial = Trial.of(capture.stop(), lab.addressA, lab.addressB, delaySeconds);
            if (trial.connectMillis() > 500 || !trial.bothSynAcks()) {
                // Keep the evidence of a slow trial for a look afterwards.
                Path keep = Files.createDirectories(Path.of("target", "slow-trials", "trial-" + n));
                for (Path file : List.of(aOut, bOut, trialDir.resolve("b.pcap.txt"))) {
                    Files.copy(file, keep.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return trial;
        }
    }

    /** One trial's figures, all from the capture at the second peer's interface. */
    record Trial(double delaySeconds, double connectMillis, boolean bothSynAcks, int secondSyns,
                 int firstMaxPerSecond, double firstMeanPerSecond, int firstSyns, int firstEagerSyns,
                 int mostInAnySecond) {

        static Trial of(List<Segment> segments, String a, String b, double delaySeconds) {
            double firstSyn = segments.stream().filter(s -> s.syn() && s.from(a, PORT))
                    .mapToDouble(Segment::time).min().orElseThrow();
            double secondSyn = segments.stream().filter(s -> s.syn() && s.from(b, PORT))
                    .mapToDouble(Segment::time).min().orElseThrow();
            List<Segment> synAcks = segments.stream().filter(Segment::synAck).toList();
            double established = synAcks.stream().mapToDouble(Segment::time).max().orElseThrow();
            boolean both = Segment.simultaneousOpenAt(segments, a, PORT) && Segment.simultaneousOpenAt(segments, b, PORT);
            int secondSyns = (int) segments.stream().filter(s -> s.syn() && s.from(b, PORT) && s.time() <= established).count();
            int firstSyns = (int) segments.stream().filter(s -> s.syn() && s.from(a, PORT) && s.time() <= established).count();
            // The first peer's SYNs once the second one dialed: its answer to the knock.
            int firstEager = (int) segments.stream()
                    .filter(s -> s.syn() && s.from(a, PORT) && s.time() >= secondSyn && s.time() <= established).count();
            int most = Math.max(mostInAnySecond(segments, a), mostInAnySecond(segments, b));

            // The first peer alone, once its 2 s eager phase is over, until the second peer's first SYN.
            List<Double> alone = segments.stream()
                    .filter(s -> s.syn() && s.from(a, PORT) && s.time() >= firstSyn + 2 && s.time() < secondSyn)
                    .map(Segment::time).sorted().toList();
            int worst = 0;
            for (int i = 0, j = 0; i < alone.size(); i++) {
                while (j < alone.size() && alone.get(j) - alone.get(i) < 1.0) {
                    j++;
                }
                worst = Math.max(worst, j - i);
            }
            double aloneSeconds = secondSyn - (firstSyn + 2);
            double mean = aloneSeconds > 1 ? alone.size() / aloneSeconds : Double.NaN;
            return new Trial(secondSyn - firstSyn, (established - secondSyn) * 1000, both, secondSyns,
                    aloneSeconds > 1 ? worst : -1, mean, firstSyns, firstEager, most);
        }

        /** The most SYNs (retransmissions included) one host sent in any one-second window of the capture. */
        private static int mostInAnySecond(List<Segment> segments, String host) {
            List<Double> times = segments.stream().filter(s -> s.syn() && s.from(host, PORT)).map(Segment::time)
                    .sorted().toList();
            int most = 0;
            for (int i = 0, j = 0; i < times.size(); i++) {
                while (j < times.size() && times.get(j) - times.get(i) < 1.0) {
                    j++;
                }
                most = Math.max(most, j - i);
            }
            return most;
        }
    }

    private static String report(List<Trial> trials, int failed) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nConnect benchmark: two network namespaces joined by a veth pair;"
                + " second peer started 0-%.0f s after the first%n", MAX_DELAY_S));
        out.append(String.format(Locale.ROOT, "trials: %d, connected: %d, never connected: %d, "
                + "SYN-ACK from both sides (SYNs crossed): %d%n", trials.size() + failed, trials.size(), failed,
                trials.stream().filter(Trial::bothSynAcks).count()));
        if (trials.isEmpty()) {
            return out.toString();
        }
        List<Double> connect = trials.stream().map(Trial::connectMillis).sorted().toList();
        out.append(String.format(Locale.ROOT, "connect time after the second peer's first SYN: median %.1f ms, "
                        + "p95 %.1f ms, min %.1f ms, max %.1f ms%n",
                percentile(connect, 50), percentile(connect, 95), connect.get(0), connect.get(connect.size() - 1)));
        List<Double> syns = trials.stream().map(t -> (double) t.secondSyns()).sorted().toList();
        out.append(String.format(Locale.ROOT, "SYNs the second peer sent until connected: median %.0f, p95 %.0f,"
                + " max %.0f%n", percentile(syns, 50), percentile(syns, 95), syns.get(syns.size() - 1)));
        List<Double> first = trials.stream().map(t -> (double) t.firstSyns()).sorted().toList();
        List<Double> firstEager = trials.stream().map(t -> (double) t.firstEagerSyns()).sorted().toList();
        out.append(String.format(Locale.ROOT, "SYNs the first peer sent until connected: median %.0f, p95 %.0f,"
                + " max %.0f; of them after the second peer's first SYN: median %.0f, p95 %.0f, max %.0f%n",
                percentile(first, 50), percentile(first, 95), first.get(first.size() - 1),
                percentile(firstEager, 50), percentile(firstEager, 95), firstEager.get(firstEager.size() - 1)));
        List<Double> most = trials.stream().map(t -> (double) t.mostInAnySecond()).sorted().toList();
        out.append(String.format(Locale.ROOT, "most SYNs either peer sent in any 1-s window: median %.0f, p95 %.0f,"
                + " max %.0f%n", percentile(most, 50), percentile(most, 95), most.get(most.size() - 1)));
        List<Trial> alone = trials.stream().filter(t -> t.firstMaxPerSecond() >= 0).toList();
        if (!alone.isEmpty()) {
            List<Double> worst = alone.stream().map(t -> (double) t.firstMaxPerSecond()).sorted().toList();
            List<Double> mean = alone.stream().map(Trial::firstMeanPerSecond).sorted().toList();
            out.append(String.format(Locale.ROOT, "first peer alone after its first 2 s (%d trials): most SYNs in any"
                    + " 1-s window: median %.0f, max %.0f; mean rate: median %.1f SYN/s%n", alone.size(),
                    percentile(worst, 50), worst.get(worst.size() - 1), percentile(mean, 50)));
        }
        out.append("per trial (sorted by delay): delay s, connect ms, second peer SYNs, first peer SYNs, most SYNs"
                + " in any second, first peer max SYN/s alone\n");
        trials.stream().sorted(Comparator.comparingDouble(Trial::delaySeconds)).forEach(t -> out.append(
                String.format(Locale.ROOT, "  %6.2f  %8.2f  %5d  %5d  %5d  %3s%s%n", t.delaySeconds(), t.connectMillis(),
                        t.secondSyns(), t.firstSyns(), t.mostInAnySecond(),
                        t.firstMaxPerSecond() < 0 ? "-" : "" + t.firstMaxPerSecond(),
                        t.bothSynAcks() ? "" : "  (one-sided)")));
        return out.toString();
    }

    /** Nearest-rank percentile of a sorted list. */
    private static double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
