package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;

/**
 * The rendezvous benchmark: pairing latency inside the server, and join/pairing latency and heap
 * per registration while one server holds up to 19,000 idle registrations. The server runs here;
 * the idle clients run in a child JVM, because each process may hold only 20,000 files. Prints a
 * report and writes it to {@code target/benchmark-rendezvous.md}; asserts only that everything
 * worked, never a timing.
 *
 * <p>{@code -Dbenchmark.registrations=N} changes the largest fill level; {@code -DskipITs} skips it.
 */
@Tag("benchmark")
class RendezvousBenchmarkIT {

    private static final int REGISTRATIONS = Integer.getInteger("benchmark.registrations", 19_000);
    private static final int SAMPLES = Integer.getInteger("benchmark.samples", 300);
    private static final int WARMUP = 300;
    private static final Endpoint LAN = new Endpoint("192.168.1.10", 8000);

    private final ConcurrentLinkedQueue<Long> pairedNanos = new ConcurrentLinkedQueue<>();

    @Test
    void measuresPairingLatencyAndIdleRegistrations() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        RendezvousConfig config = RendezvousConfig.of(new InetSocketAddress(loopback, 0), null)
                .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(8));
        RendezvousMetrics metrics = new RendezvousMetrics() {
            @Override
            public void paired(long nanos) {
                pairedNanos.add(nanos);
            }
        };
        StringBuilder report = new StringBuilder();
        try (RendezvousServer server = new RendezvousServer(config, metrics).start()) {
            InetSocketAddress address = server.address();
            Process load = new ProcessBuilder(javaCommand("simchat.rendezvous.LoadClients",
                    address.getHostString(), String.valueOf(address.getPort())))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (PrintWriter toLoad = new PrintWriter(load.getOutputStream(), true, StandardCharsets.UTF_8);
                 BufferedReader fromLoad = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {

                measure(address, WARMUP); // JIT warm-up, not reported
                pairedNanos.clear();

                report.append("| idle registrations | heap used (MiB) | join p50 / p95 / p99 (ms) "
                        + "| pairing in server p50 / p95 / p99 (ms) | pairing seen by clients p50 / p99 (ms) | time to add this step |\n")
                        .append("|---:|---:|---|---|---|---:|\n");
                List<long[]> heapByLevel = new ArrayList<>();
                int[] levels = {0, REGISTRATIONS / 4, REGISTRATIONS / 2, REGISTRATIONS * 3 / 4, REGISTRATIONS};
                for (int level : levels) {
                    long fillMillis = 0;
                    if (level > 0) {
                        toLoad.println("fill " + level);
                        String[] filled = fromLoad.readLine().split(" ");
                        assertThat(Integer.parseInt(filled[1])).as("idle registrations open").isEqualTo(level);
                        assertThat(Integer.parseInt(filled[3])).as("failed connects").isZero();
                        fillMillis = Long.parseLong(filled[2]);
                    }
                    assertThat(awaitRooms(server, level)).as("rooms held by the server").isEqualTo(level);
                    long heap = heapUsed();
                    heapByLevel.add(new long[] {level, heap});
                    pairedNanos.clear();
                    Samples samples = measure(address, SAMPLES);
                    for (int i = 0; i < 100 && pairedNanos.size() < SAMPLES; i++) {
                        Thread.sleep(10); // the last write listener may run just after the client read
                    }
                    long[] inServer = pairedNanos.stream().mapToLong(Long::longValue).sorted().toArray();
                    assertThat(inServer.length).as("server-side pairing samples").isEqualTo(SAMPLES);
                    report.append(String.format("| %,d | %.1f | %s | %s | %.3f / %.3f | %s |%n", level,
                            heap / 1048576.0, percentiles(samples.join), percentiles(inServer),
                            ms(percentile(samples.pairing, 50)), ms(percentile(samples.pairing, 99)),
                            level == 0 ? "" : String.format("%.1f s", fillMillis / 1000.0)));
                }
                toLoad.println("count");
                assertThat(fromLoad.readLine()).as("every idle registration is still connected").isEqualTo("open " + REGISTRATIONS);
                toLoad.println("quit");

                long[] first = heapByLevel.get(0);
                long[] last = heapByLevel.get(heapByLevel.size() - 1);
                double perRegistration = (double) (last[1] - first[1]) / (last[0] - first[0]);
                report.append(String.format("%nHeap per idle registration (server side, after full GC): "
                        + "%.0f bytes (%,d registrations, %.1f MiB).%n", perRegistration, last[0],
                        (last[1] - first[1]) / 1048576.0));
                report.append(String.format("Trials: %d joins and %d pairings per level, after %d warm-up pairings; "
                        + "%d cores, %s, Java %s.%n", SAMPLES, SAMPLES, WARMUP,
                        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
                                + System.getProperty("os.version"), System.getProperty("java.version")));
            } finally {
                if (!load.waitFor(60, TimeUnit.SECONDS)) {
                    load.destroyForcibly();
                }
            }
        }
        System.out.println("\n== rendezvous benchmark ==\n" + report);
        Files.writeString(Path.of("target", "benchmark-rendezvous.md"), report.toString());
    }

    /** Join latency (fresh room) and pairing latency (second join → both peers told), sequentially. */
    private static Samples measure(InetSocketAddress server, int n) {
        long[] join = new long[n];
        long[] pairing = new long[n];
        for (int i = 0; i < n; i++) {
            try (RawClient a = RawClient.connect(server); RawClient b = RawClient.connect(server)) {
                long t0 = System.nanoTime();
                a.send(new Message.Join(null, LAN, null));
                Message.Joined joined = (Message.Joined) a.receive();
                join[i] = System.nanoTime() - t0;

                long t1 = System.nanoTime();
                b.send(new Message.Join(joined.room(), LAN, null));
                assertThat(b.receive()).isInstanceOf(Message.Joined.class);
                assertThat(b.receive()).isInstanceOf(Message.Peer.class);
                assertThat(a.receive()).isInstanceOf(Message.Peer.class);
                pairing[i] = System.nanoTime() - t1;
            }
        }
        Arrays.sort(join);
        Arrays.sort(pairing);
        return new Samples(join, pairing);
    }

    private record Samples(long[] join, long[] pairing) {
    }

    /** Rooms of closed sample clients go away asynchronously; waits (boundedly) for them. */
    private static int awaitRooms(RendezvousServer server, int expected) throws InterruptedException {
        int rooms = server.rooms();
        for (int i = 0; i < 100 && rooms != expected; i++) {
            Thread.sleep(50);
            rooms = server.rooms();
        }
        return rooms;
    }

    private static long heapUsed() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String percentiles(long[] sorted) {
        return String.format("%.3f / %.3f / %.3f", ms(percentile(sorted, 50)), ms(percentile(sorted, 95)),
                ms(percentile(sorted, 99)));
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static List<String> javaCommand(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
