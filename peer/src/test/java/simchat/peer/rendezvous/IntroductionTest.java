package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simchat.peer.console.ChatEvent;
import simchat.peer.session.ChatSession;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Role;

/** The peer's side of a timed round, driven directly on a real event loop and real loopback sockets. */
class IntroductionTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The console runs on the event loop, and its first use in a cold JVM can outlast the sync's wait;
     * so the "dialing" line must come after the SYNs, not hold up the timed dial. Here the console is as
     * slow as it gets: it blocks the event loop until the dial has arrived (a test-only listener stands
     * in for the other peer), which never happens if the dial still waits for the loop.
     */
    @Test
    void aDelayedDialIsNotHeldUpByPrintingTheRound() throws Exception {
        try (ServerSocket otherPeer = new ServerSocket(0, 1, LOOPBACK)) {
            otherPeer.setSoTimeout(5_000);
            CompletableFuture<Boolean> dialArrivedBeforeThePrint = new CompletableFuture<>();
            ChatSession session = new ChatSession(loop, e -> {
            });
            Introduction introduction = new Introduction(loop, new InetSocketAddress(LOOPBACK, freePort()),
                    new InetSocketAddress(LOOPBACK, 7000), null, "alice", session, event -> {
                        if (event instanceof ChatEvent.Punching) {
                            dialArrivedBeforeThePrint.complete(arrives(otherPeer));
                        }
                    }, (connected, closed) -> connected.channel().close());
            Endpoint other = Endpoint.of(new InetSocketAddress(LOOPBACK, otherPeer.getLocalPort()));
            loop.execute(() -> {
                introduction.peer(new Message.Peer(other, other, Role.RESPONDER, "bob"));
                introduction.sync(new Message.Sync(1, 20, 1.0));
            });

            assertThat(dialArrivedBeforeThePrint.get(10, TimeUnit.SECONDS))
                    .as("the dial reached the other peer while the round's line was being printed").isTrue();
            session.abandon(0, "test over");
        }
    }

    private static boolean arrives(ServerSocket otherPeer) {
        try (Socket accepted = otherPeer.accept()) {
            return accepted.isConnected();
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        }
    }
}
