package simchat.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import simchat.peer.console.ChatEvent;
import simchat.peer.link.Connector;
import simchat.peer.link.Link;
import simchat.peer.link.LinkSink;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Features;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.Message;
import simchat.peer.wire.Typing;

/** The typing indicator, lines sent in parts and the {@code left} event, through the whole pipeline. */
class TypingPartsAndLeavingTest {

    private static final Hello OURS = new Hello(Hello.PROTOCOL_VERSION, "alice", "aaaa")
            .withFeatures(List.of(Features.TYPING, Features.PARTS));
    private static final Hello NEW_BOB = new Hello(Hello.PROTOCOL_VERSION, "bob", "bbbb", "bob-epoch")
            .withFeatures(List.of(Features.TYPING, Features.PARTS, "teleport"));
    private static final Hello OLD_BOB = new Hello(Hello.PROTOCOL_VERSION, "bob", "bbbb", "bob-epoch");

    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    /** The session's loop: the first channel's, which later channels of the test share through it. */
    private final EmbeddedChannel first = new EmbeddedChannel();
    private EmbeddedChannel channel = first;
    private final ChatSession session = new ChatSession(first.eventLoop(), events::add);

    TypingPartsAndLeavingTest() {
        // Time moves only when the test says so.
        first.freezeTime();
        new PeerPipeline(OURS, session).install(channel, () -> { });
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
        first.finishAndReleaseAll();
    }

    @Test
    void tellsAPeerThatUnderstandsItThatWeTypeAtMostEveryThreeSeconds() {
        handshake(NEW_BOB);

        session.typing();
        session.typing();
        assertThat(sent()).containsExactly(new Typing());

        later(ChatSession.TYPING_INTERVAL.toMillis() - 1);
        session.typing();
        assertThat(sent()).as("still within 3 s of the last one").isEmpty();

        later(1);
        session.typing();
        assertThat(sent()).containsExactly(new Typing());
    }

    @Test
    void theFirstKeyAfterALineWasSentTellsThePeerAgainAtOnce() {
        handshake(NEW_BOB);
        session.typing();
        session.submit("hi");
        session.typing();
        assertThat(sent()).extracting(Json::typeName).containsExactly("typing", "chat", "typing");
    }

    @Test
    void neverSendsTypingToAPeerThatDidNotAnnounceIt() {
        handshake(OLD_BOB);
        session.typing();
        session.submit("hi");
        session.typing();
        assertThat(sent()).extracting(Json::typeName).containsExactly("chat");
    }

    @Test
    void showsThePeerTypingUntilItsMessageArrives() {
        handshake(NEW_BOB);

        receive(new Typing());
        receive(new Typing());
        assertThat(events).containsExactly(new ChatEvent.Typing("bob", true));

        receive(new Chat("m1", 1, 1000, "hi alice"));
        assertThat(events).containsExactly(new ChatEvent.Typing("bob", true), new ChatEvent.Typing("bob", false),
                new ChatEvent.MessageReceived("bob", 1, "m1", 1000, "hi alice"));
    }

    @Test
    void theIndicatorGoesSixSecondsAfterTheLastTypingFrame() {
        handshake(NEW_BOB);
        receive(new Typing());
        later(ChatSession.TYPING_SHOWN_FOR.toMillis() - 1_000);
        receive(new Typing());
        later(ChatSession.TYPING_SHOWN_FOR.toMillis() - 1);
        assertThat(events).as("6 s since the first frame, not since the last").containsExactly(
                new ChatEvent.Typing("bob", true));

        later(1);
        assertThat(events).containsExactly(new ChatEvent.Typing("bob", true), new ChatEvent.Typing("bob", false));
    }

    @Test
    void theIndicatorGoesWhenThePeerLeaves() {
        handshake(NEW_BOB);
        receive(new Typing());
        receive(new Bye(null));
        assertThat(events).containsExactly(new ChatEvent.Typing("bob", true), new ChatEvent.Typing("bob", false),
                new ChatEvent.PeerLeft("bob", null));
    }

    @Test
    void marksEachPartButTheLastOfALongLineAsContinued() {
        handshake(OLD_BOB);
        session.submit("first half, ", true);
        session.submit("second half", false);
        assertThat(sent()).containsExactly(new Chat(id(0), 1, time(0), "first half, ", true),
                new Chat(id(1), 2, time(1), "second half"));
        assertThat(lastSentFrames).first().asString().contains("\"more\":true");
        assertThat(lastSentFrames).last().asString().doesNotContain("more");
    }

    @Test
    void showsALineSentInPartsAsOneMessageAcknowledgedOnceShown() {
        handshake(NEW_BOB);

        receive(new Chat("p1", 1, 1000, "aaa", true));
        receive(new Chat("p2", 2, 1001, "bbb", true));
        assertThat(messages()).as("held until the last part").isEmpty();
        assertThat(sent()).as("nothing acknowledged while held").isEmpty();

        receive(new Chat("p3", 3, 1002, "ccc"));
        assertThat(messages()).containsExactly(new ChatEvent.MessageReceived("bob", 3, "p1", 1000, "aaabbbccc", 3));
        assertThat(sent()).containsExactly(new Ack(3));

        receive(new Chat("m4", 4, 1003, "short"));
        assertThat(messages()).last().isEqualTo(new ChatEvent.MessageReceived("bob", 4, "m4", 1003, "short"));
    }

    @Test
    void partsHeldWhenTheLinkDiesAreShownOnceWhenTheyComeAgain() {
        session.connectVia(new Redialing());
        handshake(NEW_BOB);
        receive(new Chat("p1", 1, 1000, "aaa", true));
        channel.close();
        assertThat(session.attached()).isFalse();

        channel = new EmbeddedChannel();
        new PeerPipeline(OURS, session).install(channel, () -> { });
        handshake(NEW_BOB);
        receive(new Chat("p1", 1, 1000, "aaa", true));
        receive(new Chat("p2", 2, 1001, "bbb"));

        assertThat(messages()).containsExactly(new ChatEvent.MessageReceived("bob", 2, "p1", 1000, "aaabbb", 2));
        assertThat(sent()).containsExactly(new Ack(2));
    }

    @Test
    void aHeldPartIsNeverMarkedShownSoARestartedPeerShowsTheWholeLineWhenItComesAgain(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("chat.jsonl");
        EmbeddedChannel other = new EmbeddedChannel();
        Journal journal = Journal.open(file);
        ChatSession crashing = new ChatSession(other.eventLoop(), e -> { }, journal);
        new PeerPipeline(OURS, crashing).install(other, () -> { });
        for (Message message : List.of(NEW_BOB, new Chat("m1", 1, 1000, "whole"), new Chat("p2", 2, 1001, "half", true))) {
            other.writeInbound(Unpooled.copiedBuffer(Json.format(message) + "\n", StandardCharsets.UTF_8));
        }
        journal.close();
        other.finishAndReleaseAll();

        try (Journal restarted = Journal.open(file)) {
            assertThat(restarted.shownUpTo("bob-epoch")).as("the whole line, not the held part").isEqualTo(1);
        }
    }

    @Test
    void showsWhatArrivedOfAnUnfinishedLineWhenThePeerLeaves() {
        handshake(NEW_BOB);
        receive(new Chat("p1", 1, 1000, "cut ", true));
        receive(new Bye(null));
        assertThat(events).containsSubsequence(new ChatEvent.MessageReceived("bob", 1, "p1", 1000, "cut "),
                new ChatEvent.PeerLeft("bob", null));
    }

    @Test
    void holdsAtMostSixtyFourPartsSoTheSenderNeverWaitsForUs() {
        handshake(NEW_BOB);
        for (int seq = 1; seq <= ChatSession.MAX_HELD_PARTS + 1; seq++) {
            receive(new Chat("p" + seq, seq, 1000, "x", true));
        }
        assertThat(messages()).containsExactly(new ChatEvent.MessageReceived("bob", ChatSession.MAX_HELD_PARTS, "p1",
                1000, "x".repeat(ChatSession.MAX_HELD_PARTS), ChatSession.MAX_HELD_PARTS));
        assertThat(sent()).containsExactly(new Ack(ChatSession.MAX_HELD_PARTS));
    }

    @Test
    void aPartThatIsNotTheAnnouncedContinuationEndsTheHeldLine() {
        handshake(NEW_BOB);
        receive(new Chat("p1", 1, 1000, "cut ", true));
        receive(new Chat("m9", 9, 1001, "after a restart"));
        assertThat(messages()).containsExactly(new ChatEvent.MessageReceived("bob", 1, "p1", 1000, "cut "),
                new ChatEvent.MessageReceived("bob", 9, "m9", 1001, "after a restart"));
    }

    @Test
    void saysItLeftWhenTheUserQuitsOnceEverythingIsDelivered() {
        handshake(NEW_BOB);
        session.submit("bye bob");
        session.endOfInput("quit");
        session.endOfInput();
        assertThat(events).noneMatch(ChatEvent.Left.class::isInstance);

        receive(new Ack(1));
        assertThat(events).contains(new ChatEvent.Left("quit", 0));
        assertThat(sent()).contains(new Bye(null));
    }

    @Test
    void saysItLeftAtTheEndOfInput() {
        handshake(NEW_BOB);
        session.endOfInput();
        assertThat(events).containsOnlyOnce(new ChatEvent.Left("end-of-input", 0));
    }

    @Test
    void saysItLeftOnAnInterruptWithWhatWasNotDelivered() {
        handshake(NEW_BOB);
        session.submit("unanswered");
        session.leaveNow("interrupted");
        assertThat(events).contains(new ChatEvent.Left("interrupted", 1));
        assertThat(sent()).contains(new Bye("interrupted"));
    }

    @Test
    void saysItLeftWhenTheUserQuitsWhileStillDialing() {
        session.submit("queued");
        session.leaveNow(null);
        assertThat(events).contains(new ChatEvent.Left("quit", 1));
    }

    /** A connector that lets the session detach and wait for the next channel, which the test hands over. */
    private static final class Redialing implements Connector {
        @Override
        public void start(LinkSink links) {
        }

        @Override
        public void helloCompleted(Link link) {
        }

        @Override
        public void next(ChatEvent.ConnectionLost lost) {
        }

        @Override
        public void stop() {
        }

        @Override
        public String notConnectedWithin(String within) {
            return "not within " + within;
        }
    }

    private final List<Message> everSent = new ArrayList<>();
    private final List<String> lastSentFrames = new ArrayList<>();

    private String id(int i) {
        return ((Chat) everSent.stream().filter(Chat.class::isInstance).toList().get(i)).id();
    }

    private long time(int i) {
        return ((Chat) everSent.stream().filter(Chat.class::isInstance).toList().get(i)).time();
    }

    private List<ChatEvent.MessageReceived> messages() {
        return events.stream().filter(ChatEvent.MessageReceived.class::isInstance)
                .map(ChatEvent.MessageReceived.class::cast).toList();
    }

    private void handshake(Hello theirs) {
        receive(theirs);
        sent();
        events.clear();
    }

    private void later(long millis) {
        first.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        first.runScheduledPendingTasks();
    }

    private void receive(Message message) {
        channel.writeInbound(Unpooled.copiedBuffer(Json.format(message) + "\n", StandardCharsets.UTF_8));
    }

    /** Everything written since the last call, decoded (and the frames as written in {@link #lastSentFrames}). */
    private List<Message> sent() {
        List<Message> out = new ArrayList<>();
        lastSentFrames.clear();
        first.runPendingTasks();
        channel.runPendingTasks();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
                lastSentFrames.add(line);
                out.add(Json.parse(line));
            }
            buf.release();
        }
        everSent.addAll(out);
        return out;
    }
}
