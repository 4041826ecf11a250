package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;

/**
 * The relay benchmark, on loopback: bytes per second through one spliced pair next to the same transfer over
 * a plain loopback connection (the baseline), the aggregate of several pairs at once, and heap per idle spliced
 * pair. Prints a report and writes it to {@code target/benchmark-relay.md}; asserts only that every byte
 * arrived, never a timing.
 *
 * <p>{@code -Drelay.mib=N} (default 256) per trial, {@code -Drelay.trials=N} (5), {@code -Drelay.parallel=N}
 * (8 pairs of N/8 MiB each), {@code -Drelay.idle=N} (1,000 idle pairs).
 */
@Tag("benchmark")
class RelayBenchmarkIT {

    private static final int MIB = Integer.getInteger("relay.mib", 256);
    private static final int TRIALS = Integer.getInteger("relay.trials", 5);
    private static final int PARALLEL = Integer.getInteger("relay.parallel", 8);
    private static final int IDLE = Integer.getInteger("relay.idle", 1_000);
    private static final Endpoint LAN = new Endpoint("192.168.1.10", 8000);

    @Test
    void measuresThroughputAndMemoryPerRelayedPair() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        RelayLimits limits = new RelayLimits(IDLE + 100, IDLE + 100, 1L << 40, Duration.ofSeconds(30));
        RendezvousConfig config = RendezvousConfig.of(new InetSocketAddress(loopback, 0), null).withRelay(limits);
        StringBuilder report = new StringBuilder();
        long bytes = (long) MIB << 20;
        try (RendezvousServer server = new RendezvousServer(config).start()) {
            InetSocketAddress address = server.address();
            // Warm-up: JIT and the buffer pools, not counted.
            transferAndClose(relayed(address), bytes / 4);
            transferAndClose(direct(), bytes / 4);

            double[] relayedMibs = new double[TRIALS];
            double[] directMibs = new double[TRIALS];
            for (int i = 0; i < TRIALS; i++) {
                relayedMibs[i] = MIB / seconds(transferAndClose(relayed(address), bytes));
                directMibs[i] = MIB / seconds(transferAndClose(direct(), bytes));
            }
            report.append(String.format("One pair, %d MiB one way, %d trials: relayed median %.0f MiB/s (%.0f-%.0f); "
                    + "baseline, a plain loopback connection: median %.0f MiB/s (%.0f-%.0f).%n", MIB, TRIALS,
                    median(relayedMibs), min(relayedMibs), max(relayedMibs), median(directMibs), min(directMibs),
                    max(directMibs)));

            double[] aggregate = new double[TRIALS];
            for (int i = 0; i < TRIALS; i++) {
                List<Socket[]> pairs = new ArrayList<>();
                for (int p = 0; p < PARALLEL; p++) {
                    pairs.add(relayed(address));
                }
                long each = bytes / PARALLEL;
                long t0 = System.nanoTime();
                List<CompletableFuture<Long>> all = new ArrayList<>();
                for (Socket[] pair : pairs) {
                    all.add(CompletableFuture.supplyAsync(() -> transferAndClose(pair, each)));
                }
                for (CompletableFuture<Long> f : all) {
                    f.get(10, TimeUnit.MINUTES);
                }
                aggregate[i] = (double) MIB / seconds(System.nanoTime() - t0);
            }
            report.append(String.format("%d pairs at once, %d MiB each, %d trials: aggregate median %.0f MiB/s "
                    + "(%.0f-%.0f).%n", PARALLEL, MIB / PARALLEL, TRIALS, median(aggregate), min(aggregate),
                    max(aggregate)));

            long before = heapUsed();
            List<Socket[]> idle = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < IDLE; i++) {
                idle.add(relayed(address));
            }
            double setupMillis = (System.nanoTime() - t0) / 1e6 / IDLE;
            long after = heapUsed();
            Socket[] last = idle.get(idle.size() - 1);
            assertThat(transfer(last, 1 << 20)).as("the last idle pair still carries bytes").isPositive();
            report.append(String.format("%,d idle spliced pairs: heap %.0f bytes per pair after full GC (server and "
                    + "its two client sockets in one JVM); %.2f ms per pair to set up (join, join, relay-request, "
                    + "two splices), one at a time.%n", IDLE, (double) (after - before) / IDLE, setupMillis));
            for (Socket[] pair : idle) {
                pair[0].close();
                pair[1].close();
            }
            report.append(String.format("Machine: %d cores, %s, Java %s; the clients share its cores with the "
                    + "relay.%n", Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
                    + System.getProperty("os.version"), System.getProperty("java.version")));
        }
        System.out.println("\n== relay benchmark ==\n" + report);
        Files.writeString(Path.of("target", "benchmark-relay.md"), report.toString());
    }

    /** Two sockets spliced by the relay: through a room, a relay request and two splice frames. */
    private static Socket[] relayed(InetSocketAddress server) {
        RawClient a = RawClient.connect(server);
        RawClient b = RawClient.connect(server);
        a.send(new Message.Join(null, LAN, null, true));
        Message.Joined joined = (Message.Joined) a.receive();
        b.send(new Message.Join(joined.room(), LAN, null, true));
        b.receive();
        a.receive();
        b.receive();
        a.send(new Message.RelayRequest("benchmark"));
        String tokenA = until(a).token();
        String tokenB = until(b).token();
        a.close();
        b.close();
        RawClient ra = RawClient.connect(server);
        ra.send(new Message.Splice(tokenA));
        RawClient rb = RawClient.connect(server);
        rb.send(new Message.Splice(tokenB));
        assertThat(ra.receive()).isEqualTo(new Message.Spliced());
        assertThat(rb.receive()).isEqualTo(new Message.Spliced());
        return new Socket[] {ra.socket(), rb.socket()};
    }

    private static Message.Relay until(RawClient client) {
        while (true) {
            Message next = client.receive();
            if (next instanceof Message.Relay relay) {
                return relay;
            }
            if (next instanceof Message.Ping ping) {
                client.send(new Message.Pong(ping.seq()));
            }
        }
    }

    /** A plain loopback connection: the baseline. */
    private static Socket[] direct() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Socket a = new Socket(listener.getInetAddress(), listener.getLocalPort());
            return new Socket[] {a, listener.accept()};
        }
    }

    private static long transferAndClose(Socket[] pair, long n) {
        try {
            return transfer(pair, n);
        } finally {
            for (Socket s : pair) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing only
                }
            }
        }
    }

    /** Sends {@code n} bytes from the first socket to the second; returns nanoseconds to the last byte read. */
    private static long transfer(Socket[] pair, long n) {
        try {
            pair[1].setSoTimeout(60_000);
            long t0 = System.nanoTime();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = pair[0].getOutputStream();
                    byte[] chunk = new byte[64 << 10];
                    for (long sent = 0; sent < n; sent += chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, n - sent));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = pair[1].getInputStream();
            byte[] buffer = new byte[64 << 10];
            long got = 0;
            while (got < n) {
                int r = in.read(buffer);
                assertThat(r).as("bytes read after %d of %d", got, n).isPositive();
                got += r;
            }
            long nanos = System.nanoTime() - t0;
            sender.get(1, TimeUnit.MINUTES);
            return nanos;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long heapUsed() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
