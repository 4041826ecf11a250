package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Nullable;
import simchat.rendezvous.protocol.ProtocolException;

/**
 * Ends a connection whose current frame is not complete within a deadline of its first byte
 * (slowloris): the idle timeout alone would be reset by every dribbled byte.
 */
final class FrameDeadlineHandler extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    @Nullable private ScheduledFuture<?> deadline;

    FrameDeadlineHandler(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            int lastNewline = bytes.forEachByteDesc(ByteProcessor.FIND_LF);
            if (lastNewline >= 0) {
                cancel(); // a frame ended: whatever follows is a new frame with a deadline of its own
            }
            boolean partial = lastNewline < bytes.writerIndex() - 1;
            if (partial && deadline == null) {
                deadline = ctx.executor().schedule(() -> expire(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void expire(ChannelHandlerContext ctx) {
        // Through the codec to the session handler, which reports it like any other violation.
        deadline = Deadlines.afterNextRead(ctx, () -> {
            deadline = null;
            ctx.fireExceptionCaught(new ProtocolException(ErrorCode.FRAME_TIMEOUT,
                    "frame not completed within " + Room.humanize(timeout)));
        });
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
