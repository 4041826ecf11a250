package simchat.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.link.Connector;
import simchat.peer.link.Link;
import simchat.peer.link.LinkSink;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.Message;
import simchat.peer.wire.Ping;
import simchat.peer.wire.Pong;

/** The whole per-connection pipeline, fed frames as the remote peer would send them. */
class PeerPipelineTest {

    private static final Hello OURS = new Hello(Hello.PROTOCOL_VERSION, "alice", "aaaa");
    private static final Hello THEIRS = new Hello(Hello.PROTOCOL_VERSION, "bob", "bbbb");

    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChatSession session = new ChatSession(channel.eventLoop(), events::add);
    private boolean lostBeforeHello;

    PeerPipelineTest() {
        new PeerPipeline(OURS, session).install(channel, () -> lostBeforeHello = true);
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void saysHelloFirst() {
        assertThat(sent()).containsExactly(OURS);
    }

    @Test
    void sendsLinesTypedBeforeTheConnectionOnceThePeerSaidHello() {
        session.submit("typed early");
        session.submit("and again");
        assertThat(sent()).containsExactly(OURS);

        receive(THEIRS);

        assertThat(sent()).extracting(m -> ((Chat) m).text()).containsExactly("typed early", "and again");
        assertThat(events).filteredOn(e -> !(e instanceof ChatEvent.Sent)).first()
                .isInstanceOf(ChatEvent.Connected.class);
    }

    @Test
    void acknowledgesAndShowsEachMessageOnce() {
        handshake();
        Chat chat = new Chat("m1", 1, 1000, "hi");

        receive(chat);
        receive(chat);

        assertThat(sent()).containsExactly(new Ack(1), new Ack(1));
        assertThat(events).filteredOn(ChatEvent.MessageReceived.class::isInstance).hasSize(1);
    }

    @Test
    void saysByeAtEndOfInputOnlyAfterEverythingWasAcknowledged() {
        handshake();
        session.submit("last words");
        session.endOfInput();
        assertThat(sent()).hasSize(1).first().isInstanceOf(Chat.class);

        receive(new Ack(1));

        assertThat(sent()).containsExactly(new Bye(null));
        assertThat(events).contains(new ChatEvent.Delivered(1));
    }

    @Test
    void endsNormallyWhenThePeerSaysBye() {
        handshake();
        receive(new Bye(null));
        assertThat(session.outcome()).isCompletedWithValue(new Outcome.Ended());
        assertThat(events).contains(new ChatEvent.PeerLeft("bob", null));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void waitsForTheAckOfALineThatCrossedThePeersBye() {
        handshake();
        session.submit("crossing");
        sent();
        receive(new Bye(null));
        assertThat(session.outcome()).as("still waiting for the ack").isNotDone();

        receive(new Ack(1));

        assertThat(session.outcome()).isCompletedWithValue(new Outcome.Ended());
        assertThat(events).contains(new ChatEvent.Delivered(1))
                .noneMatch(e -> e.toString().contains("not confirmed"));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void saysWhatWasNotConfirmedWhenThePeerLeftWithoutAcknowledgingIt() {
        handshake();
        session.submit("unanswered");
        sent();
        receive(new Bye(null));
        channel.advanceTimeBy(ChatSession.BYE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(session.outcome()).isCompletedWithValue(new Outcome.Ended());
        assertThat(events).anySatisfy(e -> assertThat(e.toString()).contains("1 message was not confirmed"));
    }

    @Test
    void answersPingsWithoutBotheringTheChat() {
        handshake();
        receive(new Ping(77));
        assertThat(sent()).containsExactly(new Pong(77));
        assertThat(events).hasSize(1);
    }

    @Test
    void pingsWhenWeHaveBeenQuiet() {
        handshake();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        assertThat(sent()).singleElement().isInstanceOf(Ping.class);
    }

    @Test
    void measuresTheRoundTripOfTheHeartbeatThePeerAnswered() {
        handshake();
        assertThat(session.stats().rtt()).as("before any heartbeat").isNull();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        Ping ping = (Ping) sent().get(0);

        receive(new Pong(ping.time() - 1));
        assertThat(session.stats().rtt()).as("a pong for another ping").isNull();
        receive(new Pong(ping.time()));

        assertThat(session.stats().rtt()).isNotNull().isPositive();
    }

    @Test
    void statsSayWhatWasSentReceivedAndStillQueuedOnWhichLink() {
        session.submit("early");
        assertThat(session.stats().attached()).isFalse();
        assertThat(session.stats().queued()).isEqualTo(1);
        handshake();
        session.submit("second");
        receive(new Chat("m1", 1, 1000, "hi"));
        receive(new Ack(1));

        ChatStats stats = session.stats();
        assertThat(stats.peer()).isEqualTo("bob");
        assertThat(stats.remote()).isNotNull();
        assertThat(stats.sent()).isEqualTo(2);
        assertThat(stats.received()).isEqualTo(1);
        assertThat(stats.queued()).isEqualTo(1);
        assertThat(stats.tlsProtocol()).as("plaintext").isNull();
        assertThat(stats.connected()).isNotNull();
    }

    @Test
    void sendsAnActionWithItsKindAndShowsTheOnesItReceivesAsActions() {
        handshake();
        session.submit("waves", Chat.ACTION);
        receive(new Chat("m1", 1, 1000, "nods", Chat.ACTION));

        assertThat(sent()).first().isInstanceOfSatisfying(Chat.class, c -> assertThat(c.action()).isTrue());
        assertThat(events).filteredOn(ChatEvent.Sent.class::isInstance).singleElement()
                .isInstanceOfSatisfying(ChatEvent.Sent.class, e -> {
                    assertThat(e.seq()).isEqualTo(1);
                    assertThat(e.text()).isEqualTo("waves");
                    assertThat(e.action()).isTrue();
                });
        assertThat(events).filteredOn(ChatEvent.MessageReceived.class::isInstance).singleElement()
                .isInstanceOfSatisfying(ChatEvent.MessageReceived.class, m -> assertThat(m.action()).isTrue());
    }

    @Test
    void reportsAPeerThatWentSilent() {
        handshake();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(session.outcome()).succeedsWithin(Duration.ZERO).isInstanceOf(Outcome.ConnectionLost.class);
        assertThat(failure()).contains("sent nothing for 20 s");
    }

    @Test
    void aJournalThatCannotKeepWhatArrivedEndsTheChatAsUnusableFilesNotAsABug() {
        handshake();
        // What Journal throws when a write fails, e.g. on a full disk.
        channel.pipeline().fireExceptionCaught(new java.io.UncheckedIOException("cannot write chat.jsonl: No space left"
                + " on device", new java.io.IOException("No space left on device")));

        assertThat(session.outcome()).isCompletedWithValue(
                new Outcome.FilesUnusable("cannot write chat.jsonl: No space left on device"));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnIncompatibleProtocolVersionAndSaysWhy() {
        receive(new Hello(2, "future", "ffff"));
        assertThat(sent()).contains(new Bye("incompatible protocol version 2 (this peer speaks 1)"));
        assertThat(session.outcome()).succeedsWithin(Duration.ZERO).isInstanceOf(Outcome.ProtocolViolation.class);
        assertThat(failure()).contains("incompatible protocol version 2");
    }

    @Test
    void detectsASocketConnectedToItself() {
        receive(OURS);
        assertThat(session.outcome()).succeedsWithin(Duration.ZERO).isInstanceOf(Outcome.ProtocolViolation.class);
        assertThat(failure()).contains("connected to itself");
    }

    @Test
    void closesTheConnectionOnAMalformedFrameWithTheReason() {
        handshake();
        channel.writeInbound(Unpooled.copiedBuffer("{oops\n", StandardCharsets.UTF_8));
        assertThat(session.outcome()).succeedsWithin(Duration.ZERO).isInstanceOf(Outcome.ProtocolViolation.class);
        assertThat(failure()).startsWith("closing the connection: malformed frame");
        assertThat(sent()).singleElement().isInstanceOf(Bye.class);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesTheConnectionOnAnOversizedFrame() {
        handshake();
        channel.writeInbound(Unpooled.copiedBuffer("a".repeat(70_000), StandardCharsets.UTF_8));
        assertThat(session.outcome()).succeedsWithin(Duration.ZERO).isInstanceOf(Outcome.ProtocolViolation.class);
        assertThat(failure()).contains("frame longer than 65536 bytes");
    }

    @Test
    void rejectsChatBeforeHello() {
        receive(new Chat("m1", 1, 1, "too early"));
        assertThat(session.outcome()).succeedsWithin(Duration.ZERO).isInstanceOf(Outcome.ProtocolViolation.class);
        assertThat(failure()).contains("expected hello, got chat");
    }

    @Test
    void givesUpOnAPeerThatNeverSaysHello() {
        channel.advanceTimeBy(PeerPipeline.HELLO_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(failure()).contains("did not say hello");
    }

    @Test
    void dialsAgainWhenTheLinkDiesBeforeHello() {
        channel.close();
        assertThat(lostBeforeHello).isTrue();
        assertThat(session.outcome()).isNotDone();
    }

    @Test
    void reportsALinkThatDiesMidChat() {
        handshake();
        session.submit("unlucky");
        channel.close();
        assertThat(session.outcome()).succeedsWithin(Duration.ZERO).isInstanceOf(Outcome.ConnectionLost.class);
        assertThat(events).anySatisfy(e -> assertThat(e.toString()).contains("1 message was not confirmed"));
    }

    @Test
    void detachesSaysSoAndRedialsWhenTheLinkDiesMidChatWithAWayToRedial() {
        List<String> redials = new java.util.ArrayList<>();
        session.connectVia(new Asking(redials));
        handshake();
        session.submit("in flight");
        sent();
        channel.close();

        assertThat(session.outcome()).isNotDone();
        assertThat(session.attached()).isFalse();
        assertThat(redials).containsExactly("hello", "dial");
        assertThat(events).contains(new ChatEvent.ConnectionLost("bob", "closed by bob without bye"));
        assertThat(session.queued()).as("the unacknowledged line waits for the next connection").isEqualTo(1);
    }

    @Test
    void endsNormallyWhenTheLinkDiesAfterOurByeEvenWithAWayToRedial() {
        session.connectVia(new Asking(new java.util.ArrayList<>()));
        handshake();
        session.endOfInput();
        assertThat(sent()).containsExactly(new Bye(null));
        channel.close();
        assertThat(session.outcome()).isCompletedWithValue(new Outcome.Ended());
    }

    @Test
    void sendsOurEpochInTheHello() {
        EmbeddedChannel other = new EmbeddedChannel();
        ChatSession withJournal = new ChatSession(other.eventLoop(), e -> { });
        new PeerPipeline(OURS.withEpoch(withJournal.epoch()), withJournal).install(other, () -> { });
        ByteBuf hello = other.readOutbound();
        assertThat(hello.toString(StandardCharsets.UTF_8)).contains("\"epoch\":\"" + withJournal.epoch() + "\"");
        hello.release();
        other.finishAndReleaseAll();
    }

    /** A connector that only notes what the session asks of it: these tests hand the session its one channel. */
    private record Asking(List<String> asked) implements Connector {
        @Override
        public void start(LinkSink links) {
            asked.add("start");
        }

        @Override
        public void helloCompleted(Link link) {
            asked.add("hello");
        }

        @Override
        public void next(ChatEvent.ConnectionLost lost) {
            asked.add("dial");
        }

        @Override
        public void stop() {
            asked.add("stop");
        }

        @Override
        public String notConnectedWithin(String within) {
            return "not within " + within;
        }
    }

    private void handshake() {
        receive(THEIRS);
        sent();
    }

    private void receive(Message message) {
        channel.writeInbound(Unpooled.copiedBuffer(Json.format(message) + "\n", StandardCharsets.UTF_8));
    }

    /** Everything written since the last call, decoded. */
    private List<Message> sent() {
        List<Message> out = new java.util.ArrayList<>();
        channel.runPendingTasks();   // the session flushes once the loop has run what is queued
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
                out.add(Json.parse(line));
            }
            buf.release();
        }
        return out;
    }

    private String failure() {
        return events.stream().filter(ChatEvent.Failure.class::isInstance).map(e -> ((ChatEvent.Failure) e).message())
                .findFirst().orElse("(no failure event)");
    }
}
