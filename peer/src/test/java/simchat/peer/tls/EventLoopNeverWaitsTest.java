package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simchat.peer.console.ChatEvent;

/**
 * While a connection waits for J-PAKE's arithmetic or for the {@code known_peers} lock, the event loop it
 * lives on goes on running other tasks: the waiting happens on other threads. Both peers share one loop
 * thread here, so a wait on it would stall everything.
 */
class EventLoopNeverWaitsTest {

    private static final LocalIdentity ALICE = LocalIdentity.generate();
    private static final LocalIdentity BOB = LocalIdentity.generate();
    /** Far beyond a free loop's lag (well under a millisecond), far below a stalled loop's (the whole wait). */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    @TempDir
    Path home;

    @Test
    void theLoopRunsOtherTasksWhileJPakeComputes() throws Exception {
        JPakeGate gate = new JPakeGate();
        try (LoopbackPeers peers = new LoopbackPeers(room(ALICE, gate), room(BOB, gate))) {
            peers.connect();
            assertThat(gate.entered.await(60, TimeUnit.SECONDS)).as("J-PAKE began its first round").isTrue();
            try {
                assertThat(peers.lag(PROMPTLY)).as("a task's wait on the loop while J-PAKE computes")
                        .isLessThan(PROMPTLY);
                assertThat(peers.loop.inEventLoop(gate.thread)).as("J-PAKE runs on the event loop's thread")
                        .isFalse();
                assertThat(peers.alice.events(ChatEvent.Connected.class)).as("connected before the check").isEmpty();
            } finally {
                gate.open.countDown();
            }

            peers.alice.await(ChatEvent.Connected.class);
            peers.bob.await(ChatEvent.Connected.class);
            assertThat(peers.alice.events(ChatEvent.PeerKey.class)).extracting(ChatEvent.PeerKey::trust)
                    .containsExactly("room-code");
            peers.loop.execute(() -> peers.bob.session.submit("checked off the loop"));
            assertThat(peers.alice.await(ChatEvent.MessageReceived.class).text()).isEqualTo("checked off the loop");
        }
    }

    @Test
    void theLoopRunsOtherTasksWhileAnotherProcessHoldsTheKnownPeersLock() throws Exception {
        KnownPeers known = new KnownPeers(new ConfigDir(home.resolve("simchat")));
        String endpoint = "127.0.0.1:8000";
        try (LoopbackPeers peers = new LoopbackPeers(
                events -> new TlsSetup(ALICE, new TrustPolicy.OnFirstUse(known, endpoint), events,
                        LoopbackPeers.offLoop(), new SecureRandom()),
                events -> new TlsSetup(BOB, new TrustPolicy.Unverified(), events, LoopbackPeers.offLoop(),
                        new SecureRandom()))) {
            Process holder = LockHolder.start(known.dir());
            try {
                peers.connect();
                // Bob hears alice's hello once her TLS handshake is over: then she writes bob's key down.
                peers.bob.await(ChatEvent.Connected.class);
                peers.loop.execute(() -> peers.bob.session.submit("sent while alice waits"));
                awaitAThreadWaitingForAFileLock();

                assertThat(peers.lag(PROMPTLY)).as("a task's wait on the loop while the lock is held elsewhere")
                        .isLessThan(PROMPTLY);
                assertThat(peers.alice.events(ChatEvent.PeerKey.class)).as("alice's trust decision waits")
                        .isEmpty();
                assertThat(peers.alice.events(ChatEvent.Connected.class)).isEmpty();

                holder.getOutputStream().close();
                assertThat(holder.waitFor(30, TimeUnit.SECONDS)).as("the lock holder let go").isTrue();
            } finally {
                // Before the loop shuts down: a loop stuck on the lock would never finish shutting down.
                holder.destroy();
            }

            assertThat(peers.alice.await(ChatEvent.PeerKey.class)).isEqualTo(
                    new ChatEvent.PeerKey(BOB.fingerprint().toString(), "new", endpoint));
            peers.alice.await(ChatEvent.Connected.class);
            assertThat(peers.alice.await(ChatEvent.MessageReceived.class).text())
                    .as("what bob sent meanwhile, delivered afterwards").isEqualTo("sent while alice waits");
            assertThat(known.lookup(endpoint)).contains(BOB.fingerprint());
        }
    }

    /** Waits until one of our off-loop threads is blocked taking a file lock. */
    private static void awaitAThreadWaitingForAFileLock() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
                boolean locking = Arrays.stream(thread.getValue())
                        .anyMatch(f -> f.getClassName().endsWith("FileChannelImpl") && f.getMethodName().equals("lock"));
                if (locking) {
                    assertThat(thread.getKey().getName()).as("the thread waiting for the lock")
                            .startsWith("simchat-offloop-");
                    return;
                }
            }
            // Polling a thread's state: there is no event to wait for when a thread blocks in the kernel.
            Thread.sleep(5);
        }
        throw new AssertionError("no thread came to wait for the known_peers lock within 30 s");
    }

    private static LoopbackPeers.Setup room(LocalIdentity identity, JPakeGate gate) {
        return events -> new TlsSetup(identity, new TrustPolicy.RoomCode(() -> "7-amber-falcon"), events,
                LoopbackPeers.offLoop(), gate);
    }

    /**
     * Randomness that holds J-PAKE's first draw until the test opens it, remembering the thread that asked;
     * every other draw (the starttls nonces, later rounds) passes at once.
     */
    private static final class JPakeGate extends SecureRandom {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        volatile Thread thread;

        @Override
        public void nextBytes(byte[] bytes) {
            boolean jpake = StackWalker.getInstance().walk(frames -> frames
                    .anyMatch(f -> f.getClassName().startsWith("org.bouncycastle.crypto.agreement.jpake.")));
            if (jpake && entered.getCount() > 0) {
                thread = Thread.currentThread();
                entered.countDown();
                try {
                    open.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.nextBytes(bytes);
        }
    }

    /** Another peer process of the same user, holding the {@code known_peers} lock until its stdin closes. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            ConfigDir dir = new ConfigDir(Path.of(args[0]));
            try (FileChannel lock = dir.lock(dir.knownPeersFile())) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // Holds the lock until the test closes our stdin.
                }
            }
        }

        static Process start(ConfigDir dir) throws Exception {
            Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                    dir.knownPeersFile().getParent().toString()).redirectErrorStream(true).start();
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the lock holder's first line").isEqualTo("locked");
            return process;
        }
    }
}
