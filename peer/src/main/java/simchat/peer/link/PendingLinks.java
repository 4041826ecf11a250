package simchat.peer.link;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import simchat.peer.Outcome;

/**
 * The {@link LinkSink} a connector starts with before the chat's pipeline exists, so that the first SYN
 * need not wait for the journal, the identity and TLS: it holds the links found (still not reading, so
 * nothing the other side sends is lost) and the end of hope, and hands them over once {@linkplain
 * #deliverTo the real sink} is ready. Confined to the chat's event loop.
 */
public final class PendingLinks implements LinkSink {

    private final List<Link> held = new ArrayList<>();
    private Outcome.Failure end;
    private LinkSink target;
    private boolean cancelled;

    @Override
    public void offer(Link link) {
        requireNonNull(link, "link");
        if (target != null) {
            target.offer(link);
        } else if (cancelled) {
            link.channel().close();
        } else {
            held.add(link);
        }
    }

    @Override
    public void noMoreLinks(Outcome.Failure why) {
        requireNonNull(why, "why");
        if (target != null) {
            target.noMoreLinks(why);
        } else if (end == null) {
            end = why;
        }
    }

    /** From now on everything goes to {@code sink}, first what was held, in the order it came. */
    public void deliverTo(LinkSink sink) {
        if (target != null || cancelled) {
            throw new IllegalStateException("links are already delivered or cancelled");
        }
        target = requireNonNull(sink, "sink");
        for (Link link : held) {
            sink.offer(link);
        }
        held.clear();
        if (end != null) {
            sink.noMoreLinks(end);
        }
    }

    /** The chat never got going: links held, and links still to come, are closed. */
    public void cancel() {
        cancelled = true;
        for (Link link : held) {
            link.channel().close();
        }
        held.clear();
    }
}
