package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Protocol;
import simchat.rendezvous.protocol.ProtocolException;

/**
 * The peer's side of the relay: one more connection to the rendezvous' port (from any local port: nothing is
 * punched through it), one {@code splice} frame with our token, and then nothing until the relay says {@code
 * spliced}; from there the connection carries the chat's own bytes, TLS first. The greeting is read by hand, not
 * by a line decoder, so that whatever the other peer sent right after it stays for the chat's pipeline.
 */
final class RelayClient {

    /** The relay waits 10 s for the other peer; a little more here, so that its reason comes first. */
    static final Duration SPLICE_TIMEOUT = Duration.ofSeconds(15);

    private RelayClient() {
    }

    /**
     * A relay connection spliced to the other peer's: not reading (until the chat takes it), its pipeline empty,
     * and {@code early} holding what the other peer sent in the same segment as {@code spliced} (maybe empty; the
     * taker fires it into the pipeline, or releases it).
     */
    record Spliced(Channel channel, ByteBuf early) {
        Spliced {
            requireNonNull(channel, "channel");
            requireNonNull(early, "early");
        }
    }

    /** Connects to {@code relay} on {@code loop} and splices with {@code token}; fails with the reason in words. */
    static Future<Spliced> splice(EventLoop loop, InetSocketAddress relay, String token) {
        Promise<Spliced> result = loop.newPromise();
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channelFactory(() -> new NioSocketChannel(SelectorProvider.provider(),
                        relay.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6
                                : InternetProtocolFamily.IPv4))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, RendezvousClient.CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Greeting(token, result))
                .connect(relay);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.tryFailure(new IllegalStateException(Advice.reason(f.cause())));
            }
        });
        // Whoever gives up on the splice (the chat ended) closes the connection.
        result.addListener(f -> {
            if (f.isCancelled()) {
                connect.channel().close();
            }
        });
        return result;
    }

    /** Sends the splice frame, then reads the relay's one-line answer byte by byte up to its newline. */
    private static final class Greeting extends ChannelInboundHandlerAdapter {

        private final String token;
        private final Promise<Spliced> result;
        private ByteBuf line;
        private ScheduledFuture<?> deadline;

        Greeting(String token, Promise<Spliced> result) {
            this.token = token;
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            line = ctx.alloc().buffer(256);
            deadline = ctx.executor().schedule(() -> fail(ctx, "the other peer did not come to the relay within "
                    + SPLICE_TIMEOUT.toSeconds() + " s"), SPLICE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), Protocol.encode(new Message.Splice(token)) + "\n"));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (line == null) {
                in.release(); // failed already
                return;
            }
            try {
                int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                int take = (newline < 0 ? in.writerIndex() : newline) - in.readerIndex();
                if (line.readableBytes() + take > Protocol.MAX_FRAME_BYTES) {
                    fail(ctx, "the relay's answer is longer than " + Protocol.MAX_FRAME_BYTES + " bytes");
                    return;
                }
                line.writeBytes(in, take);
                if (newline < 0) {
                    return;
                }
                in.skipBytes(1);
                answered(ctx, line.toString(StandardCharsets.UTF_8).strip(), in);
            } finally {
                in.release();
            }
        }

        private void answered(ChannelHandlerContext ctx, String json, ByteBuf rest) {
            Message answer;
            try {
                answer = Protocol.decode(json);
            } catch (ProtocolException e) {
                fail(ctx, "the relay's answer is not valid (" + e.getMessage() + ")");
                return;
            }
            if (answer instanceof Message.Error error) {
                fail(ctx, "relay: " + error.code() + ": " + error.message());
            } else if (!(answer instanceof Message.Spliced)) {
                fail(ctx, "the relay answered \"" + answer.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                        + "\" instead of \"spliced\"");
            } else {
                Channel channel = ctx.channel();
                channel.config().setAutoRead(false);
                ByteBuf early = rest.retainedSlice();
                cleanUp();
                ctx.pipeline().remove(this);
                if (!result.trySuccess(new Spliced(channel, early))) {
                    early.release();
                    channel.close();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx, "the relay closed the connection before the other peer came");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, Advice.reason(cause));
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cleanUp();
        }

        private void fail(ChannelHandlerContext ctx, String reason) {
            cleanUp();
            result.tryFailure(new IllegalStateException(reason));
            ctx.close();
        }

        private void cleanUp() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            if (line != null) {
                line.release();
                line = null;
            }
        }
    }
}
