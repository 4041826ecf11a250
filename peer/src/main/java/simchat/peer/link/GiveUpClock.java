package simchat.peer.link;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;

/**
 * {@code --give-up-after}: a connector that ends the chat when it has no link for that long, first before the
 * first hello ({@link Outcome.GaveUp}), then after every lost link ({@link Outcome.ConnectionLost}). It wraps
 * the connector that looks for the links, so it sees the same start, hellos and losses. On the event loop.
 */
public final class GiveUpClock implements Connector {

    private final EventLoop loop;
    private final Duration after;
    private final Connector inner;
    private LinkSink links;
    private ScheduledFuture<?> alarm;

    public GiveUpClock(EventLoop loop, Duration after, Connector inner) {
        this.loop = requireNonNull(loop, "loop");
        this.after = requireNonNull(after, "after");
        this.inner = requireNonNull(inner, "inner");
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("after: " + after + " (expected: positive)");
        }
    }

    @Override
    public void start(LinkSink links) {
        this.links = requireNonNull(links, "links");
        arm(new Outcome.GaveUp(inner.notConnectedWithin(within())));
        inner.start(links);
    }

    @Override
    public void helloCompleted(Link link) {
        disarm();
        inner.helloCompleted(link);
    }

    @Override
    public void next(ChatEvent.ConnectionLost lost) {
        arm(new Outcome.ConnectionLost("the connection to " + lost.peer() + " was lost and not restored within "
                + within()));
        inner.next(lost);
    }

    @Override
    public void stop() {
        disarm();
        inner.stop();
    }

    @Override
    public String notConnectedWithin(String within) {
        return inner.notConnectedWithin(within);
    }

    private void arm(Outcome.Failure failure) {
        disarm();
        alarm = loop.schedule(() -> links.noMoreLinks(failure), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (alarm != null) {
            alarm.cancel(false);
            alarm = null;
        }
    }

    /** The period in words: {@code "30 s"}, {@code "0.8 s"}. */
    private String within() {
        long millis = after.toMillis();
        return (millis % 1000 == 0 ? String.valueOf(millis / 1000)
                : String.format(Locale.ROOT, "%.1f", millis / 1000.0)) + " s";
    }
}
