package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Outcome;
import simchat.rendezvous.protocol.Role;

/** Rooms, roles, RTT measurement, sync and rounds, driven through embedded connections. */
class PairingTest {

    private static final Endpoint A_LAN = new Endpoint("192.168.1.10", 8000);
    private static final Endpoint B_LAN = new Endpoint("10.0.0.20", 8000);
    private static final String PLACE = "3f9c2a4e1b7d08c65a2e9f1d4c3b7a60";

    private final EmbeddedChannel clock = new EmbeddedChannel();
    private final RendezvousConfig config = RendezvousConfig.of(new InetSocketAddress(0), null)
            .withRoomTtl(Duration.ofMinutes(10))
            .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(8));
    private final Rooms rooms = new Rooms(new RoomCodes(new Random(3)), clock.eventLoop(), config,
            RendezvousMetrics.NONE);

    private final PeerChannel a = PeerChannel.connect("198.51.100.1", 40001, rooms, config);
    private final PeerChannel b = PeerChannel.connect("203.0.113.2", 40002, rooms, config);

    @AfterEach
    void closeAll() {
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
        assertFalse(clock.finish());
    }

    @Test
    void theFirstPeerGetsAFreshCodeTheInitiatorRoleAndItsPublicEndpoint() {
        a.send(new Message.Join(null, A_LAN, "alice"));

        Message.Joined joined = (Message.Joined) a.next();
        assertThat(joined.room()).matches("\\d+-[a-z]+-[a-z]+");
        assertThat(joined.role()).isEqualTo(Role.INITIATOR);
        assertThat(joined.observed()).isEqualTo(new Endpoint("198.51.100.1", 40001));
        assertThat(rooms.size()).isEqualTo(1);
    }

    @Test
    void theSecondPeerIsIntroducedAndBothLearnTheOthersPublicAndPrivateEndpoints() {
        String room = open();
        b.send(new Message.Join(room, B_LAN, null));

        assertThat(b.next()).isEqualTo(new Message.Joined(room, new Endpoint("203.0.113.2", 40002), Role.RESPONDER, null));
        assertThat(a.next()).isEqualTo(new Message.Peer(new Endpoint("203.0.113.2", 40002), B_LAN, Role.INITIATOR, null));
        assertThat(b.next()).isEqualTo(new Message.Peer(new Endpoint("198.51.100.1", 40001), A_LAN, Role.RESPONDER, "alice"));
    }

    @Test
    void aCodeIsFoundHoweverItIsTyped() {
        String room = open();
        b.send(new Message.Join(" " + room.toUpperCase().replace('-', ' ') + " ", B_LAN, null));

        assertThat(b.next()).isInstanceOf(Message.Joined.class);
    }

    @Test
    void aThirdPeerIsToldTheRoomIsFullAndOnlyItsConnectionCloses() {
        String room = pair();
        PeerChannel c = PeerChannel.connect("192.0.2.3", 40003, rooms, config);

        c.send(new Message.Join(room, B_LAN, null));

        assertThat(c.next()).isEqualTo(new Message.Error(ErrorCode.ROOM_FULL, "room \"" + room + "\" already has two peers"));
        assertThat(c.isOpen()).isFalse();
        assertThat(a.isOpen()).isTrue();
        assertThat(b.isOpen()).isTrue();
        c.finishAndReleaseAll();
    }

    @Test
    void anUnknownCodeIsRefused() {
        b.send(new Message.Join("1-no-such", B_LAN, null));

        assertThat(b.next()).isInstanceOfSatisfying(Message.Error.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ROOM));
        assertThat(b.isOpen()).isFalse();
    }

    @Test
    void twoPeersMeetingAgainUnderOneNameAreIntroducedWhoeverComesFirst() {
        a.send(new Message.Meet(PLACE, A_LAN, "alice"));
        assertThat(a.next()).isEqualTo(new Message.Joined(PLACE, new Endpoint("198.51.100.1", 40001), Role.INITIATOR, null));

        b.send(new Message.Meet(PLACE, B_LAN, "bob"));

        assertThat(b.next()).isEqualTo(new Message.Joined(PLACE, new Endpoint("203.0.113.2", 40002), Role.RESPONDER, null));
        assertThat(a.next()).isEqualTo(new Message.Peer(new Endpoint("203.0.113.2", 40002), B_LAN, Role.INITIATOR, "bob"));
        assertThat(b.next()).isEqualTo(new Message.Peer(new Endpoint("198.51.100.1", 40001), A_LAN, Role.RESPONDER, "alice"));
    }

    @Test
    void aThirdPeerMeetingUnderATakenNameIsToldTheRoomIsFull() {
        a.send(new Message.Meet(PLACE, A_LAN, null));
        b.send(new Message.Meet(PLACE, B_LAN, null));
        PeerChannel c = PeerChannel.connect("192.0.2.3", 40003, rooms, config);

        c.send(new Message.Meet(PLACE, B_LAN, null));

        assertThat(c.next()).isInstanceOfSatisfying(Message.Error.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ROOM_FULL));
        assertThat(c.isOpen()).isFalse();
        c.finishAndReleaseAll();
    }

    @Test
    void aNameToMeetUnderIsThirtyTwoHexDigitsAndNothingElse() {
        assertThatThrownBy(() -> new Message.Meet("7-amber-falcon", A_LAN, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 lowercase hex digits");
        assertThatThrownBy(() -> new Message.Meet(PLACE.toUpperCase(), A_LAN, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void afterPairingTheRendezvousMeasuresEachPeersRttThreeTimesThenSyncsBoth() {
        pair();

        for (int i = 0; i < Member.RTT_SAMPLES; i++) {
            assertThat(answerPing(a)).isTrue();
            assertThat(answerPing(b)).isTrue();
        }

        Message.Sync syncA = (Message.Sync) a.next();
        Message.Sync syncB = (Message.Sync) b.next();
        assertThat(syncA.round()).isEqualTo(1);
        assertThat(syncB.round()).isEqualTo(1);
        assertThat(Math.min(syncA.delayMillis(), syncB.delayMillis())).as("the farther peer dials at once").isZero();
    }

    @Test
    void theSmallestRttSampleCountsSoThatLatePongsDoNotSkewTheSync() throws InterruptedException {
        pair();

        for (int i = 0; i < Member.RTT_SAMPLES; i++) {
            answerPing(b);
        }
        for (int i = 0; i < Member.RTT_SAMPLES; i++) {
            Message.Ping ping = (Message.Ping) a.next();
            if (i > 0) {
                Thread.sleep(300); // a busy peer: all but the first pong late
            }
            a.send(new Message.Pong(ping.seq()));
        }

        Message.Sync syncA = (Message.Sync) a.next();
        assertThat(syncA.rttMillis()).as("a's RTT: its one prompt pong, not a late one").isLessThan(150);
    }

    @Test
    void theNearerPeerWaitsHalfTheDifferenceInRtt() throws InterruptedException {
        pair();

        for (int i = 0; i < Member.RTT_SAMPLES; i++) {
            answerPing(b); // b is near: each pong at once
        }
        for (int i = 0; i < Member.RTT_SAMPLES; i++) {
            Message.Ping ping = (Message.Ping) a.next();
            Thread.sleep(40); // a is 40 ms away
            a.send(new Message.Pong(ping.seq()));
        }

        Message.Sync syncA = (Message.Sync) a.next();
        Message.Sync syncB = (Message.Sync) b.next();
        assertThat(syncA.delayMillis()).isZero();
        assertThat(syncA.rttMillis()).isGreaterThanOrEqualTo(40);
        assertThat((double) syncB.delayMillis()).as("half the RTT difference")
                .isCloseTo((syncA.rttMillis() - syncB.rttMillis()) / 2, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void whenBothConnectTheRendezvousClosesBothConnectionsAndForgetsTheRoom() {
        pair();
        syncRound(1);

        a.send(new Message.Result(1, Outcome.CONNECTED, B_LAN, null));
        assertThat(a.isOpen()).as("waits for the other peer's result").isTrue();
        b.send(new Message.Result(1, Outcome.CONNECTED, A_LAN, null));

        assertThat(a.isOpen()).isFalse();
        assertThat(b.isOpen()).isFalse();
        assertThat(rooms.size()).isZero();
    }

    @Test
    void aFailedRoundStartsTheNextWithAFreshMeasurement() {
        pair();
        syncRound(1);

        a.send(new Message.Result(1, Outcome.FAILED, null, "timeout"));
        b.send(new Message.Result(1, Outcome.CONNECTED, A_LAN, null));

        syncRound(2);
        assertThat(a.isOpen()).isTrue();
    }

    @Test
    void afterThreeFailedRoundsBothAreToldPunchFailed() {
        pair();
        for (int round = 1; round <= 3; round++) {
            syncRound(round);
            a.send(new Message.Result(round, Outcome.FAILED, null, null));
            b.send(new Message.Result(round, Outcome.FAILED, null, null));
        }

        Message expected = new Message.Error(ErrorCode.PUNCH_FAILED, "no connection after 3 rounds of hole punching");
        assertThat(a.next()).isEqualTo(expected);
        assertThat(b.next()).isEqualTo(expected);
        assertThat(a.isOpen()).isFalse();
        assertThat(rooms.size()).isZero();
    }

    @Test
    void aMissingResultCountsAsAFailureAfterTheResultTimeout() {
        pair();
        syncRound(1);
        a.send(new Message.Result(1, Outcome.CONNECTED, null, null));

        clock.advanceTimeBy(8, TimeUnit.SECONDS);
        clock.runScheduledPendingTasks();

        syncRound(2);
    }

    @Test
    void aResultFromAnEarlierRoundIsIgnored() {
        pair();
        syncRound(1);
        a.send(new Message.Result(1, Outcome.FAILED, null, null));
        b.send(new Message.Result(1, Outcome.FAILED, null, null));
        syncRound(2);

        a.send(new Message.Result(1, Outcome.CONNECTED, null, null));

        assertThat(a.isOpen()).isTrue();
        assertThat(a.next()).isNull();
    }

    @Test
    void whenAPeerLeavesDuringTheHolePunchTheOtherIsTold() {
        pair();
        syncRound(1);

        b.close();

        assertThat(a.next()).isEqualTo(new Message.Error(ErrorCode.PEER_LEFT, "the other peer disconnected"));
        assertThat(a.isOpen()).isFalse();
        assertThat(rooms.size()).isZero();
    }

    @Test
    void aRoomNobodyJoinsExpiresAfterItsTimeToLive() {
        open();

        clock.advanceTimeBy(10, TimeUnit.MINUTES);
        clock.runScheduledPendingTasks();

        assertThat(a.next()).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ROOM_EXPIRED);
            assertThat(e.message()).endsWith("within 10 min");
        });
        assertThat(rooms.size()).isZero();
    }

    @Test
    void aWaitingRoomIsForgottenWhenItsCreatorLeaves() {
        open();

        a.close();

        assertThat(rooms.size()).isZero();
    }

    private String open() {
        a.send(new Message.Join(null, A_LAN, "alice"));
        return ((Message.Joined) a.next()).room();
    }

    private String pair() {
        String room = open();
        b.send(new Message.Join(room, B_LAN, null));
        assertThat(b.next()).isInstanceOf(Message.Joined.class);
        assertThat(a.next()).isInstanceOf(Message.Peer.class);
        assertThat(b.next()).isInstanceOf(Message.Peer.class);
        return room;
    }

    private void syncRound(int round) {
        for (int i = 0; i < Member.RTT_SAMPLES; i++) {
            assertThat(answerPing(a)).as("ping %d of round %d to a", i, round).isTrue();
            assertThat(answerPing(b)).as("ping %d of round %d to b", i, round).isTrue();
        }
        assertThat(a.next()).isInstanceOfSatisfying(Message.Sync.class, s -> assertThat(s.round()).isEqualTo(round));
        assertThat(b.next()).isInstanceOfSatisfying(Message.Sync.class, s -> assertThat(s.round()).isEqualTo(round));
    }

    private static boolean answerPing(PeerChannel peer) {
        if (peer.next() instanceof Message.Ping ping) {
            peer.send(new Message.Pong(ping.seq()));
            return true;
        }
        return false;
    }
}
