package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File throughput between two real peers in two network namespaces joined by a veth pair: alice runs with
 * {@code --send FILE}, bob with {@code --accept-files}; timed from bob's "receiving" line to his "received ...
 * SHA-256 verified" line (the file on disk, hashed, under its final name), with TLS and with {@code --plaintext},
 * next to {@code nc} carrying the same file over the same link into a file. During the TLS trials alice types a
 * line every 100 ms; its one-way latency (her stdin to bob's stdout) shows whether chat waits behind file data.
 * Prints median, spread and trials; fails only if a file does not arrive whole. System properties:
 * {@code files.mib} (1024), {@code files.trials} (3).
 */
@Tag("benchmark")
class FileTransferBenchmarkIT {

    private static final int MIB = Integer.getInteger("files.mib", 1024);
    private static final int TRIALS = Integer.getInteger("files.trials", 3);
    private static final Duration WAIT = Duration.ofSeconds(300);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("file transfer benchmark");
    }

    @Test
    void fileThroughputNextToNetcat() throws Exception {
        Path file = randomFile(dir.resolve("big.bin"), MIB);
        long bytes = Files.size(file);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        List<String> report = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.create()) {
            Path aliceConfig = PeerProcess.freshConfigDir();
            Path bobConfig = PeerProcess.freshConfigDir();
            for (boolean tls : new boolean[] {true, false}) {
                List<Double> rates = new ArrayList<>();
                List<Double> latencies = new ArrayList<>();
                for (int trial = 1; trial <= TRIALS; trial++) {
                    rates.add(trial(lab, file, bytes, tls, aliceConfig, bobConfig, trial, latencies));
                    System.out.printf(Locale.ROOT, "simchat %s, trial %d: %.0f MiB/s%n", tls ? "TLS" : "plaintext",
                            trial, rates.get(rates.size() - 1));
                }
                report.add(String.format(Locale.ROOT, "simchat %-9s median %6.0f MiB/s (min %.0f, max %.0f; %d trials: %s)",
                        tls ? "TLS 1.3" : "plaintext", Stats.median(rates), Stats.min(rates), Stats.max(rates),
                        rates.size(), join(rates)));
                if (tls) {
                    report.add(String.format(Locale.ROOT, "chat during the TLS transfers: one-way latency median %.1f ms,"
                            + " p90 %.1f ms, max %.1f ms (%d lines)", Stats.median(latencies),
                            Stats.percentile(latencies, 90), Stats.max(latencies), latencies.size()));
                }
            }
            List<Double> nc = new ArrayList<>();
            for (int trial = 1; trial <= TRIALS; trial++) {
                nc.add(netcat(lab, file, bytes, 9100 + trial));
            }
            report.add(String.format(Locale.ROOT, "nc (into a file)  median %6.0f MiB/s (min %.0f, max %.0f; %d trials: %s)",
                    Stats.median(nc), Stats.min(nc), Stats.max(nc), nc.size(), join(nc)));
        }
        String header = "FILE TRANSFER BENCHMARK (" + MIB + " MiB, two namespaces over veth, file to file; load before: "
                + loadBefore + ", after: " + Files.readString(Path.of("/proc/loadavg")).strip() + ")";
        System.out.println(header);
        report.forEach(line -> System.out.println("  " + line));
        List<String> lines = new ArrayList<>(List.of(header));
        report.forEach(line -> lines.add("  " + line));
        Files.write(PeerProcess.ROOT.resolve("peer/target/file-transfer-benchmark.txt"), lines);
    }

    /** One transfer alice to bob; returns MiB/s from bob's "receiving" line to his "received" line. */
    private double trial(NetnsLab lab, Path file, long bytes, boolean tls, Path aliceConfig, Path bobConfig, int trial,
                         List<Double> latencies) throws Exception {
        Path downloads = Files.createDirectory(dir.resolve((tls ? "tls-" : "plain-") + trial));
        List<String> security = tls ? List.of() : List.of("--plaintext");
        List<String> aliceArgs = new ArrayList<>(List.of("--local", "8000", "--remote", lab.addressB + ":8000",
                "--name", "alice", "--send", file.toString()));
        aliceArgs.addAll(security);
        List<String> bobArgs = new ArrayList<>(List.of("--local", "8000", "--remote", lab.addressA + ":8000",
                "--name", "bob", "--accept-files", "--download-dir", downloads.toString()));
        bobArgs.addAll(security);
        Process alice = lab.startPiped(lab.a, PeerProcess.command(aliceConfig, aliceArgs.toArray(String[]::new)));
        new PeerOutput(alice.getInputStream(), "alice");
        Process bob = lab.startPiped(lab.b, PeerProcess.command(bobConfig, bobArgs.toArray(String[]::new)));
        PeerOutput shown = new PeerOutput(bob.getInputStream(), "bob");
        long start = shown.await("* receiving big.bin", WAIT).nanos();
        Map<Integer, Long> typedAt = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread typist = new Thread(() -> type(alice.getOutputStream(), typedAt, done, tls), "typist");
        typist.start();
        long end;
        while (true) {
            PeerOutput.Line line = shown.next(WAIT);
            int at = line.text().indexOf("alice: lat-");
            if (at >= 0) {
                int n = Integer.parseInt(line.text().substring(at + "alice: lat-".length()).strip());
                latencies.add((line.nanos() - typedAt.get(n)) / 1e6);
            } else if (line.text().startsWith("* received big.bin")) {
                assertThat(line.text()).contains("SHA-256").contains("verified");
                end = line.nanos();
                break;
            } else {
                assertThat(line.text()).as("the transfer does not fail").doesNotContain("failed", "error");
            }
        }
        done.set(true);
        typist.join();
        assertThat(Files.size(downloads.resolve("big.bin"))).isEqualTo(bytes);
        assertThat(alice.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(bob.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(alice.exitValue()).isZero();
        assertThat(bob.exitValue()).isZero();
        Files.delete(downloads.resolve("big.bin"));
        return bytes / 1048576.0 / ((end - start) / 1e9);
    }

    /** Types {@code lat-N} every 100 ms while the transfer runs (with {@code chat}), then ends alice's input. */
    private static void type(OutputStream in, Map<Integer, Long> typedAt, AtomicBoolean done, boolean chat) {
        try (in) {
            for (int n = 1; chat && !done.get(); n++) {
                typedAt.put(n, System.nanoTime());
                in.write(("lat-" + n + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // Alice has gone: nothing more to type.
        }
    }

    /** MiB/s for nc to carry the file from a into a file in b, from the sender's start to the receiver's exit. */
    private double netcat(NetnsLab lab, Path file, long bytes, int port) throws Exception {
        Path received = dir.resolve("nc-" + port + ".bin");
        Process listener = lab.startPiped(lab.b, List.of("sh", "-c", "exec nc -v -n -l " + port + " > " + received));
        new PeerOutput(listener.getInputStream(), "nc").await("Listening on", WAIT);
        long start = System.nanoTime();
        Process sender = lab.startPiped(lab.a, List.of("sh", "-c", "exec nc -n -N " + lab.addressB + " " + port
                + " < " + file));
        assertThat(listener.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long end = System.nanoTime();
        sender.waitFor();
        assertThat(Files.size(received)).isEqualTo(bytes);
        Files.delete(received);
        return bytes / 1048576.0 / ((end - start) / 1e9);
    }

    /** {@code mib} MiB of random bytes (a fresh random block per MiB, so nothing on the way can compress it). */
    private static Path randomFile(Path file, int mib) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(block);
                ByteBuffer buffer = ByteBuffer.wrap(block);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
        return file;
    }

    private static String join(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }
}
