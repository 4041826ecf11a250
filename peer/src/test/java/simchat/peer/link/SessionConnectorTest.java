package simchat.peer.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.session.ChatSession;
import simchat.peer.session.PeerPipeline;
import simchat.peer.wire.Hello;

/**
 * The contract between one chat session and its connector, over real loopback sockets: the session takes
 * every link it is offered, reports each hello to the connector, asks it for the next link when one dies,
 * and stops it at the end; the chat goes on across links with every line shown once, in order.
 */
class SessionConnectorTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final LoopbackPairs pairs = new LoopbackPairs(loop);
    private final Side alice = new Side("alice", "aaaa", pairs);
    private final Side bob = new Side("bob", "bbbb", pairs);

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aChatGoesOnOverTheNextLinkItsConnectorFindsAfterTheFirstDied() throws Exception {
        alice.start();
        bob.start();
        alice.await(ChatEvent.Connected.class);
        bob.await(ChatEvent.Connected.class);
        loop.execute(() -> alice.session.submit("over the first link"));
        assertThat(bob.await(ChatEvent.MessageReceived.class).text()).isEqualTo("over the first link");

        loop.execute(() -> pairs.links.get(0).channel().close());
        alice.await(ChatEvent.ConnectionLost.class);
        bob.await(ChatEvent.ConnectionLost.class);
        loop.execute(() -> alice.session.submit("typed while no link was up"));
        alice.await(ChatEvent.Connected.class);
        bob.await(ChatEvent.Connected.class);
        assertThat(bob.await(ChatEvent.MessageReceived.class).text()).isEqualTo("typed while no link was up");

        loop.execute(() -> alice.session.endOfInput());
        assertThat(alice.session.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Ended());
        assertThat(bob.session.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Ended());
        assertThat(pairs.links).as("two links per side").hasSize(4);
        for (Side side : List.of(alice, bob)) {
            assertThat(side.connector.asked).as(side.name)
                    .containsExactly("start", "hello", "next", "hello", "stop");
        }
        assertThat(bob.events).filteredOn(ChatEvent.MessageReceived.class::isInstance)
                .as("every line shown once, in order").extracting(e -> ((ChatEvent.MessageReceived) e).text())
                .containsExactly("over the first link", "typed while no link was up");
    }

    /** One peer: a real session and pipeline, and a connector that takes its links from the shared pairs. */
    private final class Side {
        final String name;
        final BlockingQueue<ChatEvent> unseen = new LinkedBlockingQueue<>();
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();
        final ChatSession session;
        final PeerPipeline pipeline;
        final PairConnector connector;

        Side(String name, String nonce, LoopbackPairs pairs) {
            this.name = name;
            this.session = new ChatSession(loop, e -> {
                events.add(e);
                unseen.add(e);
            });
            this.pipeline = new PeerPipeline(new Hello(Hello.PROTOCOL_VERSION, name, nonce), session);
            this.connector = new PairConnector(pairs);
            session.connectVia(connector);
        }

        void start() {
            loop.execute(() -> connector.start(pipeline));
        }

        /** Waits for the next event of this type, skipping others. */
        <T extends ChatEvent> T await(Class<T> type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                ChatEvent e = unseen.poll(100, TimeUnit.MILLISECONDS);
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
            }
            throw new AssertionError(name + ": no " + type.getSimpleName() + " within 10 s");
        }
    }

    /** A connector whose links are the two ends of a loopback TCP connection, made once both sides ask. */
    private static final class PairConnector implements Connector {
        final List<String> asked = new CopyOnWriteArrayList<>();
        private final LoopbackPairs pairs;
        private LinkSink links;

        PairConnector(LoopbackPairs pairs) {
            this.pairs = pairs;
        }

        @Override
        public void start(LinkSink links) {
            this.links = links;
            asked.add("start");
            pairs.ask(links);
        }

        @Override
        public void helloCompleted(Link link) {
            asked.add("hello");
        }

        @Override
        public void next(ChatEvent.ConnectionLost lost) {
            asked.add("next");
            pairs.ask(links);
        }

        @Override
        public void stop() {
            asked.add("stop");
        }

        @Override
        public String notConnectedWithin(String within) {
            return "no loopback pair within " + within;
        }
    }

    /** Makes a connected pair of loopback sockets for every two sinks that ask; on the event loop. */
    private static final class LoopbackPairs {
        final List<Link> links = new CopyOnWriteArrayList<>();
        private final EventLoop loop;
        private LinkSink waiting;

        LoopbackPairs(EventLoop loop) {
            this.loop = loop;
        }

        void ask(LinkSink sink) {
            if (waiting == null) {
                waiting = sink;
                return;
            }
            LinkSink first = waiting;
            waiting = null;
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel one = SocketChannel.open(server.getLocalAddress());
                SocketChannel other = server.accept();
                offer(first, one);
                offer(sink, other);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void offer(LinkSink sink, SocketChannel socket) {
            NioSocketChannel channel = new NioSocketChannel(socket);
            channel.config().setAutoRead(false);
            loop.register(channel).addListener(f -> {
                Link link = new Link(channel, 1, Duration.ZERO, () -> {
                    throw new AssertionError("a loopback link died before its hello");
                });
                links.add(link);
                sink.offer(link);
            });
        }
    }
}
