package simchat.peer.dial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
    void theFirstSynHasLeftWhenStartReturns() throws IOException {
        Dialer dialer = dialer(freePort(), freePort());
        try {
            dialer.start();
            // Counted on the caller's thread just before its connect(): no dialing thread had to run first.
            assertThat(dialer.progress().attempts()).as("attempts made when start() returned").isPositive();
        } finally {
            dialer.stop(AttemptOutcome.OTHER, "test over");
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

    /** A port nothing uses right now: bound for a moment, never listened on. */
    private static int freePort() throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        }
    }
}
