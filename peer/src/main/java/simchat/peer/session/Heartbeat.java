package simchat.peer.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import simchat.peer.wire.Ping;
import simchat.peer.wire.Pong;

/**
 * Keeps the link honest: pings when we have been quiet, answers pings, and reports a peer that has
 * sent nothing (not even a ping) for the reader-idle timeout as {@link PeerSilent}. Works with an
 * {@link io.netty.handler.timeout.IdleStateHandler} in front of it.
 */
final class Heartbeat extends ChannelDuplexHandler {

    /** Hears the round trip of each ping answered, in nanoseconds. */
    @FunctionalInterface
    interface RoundTrips {
        void measured(Channel channel, long nanos);
    }

    private final RoundTrips roundTrips;
    /** The time field of our last ping (the peer echoes it) and when it left, by our monotonic clock. */
    private long pingTime = Long.MIN_VALUE;
    private long pingNanos;

    Heartbeat(RoundTrips roundTrips) {
        this.roundTrips = roundTrips;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Ping ping) {
            ctx.writeAndFlush(new Pong(ping.time()));
        } else if (msg instanceof Pong pong) {
            if (pong.time() == pingTime) {
                // Measured here rather than from the echoed wall-clock time: nanoseconds, and immune to clock steps.
                roundTrips.measured(ctx.channel(), System.nanoTime() - pingNanos);
                pingTime = Long.MIN_VALUE;
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            switch (idle.state()) {
                case WRITER_IDLE -> {
                    pingTime = System.currentTimeMillis();
                    pingNanos = System.nanoTime();
                    ctx.writeAndFlush(new Ping(pingTime));
                }
                case READER_IDLE -> ctx.fireExceptionCaught(new PeerSilent());
                default -> { }
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** The peer sent nothing within the heartbeat timeout. */
    static final class PeerSilent extends RuntimeException {
        PeerSilent() {
            super("no sign of life from the peer", null, false, false);
        }
    }
}
