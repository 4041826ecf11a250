package simchat.peer.tls;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import simchat.peer.console.ChatEvent;
import simchat.peer.session.ChatSession;
import simchat.peer.session.PeerPipeline;
import simchat.peer.wire.Hello;

/**
 * Two peers' whole encrypted pipelines over a real TCP connection on loopback, both channels on one
 * event loop thread, so that anything one of them makes wait shows as the loop's lag.
 */
final class LoopbackPeers implements AutoCloseable {

    final NioEventLoopGroup group = new NioEventLoopGroup(1);
    final EventLoop loop = group.next();
    final Side alice;
    final Side bob;
    private final Channel server;

    /** Alice dials bob; each side's TLS setup is made from its own session's event sink. */
    LoopbackPeers(Setup aliceTls, Setup bobTls) throws InterruptedException {
        alice = new Side("alice", aliceTls);
        bob = new Side("bob", bobTls);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(bob.initializer())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Alice connects to bob; the handshakes then run on their own. */
    void connect() throws InterruptedException {
        new Bootstrap().group(group).channel(NioSocketChannel.class).handler(alice.initializer())
                .connect(server.localAddress()).sync();
    }

    /** How long a task handed to the loop now waits before it runs; {@code bound} when it did not run by then. */
    Duration lag(Duration bound) throws Exception {
        long asked = System.nanoTime();
        try {
            long ran = loop.submit(System::nanoTime).get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return Duration.ofNanos(ran - asked);
        } catch (TimeoutException stalled) {
            return bound;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** Makes one side's TLS setup, given the sink its events go to. */
    @FunctionalInterface
    interface Setup {
        TlsSetup make(Consumer<ChatEvent> events);
    }

    /** One peer: its session and every event it reported, in order, to wait for. */
    final class Side {
        final ChatSession session;
        private final List<ChatEvent> events = new ArrayList<>();
        private final String name;
        private final TlsSetup tls;

        private Side(String name, Setup setup) {
            this.name = name;
            this.session = new ChatSession(loop, this::add);
            this.tls = setup.make(this::add);
        }

        private ChannelInitializer<Channel> initializer() {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    new PeerPipeline(new Hello(Hello.PROTOCOL_VERSION, name, name + "-nonce"), session, tls)
                            .install(channel, () -> { });
                }
            };
        }

        private synchronized void add(ChatEvent event) {
            events.add(event);
            notifyAll();
        }

        /** Every event so far of {@code type}. */
        synchronized <T extends ChatEvent> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Waits for the first event of {@code type} that {@code matches}, at most {@code bound}. */
        synchronized <T extends ChatEvent> T await(Class<T> type, Predicate<T> matches, Duration bound)
                throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            for (;;) {
                for (ChatEvent event : events) {
                    if (type.isInstance(event) && matches.test(type.cast(event))) {
                        return type.cast(event);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " saw no " + type.getSimpleName() + " within " + bound
                            + "; events: " + events);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        <T extends ChatEvent> T await(Class<T> type) throws InterruptedException {
            return await(type, e -> true, Duration.ofSeconds(60));
        }
    }

    /** An executor for work that must leave the loop, as the real peer has it. */
    static Executor offLoop() {
        return OffLoop.newExecutor();
    }
}
