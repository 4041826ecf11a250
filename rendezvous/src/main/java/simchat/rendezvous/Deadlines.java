package simchat.rendezvous;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fairness for deadlines under load: a deadline's verdict waits for the event loop's next pass
 * over the sockets, so that a frame already received but not yet read when a lagging loop gets
 * round to the deadline still counts.
 */
final class Deadlines {

    private Deadlines() {
    }

    /**
     * Runs {@code verdict} after the event loop's next pass over its sockets. A deadline task runs
     * among the loop's tasks, which come after that pass; a task scheduled from it with no delay
     * waits for the next pass, which reads any frame that arrived before the deadline.
     *
     * @return the scheduled verdict, to cancel if the connection proves itself in the meantime
     */
    static ScheduledFuture<?> afterNextRead(ChannelHandlerContext ctx, Runnable verdict) {
        return ctx.executor().schedule(verdict, 0, TimeUnit.NANOSECONDS);
    }
}
