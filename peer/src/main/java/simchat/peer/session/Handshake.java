package simchat.peer.session;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Hello;
import simchat.peer.wire.ProtocolException;
import simchat.peer.wire.StartTls;

/**
 * Exchanges {@link Hello}s: sends ours as soon as the channel is active, checks theirs (protocol
 * version, not our own nonce), then leaves the pipeline and fires a {@link PeerIdentified} event.
 */
final class Handshake extends ChannelInboundHandlerAdapter {

    private final Hello ours;
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;

    /** {@code timeoutMillis}: how long the peer may take, from now, to say hello. */
    Handshake(Hello ours, long timeoutMillis) {
        this.ours = requireNonNull(ours, "ours");
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timeout != null) {
            return;
        }
        ctx.writeAndFlush(ours);
        timeout = ctx.executor().schedule(() -> ctx.fireExceptionCaught(
                new ProtocolException("the other side did not say hello within " + timeoutMillis / 1000 + " s")),
                timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof StartTls) {
            throw new ProtocolException("the other peer encrypts and this one runs with --plaintext:"
                    + " start both peers with --plaintext, or neither");
        }
        if (!(msg instanceof Hello theirs)) {
            throw new ProtocolException("expected hello, got " + Frames.typeOf(msg));
        }
        timeout.cancel(false);
        if (theirs.version() != ours.version()) {
            String reason = "incompatible protocol version " + theirs.version() + " (this peer speaks "
                    + ours.version() + ")";
            ctx.writeAndFlush(new Bye(reason));
            throw new ProtocolException(reason);
        }
        if (theirs.nonce().equals(ours.nonce())) {
            throw new ProtocolException("connected to itself: --remote points back at this peer");
        }
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(new PeerIdentified(theirs));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
