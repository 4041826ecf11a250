package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKECurves;
import org.bouncycastle.crypto.agreement.ecjpake.ECJPAKEParticipant;
import org.bouncycastle.crypto.agreement.jpake.JPAKEParticipant;
import org.bouncycastle.crypto.agreement.jpake.JPAKEPrimeOrderGroups;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.console.ChatEvent;
import simchat.peer.wire.PakeConfirm;

/**
 * What the room-code check costs: one side's J-PAKE with today's 3072-bit group next to EC J-PAKE on
 * P-256 (the same 128-bit strength), and how long the event loop stalls during a room-code connection
 * on loopback when that work runs on the loop (as before) and off it (as now).
 */
@Tag("benchmark")
class PakeBenchmarkIT {

    private static final int TRIALS = 20;
    private static final int WARM_UP = 3;
    private static final String CODE = "7-amber-falcon";
    private static final Fingerprint CLIENT_KEY = Fingerprint.parse("SHA256:" + "ab".repeat(32));
    private static final Fingerprint SERVER_KEY = Fingerprint.parse("SHA256:" + "cd".repeat(32));
    private final SecureRandom random = new SecureRandom();

    @Test
    void jpakeWithTheNist3072GroupNextToEcJpakeOnP256() throws Exception {
        Stats dl = time(this::roomCodeExchange);
        Stats ec = time(this::ecJpake);
        System.out.println();
        System.out.println("J-PAKE, both sides in one thread, per side (" + TRIALS + " trials, " + WARM_UP
                + " warm-up, " + Runtime.getRuntime().availableProcessors() + " cores, load "
                + loadAverage() + ")");
        System.out.println("| variant | median | min | p90 | max |");
        System.out.println("|---|---|---|---|---|");
        System.out.println(dl.row("RoomCodeExchange, J-PAKE 3072-bit group (today)"));
        System.out.println(ec.row("EC J-PAKE P-256 (BouncyCastle ecjpake)"));
        assertThat(dl.median()).isPositive();
    }

    @Test
    void theEventLoopsLongestStallDuringARoomCodeConnection() throws Exception {
        Stats onLoop = lag(() -> Runnable::run);
        Stats offLoop = lag(OffLoop::newExecutor);
        System.out.println();
        System.out.println("Longest delay of a 1 ms task on the event loop during one room-code connection on"
                + " loopback, both peers on one loop (" + TRIALS + " trials, load " + loadAverage() + ")");
        System.out.println("| J-PAKE and TLS tasks | median | min | p90 | max |");
        System.out.println("|---|---|---|---|---|");
        System.out.println(onLoop.row("on the event loop (before)"));
        System.out.println(offLoop.row("off the loop (now)"));
        assertThat(offLoop.median()).as("median stall off the loop vs on it").isLessThan(onLoop.median());
    }

    /** One side's share of a whole exchange between two {@link RoomCodeExchange}s, in nanoseconds. */
    private long roomCodeExchange() throws CryptoException {
        long start = System.nanoTime();
        RoomCodeExchange client = new RoomCodeExchange(CODE, true, CLIENT_KEY, SERVER_KEY, random);
        RoomCodeExchange server = new RoomCodeExchange(CODE, false, SERVER_KEY, CLIENT_KEY, random);
        var c1 = client.round1();
        var s1 = server.round1();
        var c2 = client.round2(s1);
        var s2 = server.round2(c1);
        PakeConfirm c3 = client.confirm(s2);
        PakeConfirm s3 = server.confirm(c2);
        if (!client.verify(s3) || !server.verify(c3)) {
            throw new AssertionError("the same code did not agree");
        }
        return (System.nanoTime() - start) / 2;
    }

    /** One side's share of the same J-PAKE rounds and key on P-256, in nanoseconds. */
    private long ecJpake() throws CryptoException {
        long start = System.nanoTime();
        var client = new ECJPAKEParticipant("client", CODE.toCharArray(), ECJPAKECurves.NIST_P256,
                new SHA256Digest(), random);
        var server = new ECJPAKEParticipant("server", CODE.toCharArray(), ECJPAKECurves.NIST_P256,
                new SHA256Digest(), random);
        var c1 = client.createRound1PayloadToSend();
        var s1 = server.createRound1PayloadToSend();
        client.validateRound1PayloadReceived(s1);
        server.validateRound1PayloadReceived(c1);
        var c2 = client.createRound2PayloadToSend();
        var s2 = server.createRound2PayloadToSend();
        client.validateRound2PayloadReceived(s2);
        server.validateRound2PayloadReceived(c2);
        BigInteger a = client.calculateKeyingMaterial();
        BigInteger b = server.calculateKeyingMaterial();
        if (!a.equals(b)) {
            throw new AssertionError("the same code did not agree");
        }
        return (System.nanoTime() - start) / 2;
    }

    /** The longest lateness of a task due every millisecond on the loop while two peers connect. */
    private Stats lag(Supplier<Executor> work) throws Exception {
        List<Long> stalls = new ArrayList<>();
        for (int trial = 0; trial < WARM_UP + TRIALS; trial++) {
            LocalIdentity alice = LocalIdentity.generate();
            LocalIdentity bob = LocalIdentity.generate();
            try (LoopbackPeers peers = new LoopbackPeers(room(alice, work.get()), room(bob, work.get()))) {
                AtomicLong last = new AtomicLong(System.nanoTime());
                AtomicLong worst = new AtomicLong();
                ScheduledFuture<?> probe = peers.loop.scheduleAtFixedRate(() -> {
                    long now = System.nanoTime();
                    worst.accumulateAndGet(now - last.getAndSet(now) - TimeUnit.MILLISECONDS.toNanos(1), Math::max);
                }, 1, 1, TimeUnit.MILLISECONDS);
                peers.loop.submit(() -> last.set(System.nanoTime())).sync();
                peers.connect();
                peers.alice.await(ChatEvent.Connected.class);
                peers.bob.await(ChatEvent.Connected.class);
                probe.cancel(false);
                if (trial >= WARM_UP) {
                    stalls.add(worst.get());
                }
            }
        }
        return new Stats(stalls);
    }

    private static LoopbackPeers.Setup room(LocalIdentity identity, Executor work) {
        return events -> new TlsSetup(identity, new TrustPolicy.RoomCode(() -> CODE), events, work,
                new SecureRandom());
    }

    private static Stats time(Measured measured) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int trial = 0; trial < WARM_UP + TRIALS; trial++) {
            long n = measured.run();
            if (trial >= WARM_UP) {
                nanos.add(n);
            }
        }
        return new Stats(nanos);
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A measurement in nanoseconds. */
    @FunctionalInterface
    private interface Measured {
        long run() throws Exception;
    }

    /** Median and spread of some nanosecond figures, printed in milliseconds. */
    private record Stats(List<Long> nanos) {
        Stats {
            nanos = new ArrayList<>(nanos);
            Collections.sort(nanos);
        }

        long median() {
            return nanos.get(nanos.size() / 2);
        }

        String row(String name) {
            return "| " + name + " | " + ms(median()) + " | " + ms(nanos.get(0)) + " | "
                    + ms(nanos.get((int) Math.ceil(nanos.size() * 0.9) - 1)) + " | " + ms(nanos.get(nanos.size() - 1))
                    + " |";
        }

        private static String ms(long nanos) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
    }
}
