package simchat.peer.session;

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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Ping ping) {
            ctx.writeAndFlush(new Pong(ping.time()));
        } else if (!(msg instanceof Pong)) {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            switch (idle.state()) {
                case WRITER_IDLE -> ctx.writeAndFlush(new Ping(System.currentTimeMillis()));
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
