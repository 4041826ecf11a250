package simchat.rendezvous;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;
import simchat.rendezvous.protocol.Protocol;

/**
 * Misbehaving clients for the abuse benchmark: silent, slowloris, junk and oversized frames, each
 * connection recorded (when it connected, when it started dribbling, when and why the rendezvous
 * closed it). Netty clients, so that thousands fit in two threads.
 */
final class AbuseClients implements AutoCloseable {

    /** What a connection does, and the error code the rendezvous should answer with. */
    enum Kind {
        /** Connects and sends nothing. */
        SILENT(ErrorCode.IDLE_TIMEOUT),
        /** Dribbles a {@code join} one byte every {@link #DRIBBLE_EVERY_MILLIS}; never completes it in time. */
        SLOW_BEFORE_JOIN(ErrorCode.IDLE_TIMEOUT),
        /** Joins properly, then dribbles a frame that never ends. */
        SLOW_AFTER_JOIN(ErrorCode.FRAME_TIMEOUT),
        /** Random bytes and a newline. */
        RANDOM_BYTES(ErrorCode.BAD_REQUEST),
        /** A line that is not JSON. */
        INVALID_JSON(ErrorCode.BAD_REQUEST),
        /** JSON with a type the protocol does not have. */
        UNKNOWN_TYPE(ErrorCode.BAD_REQUEST),
        /** A frame that is not UTF-8. */
        NOT_UTF8(ErrorCode.BAD_REQUEST),
        /** A valid message at the wrong time. */
        UNEXPECTED(ErrorCode.UNEXPECTED_MESSAGE),
        /** 9,000 bytes without a newline, beyond the 8,192-byte frame limit. */
        OVERSIZED(ErrorCode.FRAME_TOO_LONG);

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        static final List<Kind> JUNK = List.of(RANDOM_BYTES, INVALID_JSON, UNKNOWN_TYPE, NOT_UTF8, UNEXPECTED, OVERSIZED);
    }

    static final long DRIBBLE_EVERY_MILLIS = 2_000;

    /** One connection's record; written on the client event loop, read once everything is closed. */
    static final class Conn {
        final Kind kind;
        final String source;
        /** When the connect was started, and when the client's event loop saw it complete. */
        volatile long startedNanos;
        volatile long connectedNanos;
        volatile long firstByteNanos;
        /** When a junk client's event loop got round to sending its junk. */
        volatile long sentNanos;
        volatile long closedNanos;
        volatile boolean connectFailed;
        volatile boolean reset;
        @Nullable volatile String code;
        /** A second error frame, which the rendezvous should never send. */
        @Nullable volatile String laterCode;

        Conn(Kind kind, String source) {
            this.kind = kind;
            this.source = source;
        }

        boolean closed() {
            return closedNanos != 0 || connectFailed;
        }

        /** Closed by the rendezvous with the error frame this kind should get. */
        boolean closedWithExpectedReason() {
            return closedNanos != 0 && kind.expected.equals(code);
        }
    }

    private static final byte[] JOIN = (Protocol.encode(new Message.Join(null,
            new simchat.rendezvous.protocol.Endpoint("10.0.0.1", 8000), null)) + "\n").getBytes(StandardCharsets.UTF_8);

    private final InetSocketAddress server;
    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final Queue<Conn> conns = new ConcurrentLinkedQueue<>();
    private final Random random = new Random(42);

    AbuseClients(InetSocketAddress server) {
        this.server = server;
    }

    /**
     * Opens {@code count} connections, of the given kinds in turn, at most {@code inFlight} connects
     * at a time, from the given source addresses in turn; {@code holdMillis} is the longest random
     * pause before a junk client sends its junk. Returns once every connect completed.
     */
    void open(List<Kind> kinds, int count, List<String> sources, int inFlight, int holdMillis)
            throws InterruptedException {
        Semaphore connects = new Semaphore(inFlight);
        for (int i = 0; i < count; i++) {
            if (!connects.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new AssertionError("connects to the rendezvous stalled for 30 s");
            }
            String source = sources.get(i % sources.size());
            Kind kind = kinds.get(i % kinds.size());
            Conn conn = new Conn(kind, source);
            conns.add(conn);
            long hold = holdMillis == 0 ? 0 : random.nextInt(holdMillis);
            byte[] junk = junk(kind);
            conn.startedNanos = System.nanoTime();
            bootstrap(conn, junk, hold).connect(server, new InetSocketAddress(source, 0))
                    .addListener((ChannelFutureListener) f -> {
                        connects.release();
                        if (!f.isSuccess()) {
                            conn.connectFailed = true;
                        }
                    });
        }
        connects.acquire(inFlight);
        connects.release(inFlight);
    }

    /** Waits until every connection is closed, or the timeout passes; returns the ones still open. */
    long awaitAllClosed(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < end && open() > 0) {
            Thread.sleep(100);
        }
        return open();
    }

    long open() {
        return count(c -> !c.closed());
    }

    long count(Predicate<Conn> predicate) {
        return conns.stream().filter(predicate).count();
    }

    List<Conn> all() {
        return List.copyOf(conns);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private byte[] junk(Kind kind) {
        return switch (kind) {
            case RANDOM_BYTES -> {
                byte[] bytes = new byte[64];
                random.nextBytes(bytes);
                bytes[0] = '{'; // not a blank line, whatever follows
                bytes[63] = '\n';
                yield bytes;
            }
            case INVALID_JSON -> "{\"type\":\"join\",\"private\":\n".getBytes(StandardCharsets.US_ASCII);
            case UNKNOWN_TYPE -> "{\"type\":\"hello\",\"from\":\"a scanner\"}\n".getBytes(StandardCharsets.US_ASCII);
            case NOT_UTF8 -> new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}', '\n'};
            case UNEXPECTED -> (Protocol.encode(new Message.Pong(1)) + "\n").getBytes(StandardCharsets.UTF_8);
            case OVERSIZED -> "a".repeat(Protocol.MAX_FRAME_BYTES + 808).getBytes(StandardCharsets.US_ASCII);
            case SLOW_BEFORE_JOIN -> JOIN;
            case SLOW_AFTER_JOIN -> "{\"type\":\"pong\",\"seq\":1".getBytes(StandardCharsets.US_ASCII);
            case SILENT -> new byte[0];
        };
    }

    private Bootstrap bootstrap(Conn conn, byte[] junk, long holdMillis) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Protocol.addCodec(ch.pipeline());
                        ch.pipeline().addLast(new Behaviour(conn, junk, holdMillis));
                    }
                });
    }

    /** Does what the connection's kind does and records how it ends. */
    private static final class Behaviour extends SimpleChannelInboundHandler<Message> {
        private final Conn conn;
        private final byte[] junk;
        private final long holdMillis;
        private int dribbled;

        Behaviour(Conn conn, byte[] junk, long holdMillis) {
            this.conn = conn;
            this.junk = junk;
            this.holdMillis = holdMillis;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            conn.connectedNanos = System.nanoTime();
            switch (conn.kind) {
                case SILENT -> { }
                case SLOW_BEFORE_JOIN -> dribble(ctx.channel());
                case SLOW_AFTER_JOIN -> ctx.writeAndFlush(Unpooled.wrappedBuffer(JOIN));
                default -> ctx.executor().schedule(() -> {
                    if (ctx.channel().isActive()) {
                        conn.sentNanos = System.nanoTime();
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(junk));
                    }
                }, holdMillis, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Message message) {
            if (message instanceof Message.Error error) {
                if (conn.code != null) {
                    conn.laterCode = error.code();
                    return;
                }
                conn.code = error.code();
            } else if (message instanceof Message.Joined && conn.kind == Kind.SLOW_AFTER_JOIN) {
                dribble(ctx.channel());
            }
            // Pings go unanswered: a slowloris is in the middle of a frame.
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            conn.closedNanos = System.nanoTime();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            conn.reset = true; // e.g. reset because the rendezvous closed with our junk unread
            ctx.close();
        }

        /** One byte of the frame now and one every few seconds, until the connection closes. */
        private void dribble(Channel channel) {
            if (!channel.isActive()) {
                return;
            }
            if (dribbled == 0) {
                conn.firstByteNanos = System.nanoTime();
            }
            ByteBuf oneByte = Unpooled.wrappedBuffer(junk, dribbled % junk.length, 1);
            dribbled++;
            channel.writeAndFlush(oneByte);
            channel.eventLoop().schedule(() -> dribble(channel), DRIBBLE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
