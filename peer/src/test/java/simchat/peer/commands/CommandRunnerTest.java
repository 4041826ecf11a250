package simchat.peer.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.session.ChatSession;
import simchat.peer.session.PeerPipeline;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.Message;

/** Commands carried out against a real session and pipeline: what is answered locally, what goes on the wire. */
class CommandRunnerTest {

    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    private final ConnectionFacts facts = new ConnectionFacts();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChatSession session = new ChatSession(channel.eventLoop(), e -> {
        facts.accept(e);
        events.add(e);
    });
    private final CommandRunner runner = new CommandRunner(session, e -> {
        facts.accept(e);
        events.add(e);
    }, facts);

    CommandRunnerTest() {
        new PeerPipeline(new Hello(Hello.PROTOCOL_VERSION, "alice", "aaaa"), session).install(channel, () -> { });
        sent();
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void anUnknownCommandIsAnsweredLocallyAndNeverSent() {
        connect();
        runner.run(CommandParser.parse("/qiut"));
        assertThat(sent()).isEmpty();
        assertThat(events).last().isEqualTo(new ChatEvent.Warning("unknown command /qiut (type /help)"));
    }

    @Test
    void aMisusedCommandSaysHowToUseItAndSendsNothing() {
        connect();
        runner.run(CommandParser.parse("/me"));
        assertThat(sent()).isEmpty();
        assertThat(events).last().isEqualTo(new ChatEvent.Warning("/me needs an action, e.g. /me waves"));
    }

    @Test
    void helpListsTheCommandsLocally() {
        connect();
        runner.run(CommandParser.parse("/help"));
        assertThat(sent()).isEmpty();
        assertThat(events).filteredOn(ChatEvent.Status.class::isInstance)
                .extracting(e -> ((ChatEvent.Status) e).text()).containsExactlyElementsOf(Commands.help());
    }

    @Test
    void meSendsAnActionAndADoubleSlashSendsTheSlash() {
        connect();
        runner.run(CommandParser.parse("/me waves"));
        runner.run(CommandParser.parse("//shrug"));
        assertThat(sent()).containsExactly(
                chatLike(1, "waves", Chat.ACTION), chatLike(2, "/shrug", null));
    }

    @Test
    void infoTellsTheLinkItsPathAndTheCounters() {
        connect();
        runner.run(CommandParser.parse("hello"));
        runner.run(CommandParser.parse("/info"));
        ChatEvent.Info info = (ChatEvent.Info) events.get(events.size() - 1);
        assertThat(info.peer()).isEqualTo("bob");
        assertThat(info.path()).isEqualTo("direct (simultaneous open)");
        assertThat(info.tls()).as("plaintext").isNull();
        assertThat(info.sent()).isEqualTo(1);
        assertThat(info.queued()).isEqualTo(1);
        assertThat(sent()).extracting(m -> ((Chat) m).text()).containsExactly("hello");
    }

    @Test
    void infoWhileDialingSaysSo() {
        runner.run(new Command.Info());
        ChatEvent.Info info = (ChatEvent.Info) events.get(events.size() - 1);
        assertThat(info.remote()).isNull();
        assertThat(info.path()).isNull();
    }

    @Test
    void quitWhileDialingEndsAtOnce() {
        runner.run(new Command.Quit());
        channel.runPendingTasks();
        assertThat(session.outcome()).isCompletedWithValue(new Outcome.Ended());
    }

    private Chat chatLike(long seq, String text, String kind) {
        Chat actual = sent.stream().filter(c -> c.seq() == seq).findFirst().orElseThrow();
        return new Chat(actual.id(), seq, actual.time(), text, kind);
    }

    private final List<Chat> sent = new ArrayList<>();

    private void connect() {
        channel.writeInbound(Unpooled.copiedBuffer(Json.format(new Hello(Hello.PROTOCOL_VERSION, "bob", "bbbb"))
                + "\n", StandardCharsets.UTF_8));
        sent();
    }

    /** Everything written since the last call, decoded. */
    private List<Message> sent() {
        List<Message> out = new ArrayList<>();
        channel.runPendingTasks();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
                Message m = Json.parse(line);
                out.add(m);
                if (m instanceof Chat c) {
                    sent.add(c);
                }
            }
            buf.release();
        }
        return out;
    }
}
