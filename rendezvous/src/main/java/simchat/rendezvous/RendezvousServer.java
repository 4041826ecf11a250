package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import simchat.rendezvous.protocol.Nullable;

/**
 * The rendezvous service: accepts peers on one port (and NAT probes on a second), pairs them in
 * rooms and times their hole punch. Bootstrap and lifecycle only; the logic is in {@link Rooms}.
 */
public final class RendezvousServer implements AutoCloseable {

    private final RendezvousConfig config;
    private final RendezvousMetrics metrics;

    // One thread serves every connection and owns every room: a pairing is a handful of small
    // frames, so one loop handles thousands per second, and confinement makes locks unnecessary.
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("rendezvous"));
    // Accepting on a thread of its own keeps the kernel's accept queue drained while the serving
    // thread is busy with a flood of junk: a full queue drops SYNs, and each drop costs a
    // well-behaved peer a retransmission of 1 s or more; queued in the event loop, it waits
    // only its turn among the flood's small tasks.
    private final EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("rendezvous-accept"));
    @Nullable private Rooms rooms;
    @Nullable private Channel channel;
    @Nullable private Channel probeChannel;

    /** A server that logs through SLF4J (events at debug level, the unexpected as warnings). */
    public RendezvousServer(RendezvousConfig config) {
        this(config, RendezvousMetrics.NONE);
    }

    RendezvousServer(RendezvousConfig config, RendezvousMetrics metrics) {
        this.config = requireNonNull(config, "config");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    /**
     * Binds the ports and starts serving.
     *
     * @return this
     * @throws IOException if a port cannot be bound, e.g. {@link java.net.BindException}
     */
    public RendezvousServer start() throws IOException {
        Rooms rooms = new Rooms(new RoomCodes(), group.next(), config, metrics);
        this.rooms = rooms;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, group)
                .channel(NioServerSocketChannel.class)
                // Lets a restarted rendezvous bind at once although old connections sit in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                // The kernel's default cap (somaxconn); a deeper accept queue absorbs a connection flood's
                // bursts instead of dropping SYNs, which would cost a well-behaved peer 1 s or more each.
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new RendezvousInitializer(rooms,
                        new PendingConnections(config.maxPendingPerAddress()), config));
        try {
            // The probe port first, so that every joined frame can already announce it.
            if (config.probeAddress() != null) {
                probeChannel = bind(bootstrap, config.probeAddress());
                rooms.probePort(((InetSocketAddress) probeChannel.localAddress()).getPort());
            }
            channel = bind(bootstrap, config.address());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Where peers connect. */
    public InetSocketAddress address() {
        return (InetSocketAddress) requireNonNull(channel, "not started").localAddress();
    }

    /** Where NAT probes connect, or {@code null} if there is no probe port. */
    @Nullable
    public InetSocketAddress probeAddress() {
        return probeChannel == null ? null : (InetSocketAddress) probeChannel.localAddress();
    }

    /** Open rooms right now; for tests and benchmarks. */
    int rooms() {
        Rooms rooms = requireNonNull(this.rooms, "not started");
        try {
            return group.next().submit(rooms::size).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completes when the server stops. */
    public io.netty.util.concurrent.Future<?> terminationFuture() {
        return group.terminationFuture();
    }

    /** Closes all connections and stops; waits at most a few seconds. */
    @Override
    public void close() {
        // Quiet period 0: connections are closed at once, nothing is in flight worth waiting for.
        acceptor.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) throws IOException {
        ChannelFuture future = bootstrap.bind(address).awaitUninterruptibly();
        if (future.isSuccess()) {
            return future.channel();
        }
        Throwable cause = future.cause();
        if (cause instanceof IOException io) {
            throw io;
        }
        throw new UncheckedIOException(new IOException("cannot bind " + address + ": " + cause, cause));
    }
}
