package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link Dialer} on a port pair that something else holds, with real sockets on loopback: a live holder of
 * another process ends dialing within seconds and is named; a TIME_WAIT, or a connection of this process, is
 * waited out at the normal pace and said once.
 */
@Timeout(60)
class PortPairTakenTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long the busy tests count attempts; eager retries used to make thousands of them in this time. */
    private static final Duration COUNTED = Duration.ofSeconds(2);
    private static final int MOST_ATTEMPTS = (int) (COUNTED.toSeconds() * DialPacing.MAX_SYNS_PER_SECOND) + 1;

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final int alicePort = freePort();
    private final int bobPort = freePort();
    private final Heard heard = new Heard();
    private Dialer alice;
    private Dialer bob;

    @BeforeEach
    void onLinux() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the kernel's TCP table is Linux's");
    }

    @AfterEach
    void shutDown() {
        for (Dialer dialer : new Dialer[] {alice, bob}) {
            if (dialer != null) {
                dialer.stop(AttemptOutcome.OTHER, "test over");
                dialer.result().awaitUninterruptibly(5, TimeUnit.SECONDS);
                if (dialer.result().isSuccess()) {
                    dialer.result().getNow().channel().close().syncUninterruptibly();
                }
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest(name = "SO_REUSEADDR on the holder: {0}")
    @ValueSource(booleans = {true, false})
    void aConnectionOfAnotherProcessOnThePairEndsDialingWithinFiveSecondsAndNamesTheProcess(boolean reuse)
            throws Exception {
        Process holder = holdInAnotherProcess(reuse);
        try {
            alice = dialer(alicePort, bobPort, heard);
            long start = System.nanoTime();
            alice.start();
            assertThat(alice.result().await(5, TimeUnit.SECONDS)).as("dialing ended within 5 s").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            DialFailedException failure = (DialFailedException) alice.result().cause();
            assertThat(failure.outcome()).isEqualTo(AttemptOutcome.LOCAL_PORT_UNAVAILABLE);
            // With SO_REUSEADDR the bind succeeds and the connect is refused; without it the bind is.
            String where = reuse ? "the port pair 127.0.0.1:" + alicePort + " -> 127.0.0.1:" + bobPort
                    + " is taken: process " + holder.pid() + " (java) has a connection on it (ESTABLISHED)"
                    : "local port " + alicePort + " is taken: process " + holder.pid() + " (java) has a connection"
                    + " from it to 127.0.0.1:" + bobPort + " (ESTABLISHED)";
            assertThat(failure.getMessage()).startsWith(where);
            assertThat(alice.progress().attempts()).as("attempts after " + took.toMillis() + " ms").isEqualTo(1);
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
    }

    @Test
    void aTimeWaitOnThePairIsSaidOnceAndWaitedOutAtTheNormalPace() throws Exception {
        leaveTimeWait(alicePort, bobPort);
        alice = dialer(alicePort, bobPort, heard);
        alice.start();
        String reason = heard.waiting.get(5, TimeUnit.SECONDS);
        assertThat(reason).startsWith("local port " + alicePort + " is in TIME_WAIT from an earlier connection to "
                + "127.0.0.1:" + bobPort + "; waiting up to ").endsWith(" s (less if the other peer dials)");
        int paced = attemptsWhileBusy(alice);
        assertThat(paced).as("attempts in " + COUNTED.toSeconds() + " s").isBetween(2, MOST_ATTEMPTS);
        assertThat(alice.result().isDone()).as("still dialing").isFalse();
        assertThat(heard.waitingCalls.get()).as("said once").isEqualTo(1);
    }

    @Test
    void aTimeWaitOnThePairEndsWhenTheOtherPeerDialsAndThenTheyConnect() throws Exception {
        leaveTimeWait(alicePort, bobPort);
        alice = dialer(alicePort, bobPort, heard);
        alice.start();
        heard.waiting.get(5, TimeUnit.SECONDS);
        // Linux takes the other peer's SYN to the TIME_WAIT as a new connection: it forgets the TIME_WAIT and,
        // with nothing listening, answers with a reset. Alice's next attempt then binds.
        bob = dialer(bobPort, alicePort, new Heard());
        bob.start();
        Dialer.Connected connected = alice.result().get(20, TimeUnit.SECONDS);
        assertThat(connected.channel().remoteAddress()).isEqualTo(new InetSocketAddress(LOOPBACK, bobPort));
        assertThat(bob.result().get(20, TimeUnit.SECONDS).channel().remoteAddress())
                .isEqualTo(new InetSocketAddress(LOOPBACK, alicePort));
    }

    @Test
    void aConnectionOfThisProcessOnThePairIsWaitedForAtTheNormalPaceAndThenTheyConnect() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(LOOPBACK, bobPort), 1);
            Socket client = new Socket();
            client.setReuseAddress(true);
            client.bind(new InetSocketAddress(LOOPBACK, alicePort));
            client.connect(listener.getLocalSocketAddress());
            Socket accepted = listener.accept();
            listener.close();

            alice = dialer(alicePort, bobPort, heard);
            alice.start();
            assertThat(heard.waiting.get(5, TimeUnit.SECONDS)).isEqualTo("the port pair 127.0.0.1:" + alicePort
                    + " -> 127.0.0.1:" + bobPort + " is still held by a connection of this process (ESTABLISHED); "
                    + "waiting for it to close");
            int paced = attemptsWhileBusy(alice);
            assertThat(paced).as("attempts in " + COUNTED.toSeconds() + " s").isBetween(2, MOST_ATTEMPTS);

            // Closed by us first, the connection leaves a TIME_WAIT with SO_REUSEADDR: Linux lets a new connect reuse it.
            client.close();
            accepted.close();
            bob = dialer(bobPort, alicePort, new Heard());
            bob.start();
            assertThat(alice.result().get(20, TimeUnit.SECONDS).channel().remoteAddress())
                    .isEqualTo(new InetSocketAddress(LOOPBACK, bobPort));
            assertThat(bob.result().get(20, TimeUnit.SECONDS).channel().isActive()).isTrue();
        }
    }

    /** Counts the attempts made while the pair stays busy for {@link #COUNTED}. */
    private static int attemptsWhileBusy(Dialer dialer) throws InterruptedException {
        int before = dialer.progress().attempts();
        Thread.sleep(COUNTED.toMillis());
        DialProgress after = dialer.progress();
        assertThat(after.lastOutcome()).as("still busy").isEqualTo(AttemptOutcome.ADDRESS_PAIR_BUSY);
        return after.attempts() - before;
    }

    /**
     * Connects {@code localPort} to a listener on {@code remotePort} without SO_REUSEADDR, as most programs do,
     * and closes our side first, so that the pair is left in TIME_WAIT on our side for a minute.
     */
    private static void leaveTimeWait(int localPort, int remotePort) throws IOException, InterruptedException {
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(LOOPBACK, remotePort), 1);
            try (Socket client = new Socket()) {
                client.bind(new InetSocketAddress(LOOPBACK, localPort));
                client.connect(listener.getLocalSocketAddress());
                try (Socket accepted = listener.accept()) {
                    client.close();
                    // The other end sees the end of the stream once our FIN is in; its own FIN completes the close.
                    assertThat(accepted.getInputStream().read()).isEqualTo(-1);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (TcpTable.read().stream().noneMatch(s -> s.local().getPort() == localPort
                && s.remote().getPort() == remotePort && s.state() == TcpSocket.State.TIME_WAIT)) {
            assertThat(System.nanoTime()).as("TIME_WAIT on the pair").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Starts {@link HoldConnection} and waits until it holds its connection. */
    private Process holdInAnotherProcess(boolean reuse) throws IOException, URISyntaxException {
        Path classes = Path.of(HoldConnection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", classes.toString(), HoldConnection.class.getName(),
                String.valueOf(alicePort), String.valueOf(bobPort), String.valueOf(reuse))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the holder's first line").isEqualTo("holding");
        return process;
    }

    private Dialer dialer(int localPort, int remotePort, DialListener listener) {
        return new Dialer(loop, new InetSocketAddress(LOOPBACK, localPort), new InetSocketAddress(LOOPBACK, remotePort),
                DialPacing.DEFAULT, new KnockDetector(), listener, new Random());
    }

    /** A port nothing uses right now: bound for a moment, never listened on. */
    private static int freePort() {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What the dialer said it is waiting for, and how often. */
    private static final class Heard implements DialListener {

        final CompletableFuture<String> waiting = new CompletableFuture<>();
        final AtomicInteger waitingCalls = new AtomicInteger();

        @Override
        public void waiting(String reason) {
            waitingCalls.incrementAndGet();
            waiting.complete(reason);
        }
    }
}
