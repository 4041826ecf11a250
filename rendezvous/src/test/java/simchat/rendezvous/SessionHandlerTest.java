package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Outcome;

/** One connection's rules: what may come when, timeouts, and bad input ending only that connection. */
class SessionHandlerTest {

    private static final Endpoint LAN = new Endpoint("192.168.1.10", 8000);

    private final EmbeddedChannel clock = new EmbeddedChannel();
    private final RendezvousConfig config = RendezvousConfig.of(new InetSocketAddress(0), null);
    private final Rooms rooms = new Rooms(new RoomCodes(new Random(5)), clock.eventLoop(), config,
            RendezvousMetrics.NONE, Log.silent());
    private final PeerChannel peer = PeerChannel.connect("198.51.100.1", 40001, rooms, config);

    @AfterEach
    void closeAll() {
        peer.finishAndReleaseAll();
        assertFalse(clock.finish());
    }

    @Test
    void aProbeIsAnsweredWithTheObservedEndpointAndTheConnectionCloses() {
        peer.send(new Message.Probe());

        assertThat(peer.next()).isEqualTo(new Message.Observed(new Endpoint("198.51.100.1", 40001)));
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void anythingButJoinOrProbeFirstIsUnexpected() {
        peer.send(new Message.Result(1, Outcome.CONNECTED, null, null));

        assertThat(peer.next()).isEqualTo(
                new Message.Error(ErrorCode.UNEXPECTED_MESSAGE, "\"result\" is not expected before join"));
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void joiningTwiceIsUnexpected() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        peer.send(new Message.Join(null, LAN, null));

        assertThat(peer.next()).isEqualTo(
                new Message.Error(ErrorCode.UNEXPECTED_MESSAGE, "\"join\" is not expected after join"));
        assertThat(peer.isOpen()).isFalse();
        assertThat(rooms.size()).as("the room goes with its creator").isZero();
    }

    @Test
    void serverMessagesFromAPeerAreUnexpected() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        peer.send(new Message.Sync(1, 0, 1));

        assertThat(peer.next()).isInstanceOfSatisfying(Message.Error.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE));
    }

    @Test
    void aConnectionThatDoesNotJoinInTimeIsDropped() {
        peer.advanceTimeBy(10, TimeUnit.SECONDS);
        peer.runScheduledPendingTasks();

        assertThat(peer.next()).isEqualTo(new Message.Error(ErrorCode.IDLE_TIMEOUT, "no join within 10 s"));
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void aJoinedConnectionIsNotDroppedByTheJoinDeadline() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        peer.advanceTimeBy(30, TimeUnit.SECONDS);
        peer.runScheduledPendingTasks();

        assertThat(peer.isOpen()).isTrue();
    }

    @Test
    void aQuietJoinedConnectionGetsAKeepAlivePing() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        peer.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);

        assertThat(peer.next()).isInstanceOf(Message.Ping.class);
    }

    @Test
    void aConnectionSilentForTheIdleTimeoutIsDropped() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        peer.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        assertThat(peer.next()).isEqualTo(new Message.Error(ErrorCode.IDLE_TIMEOUT, "nothing received for 1 min"));
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void malformedInputEndsTheConnectionWithTheReason() {
        peer.writeInbound(Unpooled.copiedBuffer("{\"type\":\"join\",\"private\":{\"host\":\"x\",\"port\":1}}\n",
                StandardCharsets.UTF_8));

        assertThat(peer.next()).isEqualTo(new Message.Error(ErrorCode.BAD_REQUEST, "host: \"x\" (expected: an IP address)"));
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void framesAfterAViolationAreNotActedUpon() {
        peer.writeInbound(Unpooled.copiedBuffer("junk\n{\"type\":\"join\",\"private\":{\"host\":\"10.0.0.1\",\"port\":1}}\n",
                StandardCharsets.UTF_8));

        assertThat(peer.next()).isInstanceOf(Message.Error.class);
        assertThat(peer.next()).isNull();
        assertThat(rooms.size()).isZero();
    }
}
