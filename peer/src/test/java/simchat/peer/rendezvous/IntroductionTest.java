package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
import simchat.rendezvous.protocol.Protocol;
import simchat.rendezvous.protocol.Role;

/** The peer's side of a timed round, on a real event loop and real loopback sockets. */
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
     * in for the other peer), which never happens if the dial still waits for the loop. A scripted
     * rendezvous on loopback introduces the peer and times the round.
     */
    @Test
    void aDelayedDialIsNotHeldUpByPrintingTheRound() throws Exception {
        try (ServerSocket rendezvous = new ServerSocket(0, 1, LOOPBACK);
             ServerSocket otherPeer = new ServerSocket(0, 1, LOOPBACK)) {
            rendezvous.setSoTimeout(5_000);
            otherPeer.setSoTimeout(5_000);
            CompletableFuture<Boolean> dialArrivedBeforeThePrint = new CompletableFuture<>();
            ChatSession session = new ChatSession(loop, e -> {
            });
            Introduction introduction = new Introduction(loop, new InetSocketAddress(LOOPBACK, freePort()),
                    (InetSocketAddress) rendezvous.getLocalSocketAddress(), null, "alice", session, event -> {
                        if (event instanceof ChatEvent.Punching) {
                            dialArrivedBeforeThePrint.complete(arrives(otherPeer));
                        }
                    }, (connected, closed) -> connected.channel().close(), failure -> { });
            loop.execute(introduction::start);
            try (Socket alice = rendezvous.accept()) {
                BufferedReader fromAlice = new BufferedReader(
                        new InputStreamReader(alice.getInputStream(), StandardCharsets.UTF_8));
                assertThat(Protocol.decode(fromAlice.readLine())).isInstanceOf(Message.Join.class);
                Endpoint observed = Endpoint.of((InetSocketAddress) alice.getRemoteSocketAddress());
                Endpoint other = Endpoint.of(new InetSocketAddress(LOOPBACK, otherPeer.getLocalPort()));
                send(alice, new Message.Joined("7-amber-falcon", observed, Role.INITIATOR, null));
                send(alice, new Message.Peer(other, other, Role.INITIATOR, "bob"));
                send(alice, new Message.Sync(1, 20, 1.0));

                assertThat(dialArrivedBeforeThePrint.get(10, TimeUnit.SECONDS))
                        .as("the dial reached the other peer while the round's line was being printed").isTrue();
            }
            session.leaveNow(null);
        }
    }

    private static void send(Socket socket, Message message) throws IOException {
        socket.getOutputStream().write((Protocol.encode(message) + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
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
