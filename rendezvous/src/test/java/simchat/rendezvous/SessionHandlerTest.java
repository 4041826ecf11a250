package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
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
            RendezvousMetrics.NONE);
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

    @Test
    void aFrameDribbledAfterJoiningIsCutOffAtTheFrameDeadlineAlthoughBytesKeepComing() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        for (String oneByte : new String[] {"{", "\"", "t", "y", "p"}) {
            peer.writeInbound(Unpooled.copiedBuffer(oneByte, StandardCharsets.UTF_8));
            peer.advanceTimeBy(2, TimeUnit.SECONDS);
            peer.runScheduledPendingTasks();
        }

        assertThat(peer.next()).isEqualTo(
                new Message.Error(ErrorCode.FRAME_TIMEOUT, "frame not completed within 10 s"));
        assertThat(peer.isOpen()).isFalse();
        assertThat(rooms.size()).as("the slow client's room goes with it").isZero();
    }

    @Test
    void aFrameCompletedBeforeTheDeadlineEndsItsDeadline() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        peer.writeInbound(Unpooled.copiedBuffer("   ", StandardCharsets.UTF_8));
        peer.advanceTimeBy(9, TimeUnit.SECONDS);
        peer.writeInbound(Unpooled.copiedBuffer("\n", StandardCharsets.UTF_8));
        peer.advanceTimeBy(20, TimeUnit.SECONDS);
        peer.runScheduledPendingTasks();

        assertThat(peer.next()).isNull();
        assertThat(peer.isOpen()).isTrue();
    }

    @Test
    void aNewFrameStartedInTheSameReadAsTheEndOfTheLastGetsADeadlineOfItsOwn() {
        peer.send(new Message.Join(null, LAN, null));
        peer.next();

        peer.writeInbound(Unpooled.copiedBuffer("  ", StandardCharsets.UTF_8));
        peer.advanceTimeBy(9, TimeUnit.SECONDS);
        peer.writeInbound(Unpooled.copiedBuffer("\n{\"ty", StandardCharsets.UTF_8));
        peer.advanceTimeBy(9, TimeUnit.SECONDS);
        peer.runScheduledPendingTasks();
        assertThat(peer.isOpen()).as("9 s into the second frame").isTrue();

        peer.advanceTimeBy(1, TimeUnit.SECONDS);
        peer.runScheduledPendingTasks();

        assertThat(peer.next()).isInstanceOfSatisfying(Message.Error.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TIMEOUT));
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void connectionsBeyondTheCapFromOneAddressThatHaveNotJoinedAreRefusedWithTheReason() {
        PendingConnections pending = new PendingConnections(2);
        PeerChannel first = PeerChannel.connect("203.0.113.5", 40001, rooms, pending, config);
        PeerChannel second = PeerChannel.connect("203.0.113.5", 40002, rooms, pending, config);

        PeerChannel third = PeerChannel.connect("203.0.113.5", 40003, rooms, pending, config);

        assertThat(third.next()).isEqualTo(new Message.Error(ErrorCode.TOO_MANY_CONNECTIONS,
                "too many connections from 203.0.113.5 that have not joined yet (at most 2)"));
        assertThat(third.isOpen()).isFalse();
        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        for (PeerChannel channel : new PeerChannel[] {first, second, third}) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void theCapOnConnectionsThatHaveNotJoinedIsPerAddress() {
        PendingConnections pending = new PendingConnections(1);
        PeerChannel first = PeerChannel.connect("203.0.113.5", 40001, rooms, pending, config);

        PeerChannel other = PeerChannel.connect("203.0.113.6", 40001, rooms, pending, config);

        assertThat(other.next()).isNull();
        assertThat(other.isOpen()).isTrue();
        first.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    @Test
    void joiningOrClosingFreesTheConnectionsPlaceUnderTheCap() throws Exception {
        PendingConnections pending = new PendingConnections(1);
        InetAddress address = InetAddress.getByName("203.0.113.5");
        PeerChannel joins = PeerChannel.connect("203.0.113.5", 40001, rooms, pending, config);
        joins.send(new Message.Join(null, LAN, null));
        PeerChannel closes = PeerChannel.connect("203.0.113.5", 40002, rooms, pending, config);
        assertThat(pending.count(address)).isEqualTo(1);

        closes.close();

        assertThat(pending.count(address)).isZero();
        PeerChannel next = PeerChannel.connect("203.0.113.5", 40003, rooms, pending, config);
        assertThat(next.isOpen()).isTrue();
        for (PeerChannel channel : new PeerChannel[] {joins, closes, next}) {
            channel.finishAndReleaseAll();
        }
    }
}
