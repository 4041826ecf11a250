package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paste throughput and one-way latency between two real peers in two network namespaces joined by a veth
 * pair, TLS on, journals in a config directory on disk: lines of 60 bytes piped into alice's standard input,
 * timed from the first byte written until bob has printed the last line (each line once and in order,
 * asserted), next to {@code nc} carrying the same bytes over the same link. One-way latency: one line
 * written to alice's input until bob prints it. Prints median, spread and trials; fails only if a line is
 * lost, repeated or out of order. System properties: {@code paste.trials} (3), {@code paste.latencySamples}
 * (30).
 */
@Tag("benchmark")
class PasteBenchmarkIT {

    private static final int TRIALS = Integer.getInteger("paste.trials", 3);
    private static final int LATENCY_SAMPLES = Integer.getInteger("paste.latencySamples", 30);
    private static final int[] SIZES = {20_000, 100_000};
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("paste benchmark");
    }

    @Test
    void pasteThroughputAndOneWayLatency() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        List<String> report = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.create()) {
            Process alice = lab.start(lab.a, PeerProcess.command("--local", "8000", "--remote", lab.addressB + ":8000",
                    "--name", "alice"), dir.resolve("alice.out"));
            Process bob = lab.startPiped(lab.b, PeerProcess.command("--local", "8000", "--remote",
                    lab.addressA + ":8000", "--name", "bob"));
            PeerOutput shown = new PeerOutput(bob.getInputStream(), "bob");
            shown.await("connected to alice", WAIT);
            OutputStream typed = alice.getOutputStream();

            List<Double> latencies = new ArrayList<>();
            for (int i = 1; i <= LATENCY_SAMPLES; i++) {
                long start = System.nanoTime();
                typed.write(("latency-" + i + "\n").getBytes(StandardCharsets.UTF_8));
                typed.flush();
                PeerOutput.Line line = shown.await("alice: latency-" + i, WAIT);
                latencies.add((line.nanos() - start) / 1e6);
            }
            report.add(String.format(Locale.ROOT, "one-way latency of one line (stdin to the other's stdout): median %.2f ms,"
                    + " p90 %.2f ms, min %.2f ms, max %.2f ms (%d samples)", Stats.median(latencies),
                    Stats.percentile(latencies, 90), Stats.min(latencies), Stats.max(latencies), latencies.size()));

            for (int size : SIZES) {
                List<Double> rates = new ArrayList<>();
                for (int trial = 1; trial <= TRIALS; trial++) {
                    rates.add(paste(typed, shown, "p" + size + "t" + trial, size));
                    System.out.printf(Locale.ROOT, "paste %,d lines, trial %d: %,.0f lines/s%n", size, trial,
                            rates.get(rates.size() - 1));
                }
                List<Double> nc = new ArrayList<>();
                for (int trial = 1; trial <= TRIALS; trial++) {
                    nc.add(netcat(lab, size, 9000 + trial));
                }
                report.add(String.format(Locale.ROOT, "%,d lines of 60 bytes: simchat median %,.0f lines/s (min %,.0f,"
                        + " max %,.0f; %d trials; %s); nc median %.1f ms for the same bytes (min %.1f, max %.1f)",
                        size, Stats.median(rates), Stats.min(rates), Stats.max(rates), rates.size(),
                        String.join(", ", rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()),
                        Stats.median(nc), Stats.min(nc), Stats.max(nc)));
            }
            assertThat(shown.all()).noneMatch(l -> l.contains("connection to alice lost"));
        }
        System.out.println("PASTE BENCHMARK (TLS 1.3, journals on disk, two namespaces over veth; load before: "
                + loadBefore + ", after: " + Files.readString(Path.of("/proc/loadavg")).strip() + ")");
        report.forEach(line -> System.out.println("  " + line));
    }

    /** Pastes {@code count} numbered lines into alice; returns lines per second until bob printed them all. */
    private static double paste(OutputStream typed, PeerOutput shown, String tag, int count) throws Exception {
        byte[] bytes = lines(tag, count);
        long start = System.nanoTime();
        // Written from another thread: alice stops reading its input while its queue is full.
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                typed.write(bytes);
                typed.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String prefix = "alice: " + tag + "-";
        int expected = 1;
        long last = start;
        while (expected <= count) {
            PeerOutput.Line line = shown.next(WAIT);
            int at = line.text().indexOf(prefix);
            if (at < 0) {
                assertThat(line.text()).as("only status lines between the pasted ones").startsWith("* ");
                continue;
            }
            int seq = Integer.parseInt(line.text().substring(at + prefix.length(), at + prefix.length() + 7));
            assertThat(seq).as("every line once, in order").isEqualTo(expected);
            expected++;
            last = line.nanos();
        }
        writing.join();
        return count / ((last - start) / 1e9);
    }

    /** {@code count} lines of exactly 60 bytes (newline included): {@code tag-0000001 xxx...}. */
    static byte[] lines(String tag, int count) {
        StringBuilder text = new StringBuilder(count * 60);
        for (int i = 1; i <= count; i++) {
            String head = String.format(Locale.ROOT, "%s-%07d ", tag, i);
            text.append(head).append("x".repeat(59 - head.length())).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Milliseconds for nc to carry the same bytes from a to b, from the sender's start to the receiver's last byte. */
    private static double netcat(NetnsLab lab, int count, int port) throws Exception {
        byte[] bytes = lines("nc", count);
        Process listener = lab.startPiped(lab.b, List.of("nc", "-v", "-n", "-l", String.valueOf(port)));
        PeerOutput received = new PeerOutput(listener.getInputStream(), "nc");
        received.await("Listening on", WAIT);
        long start = System.nanoTime();
        Process sender = lab.startPiped(lab.a, List.of("nc", "-n", "-N", lab.addressB, String.valueOf(port)));
        CompletableFuture.runAsync(() -> {
            try (OutputStream out = sender.getOutputStream()) {
                out.write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        PeerOutput.Line last = received.await(String.format(Locale.ROOT, "nc-%07d ", count), WAIT);
        double millis = (last.nanos() - start) / 1e6;
        sender.waitFor();
        listener.waitFor();
        return millis;
    }
}
