package simchat.peer.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;
import simchat.peer.Outcome;

/** Links a connector finds before the chat's pipeline exists wait, not reading, and are handed over in order. */
class PendingLinksTest {

    private final PendingLinks pending = new PendingLinks();
    private final Recorded sink = new Recorded();
    private final EmbeddedChannel first = new EmbeddedChannel();
    private final EmbeddedChannel second = new EmbeddedChannel();

    @AfterEach
    void finish() {
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @Test
    void linksFoundBeforeThePipelineIsReadyAreHandedOverInTheOrderTheyCame() {
        Link a = link(first);
        Link b = link(second);
        pending.offer(a);
        pending.offer(b);
        assertThat(first.isOpen()).as("held, not closed").isTrue();

        pending.deliverTo(sink);

        assertThat(sink.offered).containsExactly(a, b);
    }

    @Test
    void afterDeliveryLinksAndTheEndGoStraightThrough() {
        pending.deliverTo(sink);
        Link a = link(first);

        pending.offer(a);
        pending.noMoreLinks(new Outcome.GaveUp("found no link within 1 s"));

        assertThat(sink.offered).containsExactly(a);
        assertThat(sink.ends).containsExactly(new Outcome.GaveUp("found no link within 1 s"));
    }

    @Test
    void anEndThatCameFirstReachesTheSinkAfterTheLinksHeldBeforeIt() {
        Link a = link(first);
        pending.offer(a);
        pending.noMoreLinks(new Outcome.PortUnavailable("port 8000 is taken"));
        pending.noMoreLinks(new Outcome.GaveUp("found no link within 1 s"));

        pending.deliverTo(sink);

        assertThat(sink.offered).containsExactly(a);
        assertThat(sink.ends).as("the first end only").containsExactly(new Outcome.PortUnavailable("port 8000 is taken"));
    }

    @Test
    void cancellingClosesTheLinksHeldAndEveryLinkStillToCome() {
        pending.offer(link(first));

        pending.cancel();
        pending.offer(link(second));

        assertThat(first.isOpen()).isFalse();
        assertThat(second.isOpen()).isFalse();
        assertThatThrownBy(() -> pending.deliverTo(sink)).isInstanceOf(IllegalStateException.class);
        assertThat(sink.offered).isEmpty();
    }

    private static Link link(EmbeddedChannel channel) {
        return new Link(channel, 1, Duration.ofMillis(3), () -> { });
    }

    /** What reached the real sink. */
    private static final class Recorded implements LinkSink {
        final List<Link> offered = new ArrayList<>();
        final List<Outcome.Failure> ends = new ArrayList<>();

        @Override
        public void offer(Link link) {
            offered.add(link);
        }

        @Override
        public void noMoreLinks(Outcome.Failure why) {
            ends.add(why);
        }
    }
}
