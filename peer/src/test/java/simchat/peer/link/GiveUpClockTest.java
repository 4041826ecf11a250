package simchat.peer.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.session.ChatSession;
import simchat.peer.session.PeerPipeline;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;

/** {@code --give-up-after}, on the embedded channel's clock, in front of a real session and pipeline. */
class GiveUpClockTest {

    private static final Duration AFTER = Duration.ofMillis(800);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<ChatEvent> events = new ArrayList<>();
    private final ChatSession session = new ChatSession(channel.eventLoop(), events::add);
    private final PeerPipeline pipeline = new PeerPipeline(new Hello(Hello.PROTOCOL_VERSION, "alice", "aaaa"), session);
    private final OneLink inner = new OneLink(channel);
    /** The clock's own loop: closing the link's embedded channel cancels every task scheduled on that one. */
    private final EmbeddedChannel ticks = new EmbeddedChannel();
    private final GiveUpClock clock = new GiveUpClock(ticks.eventLoop(), AFTER, inner);

    GiveUpClockTest() {
        // Only the advanced time counts: a busy machine's real milliseconds must not fire the clock early.
        channel.freezeTime();
        ticks.freezeTime();
        session.connectVia(clock);
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
        ticks.finishAndReleaseAll();
    }

    @Test
    void endsTheChatAsGaveUpWhenNoHelloCameInTime() {
        clock.start(pipeline);
        elapse(AFTER.toMillis() - 1);
        assertThat(session.outcome()).as("a millisecond before the time is up").isNotDone();

        elapse(1);

        assertThat(session.outcome()).isCompletedWithValue(new Outcome.GaveUp("found no link within 0.8 s"));
        assertThat(inner.asked).containsExactly("start", "stop");
    }

    @Test
    void aHelloInTimeStopsTheClock() {
        clock.start(pipeline);
        elapse(AFTER.toMillis() - 1);
        peerSaysHello();

        elapse(10 * AFTER.toMillis());

        assertThat(session.outcome()).as("events: " + events + ", asked: " + inner.asked).isNotDone();
        assertThat(inner.asked).containsExactly("start", "hello");
    }

    @Test
    void aLostLinkStartsTheClockAgainAndEndsTheChatAsConnectionLost() {
        clock.start(pipeline);
        peerSaysHello();
        elapse(10 * AFTER.toMillis());
        channel.pipeline().fireExceptionCaught(new IOException("connection reset"));
        assertThat(inner.asked).containsExactly("start", "hello", "next");

        elapse(AFTER.toMillis());

        assertThat(session.outcome()).as("events: " + events + ", asked: " + inner.asked).isCompletedWithValue(new Outcome.ConnectionLost(
                "the connection to bob was lost and not restored within 0.8 s"));
        assertThat(events).contains(new ChatEvent.ConnectionLost("bob", "connection reset"));
    }

    @Test
    void aChatThatEndsOtherwiseStopsTheClock() {
        clock.start(pipeline);
        session.leaveNow(null);

        elapse(10 * AFTER.toMillis());

        assertThat(session.outcome()).isCompletedWithValue(new Outcome.Ended());
        assertThat(events).noneMatch(ChatEvent.Failure.class::isInstance);
    }

    private void peerSaysHello() {
        channel.writeInbound(Unpooled.copiedBuffer(Json.format(new Hello(Hello.PROTOCOL_VERSION, "bob", "bbbb"))
                + "\n", StandardCharsets.UTF_8));
    }

    private void elapse(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ticks.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        ticks.runScheduledPendingTasks();
    }

    /** The connector under the clock: hands over the embedded channel as its one link, and notes each call. */
    private static final class OneLink implements Connector {
        final List<String> asked = new ArrayList<>();
        private final EmbeddedChannel channel;

        OneLink(EmbeddedChannel channel) {
            this.channel = channel;
        }

        @Override
        public void start(LinkSink links) {
            asked.add("start");
            links.offer(new Link(channel, 1, Duration.ZERO, () -> asked.add("lost before hello")));
        }

        @Override
        public void helloCompleted(Link link) {
            asked.add("hello");
        }

        @Override
        public void next(ChatEvent.ConnectionLost lost) {
            asked.add("next");
        }

        @Override
        public void stop() {
            asked.add("stop");
        }

        @Override
        public String notConnectedWithin(String within) {
            return "found no link within " + within;
        }
    }
}
