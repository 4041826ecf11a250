package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.AbuseClients.Conn;
import simchat.rendezvous.AbuseClients.Kind;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;

/**
 * The rendezvous under abuse: while slowloris clients, silent clients, one address opening
 * hundreds of connections, 10,000 junk connections and oversized frames hit it, well-behaved pairs
 * keep being introduced; their introduction latency is compared with a quiet baseline. The
 * rendezvous runs as {@code RendezvousCommand} with its default limits in a child JVM, so that
 * each side has its own 20,000 open files. Prints a report and writes it to
 * {@code target/benchmark-rendezvous-abuse.md}; asserts that every pair was introduced and every
 * abusive connection was closed with its reason, never a timing.
 *
 * <p>{@code -Dbenchmark.junk=N} changes the number of junk connections, {@code
 * -Dbenchmark.serverJvmArgs="..."} adds options to the rendezvous JVM (e.g. a flight recording);
 * {@code -DskipITs} skips it.
 */
@Tag("benchmark")
class RendezvousAbuseBenchmarkIT {

    private static final int JUNK = Integer.getInteger("benchmark.junk", 10_000);
    private static final int SILENT = 1_000;
    private static final int SLOWLORIS = 200;
    private static final int FLOOD = 500;
    private static final int WARMUP = 200;
    private static final int BASELINE = 300;
    /**
     * How long a well-behaved client waits for each frame before the pair counts as not introduced;
     * the peer itself waits as long as the connection lives, but a person would give up sooner.
     */
    private static final int FRAME_WAIT_MILLIS = 30_000;
    private static final Endpoint LAN = new Endpoint("192.168.1.10", 8000);

    @Test
    void wellBehavedPeersArePairedWhileTheRendezvousIsAbused() throws Exception {
        int port = freePort();
        Process server = new ProcessBuilder(java("simchat.rendezvous.RendezvousCommand",
                "--bind", "127.0.0.1", "--port", String.valueOf(port), "--no-probe"))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        StringBuilder report = new StringBuilder();
        try (AbuseClients abuse = new AbuseClients(address)) {
            AtomicInteger warnings = drain(server);

            pairings(address, WARMUP); // JIT warm-up, not reported
            long quietFds = fds(server);
            Trials quiet = pairings(address, BASELINE);

            long[] listenBefore = ListenQueue.drops();
            long[] cpuBefore = cpuMillis(server);
            FdSampler sampler = new FdSampler(server);
            sampler.start();
            AtomicReference<Throwable> abuseFailed = new AtomicReference<>();
            AtomicLong junkMillis = new AtomicLong();
            Thread abuser = new Thread(() -> {
                try {
                    abuse.open(List.of(Kind.SILENT), SILENT, sources(2, 20), 256, 0);
                    abuse.open(List.of(Kind.SLOW_BEFORE_JOIN), SLOWLORIS, sources(3, 4), 256, 0);
                    abuse.open(List.of(Kind.SLOW_AFTER_JOIN), SLOWLORIS, sources(4, 4), 256, 0);
                    abuse.open(List.of(Kind.SILENT), FLOOD, List.of("127.0.5.1"), 256, 0);
                    long t0 = System.nanoTime();
                    // Every junk kind in turn, so that each meets all the others under load.
                    abuse.open(Kind.JUNK, JUNK, sources(1, 250), 512, 2_000);
                    junkMillis.set((System.nanoTime() - t0) / 1_000_000);
                } catch (Throwable e) {
                    abuseFailed.set(e);
                }
            }, "abuse");
            abuser.start();
            Trials underAbuse = new Trials();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while ((abuser.isAlive() || abuse.open() > 0) && System.nanoTime() < end) {
                underAbuse.add(address);
            }
            abuser.join(10_000);
            long stillOpen = abuse.awaitAllClosed(30_000);
            sampler.stop();
            long[] listenAfter = ListenQueue.drops();
            long[] cpuAfter = cpuMillis(server);
            Thread.sleep(1_000); // the server's side of the last closes
            long fdsAfter = fds(server);
            Trials after = pairings(address, 20);

            assertThat(abuseFailed.get()).as("the abusive clients ran").isNull();
            List<Conn> all = abuse.all();
            report(report, quiet, underAbuse, after, all, junkMillis.get(), sampler, quietFds, fdsAfter);
            report.append(String.format("Listen queue overflows / SYNs dropped in this network namespace during the "
                    + "abuse (from /proc/net/netstat; includes anything else running): %,d / %,d.%n",
                    listenAfter[0] - listenBefore[0], listenAfter[1] - listenBefore[1]));
            report.append(String.format("CPU time of the rendezvous process during the abuse: %.1f s user + %.1f s "
                    + "system (on loopback the system time includes the clients' side of TCP) for %,d abusive "
                    + "connections and %,d introductions.%n", (cpuAfter[0] - cpuBefore[0]) / 1000.0,
                    (cpuAfter[1] - cpuBefore[1]) / 1000.0, all.size(), underAbuse.nanos.size()));
            System.out.println("\n== rendezvous abuse benchmark ==\n" + report);
            Files.writeString(Path.of("target", "benchmark-rendezvous-abuse.md"), report.toString());

            assertThat(underAbuse.failures).as("well-behaved pairs not introduced under abuse: " + underAbuse.firstFailure).isZero();
            assertThat(after.failures).as("pairs not introduced after the abuse").isZero();
            assertThat(stillOpen).as("abusive connections the rendezvous never closed").isZero();
            assertThat(abuse.count(c -> c.connectFailed)).as("abusive connects that failed").isZero();
            assertThat(abuse.count(c -> c.laterCode != null)).as("connections that got a second error frame").isZero();
            assertThat(abuse.count(c -> c.code == null))
                    .as("abusive connections closed without an error frame giving the reason").isZero();
            assertThat(abuse.count(c -> !c.kind.expected.equals(c.code) && !ErrorCode.TOO_MANY_CONNECTIONS.equals(c.code)
                    && !ErrorCode.IDLE_TIMEOUT.equals(c.code)))
                    .as("abusive connections closed with a reason other than their own, the cap's or the join deadline's")
                    .isZero();
            assertThat(abuse.count(c -> ErrorCode.TOO_MANY_CONNECTIONS.equals(c.code)))
                    .as("connections refused beyond the per-address cap: only the flooding address's")
                    .isEqualTo(abuse.count(c -> c.source.equals("127.0.5.1") && ErrorCode.TOO_MANY_CONNECTIONS.equals(c.code)))
                    .isGreaterThanOrEqualTo(FLOOD - RendezvousConfig.DEFAULT_MAX_PENDING_PER_ADDRESS);
            assertThat(warnings.get()).as("warnings printed by the rendezvous").isZero();
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void report(StringBuilder out, Trials quiet, Trials underAbuse, Trials after, List<Conn> all,
                               long junkMillis, FdSampler sampler, long quietFds, long fdsAfter) {
        out.append("Introduction of a well-behaved pair (a connects and creates a room, b connects and joins it, until both have `peer`):\n\n")
                .append("| phase | trials | introduced | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n")
                .append(quiet.row("quiet"))
                .append(underAbuse.row("under abuse"))
                .append(after.row("after the abuse"))
                .append("\nAbusive connections:\n\n")
                .append("| kind | connections | closed with its own reason | refused (too-many-connections) "
                        + "| closed at the join deadline before its junk was read (idle-timeout) | closed without a reason |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (Kind kind : Kind.values()) {
            List<Conn> of = all.stream().filter(c -> c.kind == kind).toList();
            out.append(String.format("| %s (%s) | %,d | %,d | %,d | %s | %,d |%n", kind.name().toLowerCase().replace('_', ' '),
                    kind.expected, of.size(), of.stream().filter(Conn::closedWithExpectedReason).count(),
                    of.stream().filter(c -> ErrorCode.TOO_MANY_CONNECTIONS.equals(c.code)).count(),
                    kind.expected.equals(ErrorCode.IDLE_TIMEOUT) ? "" : String.format("%,d",
                            of.stream().filter(c -> ErrorCode.IDLE_TIMEOUT.equals(c.code)).count()),
                    of.stream().filter(c -> c.code == null).count()));
        }
        long junk = all.stream().filter(c -> Kind.JUNK.contains(c.kind)).count();
        out.append(String.format("%nJunk: %,d connections opened in %.1f s (%,.0f per second, each held 0-2 s "
                        + "before its junk).%n", junk, junkMillis / 1000.0, junk * 1000.0 / Math.max(1, junkMillis)))
                .append(junkSent(all))
                .append(String.format("Connections held by the rendezvous (open files of its process, sampled every "
                        + "100 ms): %,d quiet, peak %,d under abuse, %,d after.%n", quietFds, sampler.peak(), fdsAfter))
                .append("Time to cut (p50 / max, s): ")
                .append(cut(all, Kind.SILENT, c -> c.connectedNanos, "silent, from connect"))
                .append(cut(all, Kind.SLOW_BEFORE_JOIN, c -> c.connectedNanos, "slowloris before join, from connect"))
                .append(cut(all, Kind.SLOW_AFTER_JOIN, c -> c.firstByteNanos, "slowloris after join, from its first byte"))
                .append(String.format("(one byte every %d s).%n", AbuseClients.DRIBBLE_EVERY_MILLIS / 1000))
                .append(String.format("Rendezvous limits (defaults): join within 10 s, frame within 10 s, at most %d "
                        + "connections per address that have not joined.%n", RendezvousConfig.DEFAULT_MAX_PENDING_PER_ADDRESS))
                .append(String.format("%d cores, %s, Java %s.%n", Runtime.getRuntime().availableProcessors(),
                        System.getProperty("os.name") + " " + System.getProperty("os.version"),
                        System.getProperty("java.version")));
    }

    /** How late the clients' own event loops sent the junk: beyond the join deadline, junk cannot be judged as such. */
    private static String junkSent(List<Conn> all) {
        long[] sorted = all.stream().filter(c -> Kind.JUNK.contains(c.kind) && c.sentNanos != 0)
                .mapToLong(c -> c.sentNanos - c.startedNanos).sorted().toArray();
        long late = Arrays.stream(sorted).filter(n -> n > RendezvousConfig.DEFAULT_JOIN_TIMEOUT.toNanos()).count();
        long[] idleSent = all.stream().filter(c -> Kind.JUNK.contains(c.kind) && ErrorCode.IDLE_TIMEOUT.equals(c.code))
                .mapToLong(c -> c.sentNanos - c.startedNanos).sorted().toArray();
        long[] idleClosed = all.stream().filter(c -> Kind.JUNK.contains(c.kind) && ErrorCode.IDLE_TIMEOUT.equals(c.code))
                .mapToLong(c -> c.closedNanos - c.startedNanos).sorted().toArray();
        String cutUnread = idleSent.length == 0 ? "" : String.format("Junk cut at the join deadline: %,d, sent p50 / max "
                + "%.1f / %.1f s and cut p50 / max %.1f / %.1f s after starting to connect.%n", idleSent.length,
                percentile(idleSent, 50) / 1e9, idleSent[idleSent.length - 1] / 1e9, percentile(idleClosed, 50) / 1e9,
                idleClosed[idleClosed.length - 1] / 1e9);
        return sorted.length == 0 ? "" : String.format("Junk sent after starting to connect (p50 / p99 / max, s; "
                + "0-2 s intended): %.1f / %.1f / %.1f; %,d sent more than 10 s after.%n", percentile(sorted, 50) / 1e9,
                percentile(sorted, 99) / 1e9, sorted[sorted.length - 1] / 1e9, late) + cutUnread;
    }

    private static String cut(List<Conn> all, Kind kind, ToLongFunction<Conn> from, String label) {
        long[] sorted = all.stream().filter(c -> c.kind == kind && c.closedWithExpectedReason())
                .mapToLong(c -> c.closedNanos - from.applyAsLong(c)).sorted().toArray();
        if (sorted.length == 0) {
            return label + " n/a; ";
        }
        return String.format("%s %.1f / %.1f; ", label, percentile(sorted, 50) / 1e9, sorted[sorted.length - 1] / 1e9);
    }

    /** Sequential introductions from 127.0.0.1, as a peer pair would do them. */
    private static Trials pairings(InetSocketAddress server, int n) {
        Trials trials = new Trials();
        for (int i = 0; i < n; i++) {
            trials.add(server);
        }
        return trials;
    }

    /** Introduction latencies and failures of well-behaved pairs. */
    private static final class Trials {
        private final List<Long> nanos = new ArrayList<>();
        private int failures;
        private String firstFailure = "";

        void add(InetSocketAddress server) {
            long t0 = System.nanoTime();
            String step = "connect";
            // Like the peers: 5 s to connect, and each joins as soon as it is connected; the second
            // one connects once the first has its room code (the person reads it out first).
            try (RawClient a = RawClient.connect(server).readTimeout(FRAME_WAIT_MILLIS)) {
                step = "a: joined";
                a.send(new Message.Join(null, LAN, "a"));
                Message.Joined joined = (Message.Joined) a.receive();
                step = "b: connect";
                try (RawClient b = RawClient.connect(server).readTimeout(FRAME_WAIT_MILLIS)) {
                    step = "b: joined";
                    b.send(new Message.Join(joined.room(), LAN, "b"));
                    assertThat(b.receive()).isInstanceOf(Message.Joined.class);
                    step = "b: peer";
                    assertThat(b.receive()).isInstanceOf(Message.Peer.class);
                    step = "a: peer";
                    assertThat(a.receive()).isInstanceOf(Message.Peer.class);
                }
                nanos.add(System.nanoTime() - t0);
            } catch (AssertionError | UncheckedIOException | ClassCastException e) {
                if (failures++ == 0) {
                    firstFailure = "at " + step + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e;
                }
            }
        }

        String row(String phase) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return "| " + phase + " | " + failures + " | 0 | | | | |\n";
            }
            return String.format("| %s | %,d | %,d | %.2f | %.2f | %.2f | %.2f |%n", phase, sorted.length + failures,
                    sorted.length, percentile(sorted, 50) / 1e6, percentile(sorted, 95) / 1e6,
                    percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
        }
    }

    /** Samples the rendezvous process' open files, i.e. its connections plus a constant few. */
    private static final class FdSampler {
        private final Process process;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        FdSampler(Process process) {
            this.process = process;
            this.thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(fds(process), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fd-sampler");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long peak() {
            return peak.get();
        }
    }

    /** The kernel's counters of connections dropped because a listen queue was full. */
    private static final class ListenQueue {
        /** {@code [ListenOverflows, ListenDrops]}, or zeros where unavailable. */
        static long[] drops() {
            try {
                List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
                for (int i = 0; i + 1 < lines.size(); i += 2) {
                    if (lines.get(i).startsWith("TcpExt:")) {
                        List<String> names = Arrays.asList(lines.get(i).split(" "));
                        String[] values = lines.get(i + 1).split(" ");
                        return new long[] {Long.parseLong(values[names.indexOf("ListenOverflows")]),
                            Long.parseLong(values[names.indexOf("ListenDrops")])};
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return new long[2];
        }
    }

    /** {@code [user, system]} CPU time of a process in ms, from /proc (Linux; 10 ms ticks), or zeros. */
    private static long[] cpuMillis(Process process) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]) * 10, Long.parseLong(fields[12]) * 10};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    private static long fds(Process process) {
        try (Stream<Path> files = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
            return files.count();
        } catch (IOException | UncheckedIOException e) {
            return -1; // not Linux, or the process is gone
        }
    }

    /** Waits for the server's "listening" line, then counts its warnings in the background. */
    private static AtomicInteger drain(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        for (int i = 0; i < 20 && first != null && !first.startsWith("rendezvous listening on"); i++) {
            first = out.readLine(); // e.g. the JVM announcing a flight recording
        }
        assertThat(first).as("the rendezvous started").startsWith("rendezvous listening on");
        AtomicInteger warnings = new AtomicInteger();
        Thread drainer = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("rendezvous: " + line);
                    if (line.contains("warning:")) {
                        warnings.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "rendezvous-out");
        drainer.setDaemon(true);
        drainer.start();
        return warnings;
    }

    /** 127.0.{@code third}.1 to 127.0.{@code third}.{@code count}: loopback addresses that look like other hosts. */
    private static List<String> sources(int third, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "127.0." + third + "." + i).toList();
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        String extra = System.getProperty("benchmark.serverJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+"))); // e.g. -XX:StartFlightRecording=...
        }
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        return command;
    }
}
