package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a spliced relay pair: every byte read goes to the other side's connection, unread and unchanged
 * (the peers' TLS). Reading stops while the other side cannot take more (its write buffer is above the high
 * water mark) and resumes when it drains, so a fast sender and a slow receiver cost the relay a bounded buffer.
 */
final class SpliceHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SpliceHandler.class);

    private final SplicedPair pair;
    private final Channel other;

    SpliceHandler(SplicedPair pair, Channel other) {
        this.pair = requireNonNull(pair, "pair");
        this.other = requireNonNull(other, "other");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes) || !pair.carry(bytes.readableBytes()) || !other.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        other.write(bytes, other.voidPromise());
        if (!other.isWritable()) {
            // Stop first, then flush: the flush may drain the other side at once, and its writability event
            // (which resumes reading here) must not come before the stop.
            ctx.channel().config().setAutoRead(false);
            other.flush();
            if (other.isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        other.flush();
    }

    /** This side drained: the other side may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            other.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            pair.closeBoth("nothing relayed for " + Room.humanize(SplicedPair.IDLE_TIMEOUT));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("{}: relay: unexpected {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
