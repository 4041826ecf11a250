package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@link Dialer} on loopback: when its first SYN leaves, and that it still connects and fails as before. */
class DialerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theFirstSynHasLeftWhenStartReturns() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, LOOPBACK)) {
            int localPort = freePort();
            Dialer dialer = dialer(localPort, listener.getLocalPort());
            try {
                dialer.start();
                // The kernel's view, read before anything else can happen: a socket on this port pair exists
                // only once connect() has sent its SYN. A listener answers that SYN, so the first attempt
                // succeeds and no later attempt (from the dialing thread) can have made the socket instead.
                assertThat(tcpStatesBetween(localPort, listener.getLocalPort()))
                        .as("TCP states of local port %d toward the listener when start() returned", localPort)
                        .isNotEmpty().allMatch(state -> state.equals("SYN_SENT") || state.equals("ESTABLISHED"));
                Dialer.Connected connected = dialer.result().get(10, TimeUnit.SECONDS);
                assertThat(connected.attempts()).as("attempts until connected").isEqualTo(1);
                connected.channel().close().syncUninterruptibly();
            } finally {
                dialer.stop(AttemptOutcome.OTHER, "test over");
            }
        }
    }

    @Test
    void twoDialersAimedAtEachOtherConnectWithNothingListening() throws Exception {
        int a = freePort();
        int b = freePort();
        Dialer alice = dialer(a, b);
        Dialer bob = dialer(b, a);
        alice.start();
        bob.start();
        Dialer.Connected connected = alice.result().get(10, TimeUnit.SECONDS);
        assertThat(bob.result().get(10, TimeUnit.SECONDS).channel().remoteAddress())
                .isEqualTo(new InetSocketAddress(LOOPBACK, a));
        assertThat(connected.channel().remoteAddress()).isEqualTo(new InetSocketAddress(LOOPBACK, b));
        connected.channel().close().syncUninterruptibly();
    }

    @Test
    void aLocalPortTakenByAListenerFailsTheFirstAttemptAsUnavailable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            Dialer dialer = dialer(taken.getLocalPort(), freePort());
            dialer.start().await(10, TimeUnit.SECONDS);
            assertThat(dialer.result().cause()).isInstanceOf(DialFailedException.class);
            assertThat(((DialFailedException) dialer.result().cause()).outcome())
                    .isEqualTo(AttemptOutcome.LOCAL_PORT_UNAVAILABLE);
        }
    }

    private Dialer dialer(int localPort, int remotePort) {
        return new Dialer(loop, new InetSocketAddress(LOOPBACK, localPort), new InetSocketAddress(LOOPBACK, remotePort),
                DialPacing.DEFAULT, new KnockDetector(), new DialListener() {
                }, new Random());
    }

    /** The states in {@code /proc/net/tcp} of IPv4 sockets from {@code localPort} to {@code remotePort}. */
    private static List<String> tcpStatesBetween(int localPort, int remotePort) throws IOException {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        return Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1).map(String::trim)
                .map(line -> line.split("\\s+"))
                .filter(f -> f[1].endsWith(local) && f[2].endsWith(remote))
                .map(f -> switch (f[3]) {
                    case "01" -> "ESTABLISHED";
                    case "02" -> "SYN_SENT";
                    default -> "state " + f[3];
                })
                .toList();
    }

    /** A port nothing uses right now: bound for a moment, never listened on. */
    private static int freePort() throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        }
    }
}
