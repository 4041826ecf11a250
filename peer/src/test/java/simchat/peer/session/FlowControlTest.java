package simchat.peer.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.Message;
import simchat.peer.wire.Ping;
import simchat.peer.wire.Pong;

/**
 * Flow control between the session, the printer and the peer: a message is acknowledged once printed, the
 * link stays alive while output is blocked, and neither side holds more than the window for the other.
 */
class FlowControlTest {

    private static final Hello OURS = new Hello(Hello.PROTOCOL_VERSION, "alice", "aaaa");
    private static final Hello THEIRS = new Hello(Hello.PROTOCOL_VERSION, "bob", "bbbb");

    @TempDir
    Path dir;

    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    /** The printer, blocked: messages wait here until the test prints them. */
    private final Deque<Runnable> unprinted = new ArrayDeque<>();
    private final List<ChatEvent.MessageReceived> shown = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChatSession session = new ChatSession(channel.eventLoop(), events::add, Journal.inMemory(),
            (message, printed) -> {
                shown.add(message);
                unprinted.addLast(printed);
            });

    FlowControlTest() {
        new PeerPipeline(OURS, session).install(channel, () -> { });
        receive(THEIRS);
        sent();
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void acknowledgesAMessageOnlyOnceItHasBeenPrinted() {
        receive(chat(1));
        receive(chat(2));
        assertThat(shown).extracting(ChatEvent.MessageReceived::seq).containsExactly(1L, 2L);
        assertThat(sent()).as("nothing printed yet").isEmpty();

        printOne();
        assertThat(sent()).containsExactly(new Ack(1));
        printOne();
        assertThat(sent()).containsExactly(new Ack(2));
    }

    @Test
    void keepsTheLinkAliveWhileOutputIsBlocked() {
        receive(chat(1));

        receive(new Ping(42));
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);

        assertThat(sent()).hasSize(2).first().isEqualTo(new Pong(42));
        assertThat(sent()).isEmpty();
        assertThat(session.outcome()).isNotDone();
    }

    @Test
    void acknowledgesAResendOfAMessageStillWaitingToBePrintedOnlyOnceItIs() {
        receive(chat(1));
        receive(chat(1));
        assertThat(sent()).isEmpty();
        assertThat(shown).hasSize(1);

        printOne();

        assertThat(sent()).as("one ack covers both").containsExactly(new Ack(1));
        receive(chat(1));
        assertThat(sent()).as("a resend of a printed message: at once").containsExactly(new Ack(1));
    }

    @Test
    void treatsAPeerThatSendsMoreThanTheWindowUnacknowledgedAsBroken() {
        for (int seq = 1; seq <= ChatSession.WINDOW; seq++) {
            receive(chat(seq));
        }
        assertThat(session.outcome()).isNotDone();

        receive(chat(ChatSession.WINDOW + 1));

        assertThat(session.outcome()).isCompletedWithValueMatching(o -> o instanceof Outcome.ProtocolViolation);
        assertThat(events).anySatisfy(e -> assertThat(e.toString()).contains("without waiting for acknowledgements"));
    }

    @Test
    void sendsAtMostAWindowOfLinesAndMoreAsAcksComeBack() {
        for (int i = 1; i <= ChatSession.WINDOW + 10; i++) {
            session.submit("line " + i);
        }
        assertThat(sent()).hasSize(ChatSession.WINDOW);
        assertThat(session.queued()).isEqualTo(ChatSession.WINDOW + 10);

        receive(new Ack(4));

        assertThat(sent()).extracting(m -> ((Chat) m).text())
                .containsExactly("line 4097", "line 4098", "line 4099", "line 4100");
        assertThat(session.queued()).isEqualTo(ChatSession.WINDOW + 6);
    }

    @Test
    void pausesInputAtItsBoundUntilALineIsDelivered() throws Exception {
        for (int i = 1; i <= ChatSession.INPUT_BOUND; i++) {
            session.awaitRoomForInput();
            session.submit("line " + i);
        }
        sent();
        CompletableFuture<Void> nextLine = CompletableFuture.runAsync(() -> {
            try {
                session.awaitRoomForInput();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(nextLine).as("the input thread waits").isNotDone();

        receive(new Ack(1));

        nextLine.get(10, TimeUnit.SECONDS);
    }

    @Test
    void endsTheChatWithExit10WhenTheJournalCannotBeWritten() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            Journal full = Journal.open(dir.resolve("chats").resolve("chat.jsonl"), Journal.COMPACT_AFTER,
                    f -> java.nio.channels.FileChannel.open(Path.of("/dev/full"), java.nio.file.StandardOpenOption.WRITE));
            List<ChatEvent> seen = new CopyOnWriteArrayList<>();
            ChatSession onFullDisk = loop.submit(() -> new ChatSession(loop, seen::add, full)).get();

            loop.execute(() -> onFullDisk.submit("this line cannot be kept"));

            assertThat(onFullDisk.outcome().get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.FilesUnusable.class);
            assertThat(seen).anySatisfy(e -> assertThat(e.toString())
                    .contains("cannot write this chat's journal").contains("No space left on device"));
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private void printOne() {
        unprinted.pollFirst().run();
    }

    private static Chat chat(long seq) {
        return new Chat("m" + seq, seq, 1000, "message " + seq);
    }

    private void receive(Message message) {
        channel.writeInbound(Unpooled.copiedBuffer(Json.format(message) + "\n", StandardCharsets.UTF_8));
    }

    private List<Message> sent() {
        List<Message> out = new ArrayList<>();
        channel.runPendingTasks();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
                out.add(Json.parse(line));
            }
            buf.release();
        }
        return out;
    }
}
