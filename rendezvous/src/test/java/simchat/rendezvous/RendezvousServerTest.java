package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Outcome;
import simchat.rendezvous.protocol.Role;

/** A real rendezvous on loopback with raw socket clients. */
class RendezvousServerTest {

    private static final Endpoint A_LAN = new Endpoint("192.168.1.10", 8000);
    private static final Endpoint B_LAN = new Endpoint("10.0.0.20", 8000);

    private RendezvousServer server;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new RendezvousServer(config()).start();
    }

    private static RendezvousConfig config() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return RendezvousConfig.of(new InetSocketAddress(loopback, 0), new InetSocketAddress(loopback, 0));
    }

    private void restart(RendezvousConfig config) throws Exception {
        server.close();
        server = new RendezvousServer(config).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        server.close();
    }

    @Test
    void twoPeersPairTimeTheirDialAndAreReleasedOnceBothConnected() {
        RawClient a = client(0);
        a.send(new Message.Join(null, A_LAN, "alice"));
        Message.Joined joinedA = (Message.Joined) a.receive();
        assertThat(joinedA.observed()).isEqualTo(new Endpoint("127.0.0.1", a.localPort()));
        assertThat(joinedA.probePort()).isEqualTo(server.probeAddress().getPort());

        RawClient b = client(0);
        b.send(new Message.Join(joinedA.room(), B_LAN, null));
        assertThat(b.receive()).isInstanceOf(Message.Joined.class);
        assertThat(a.receive()).isEqualTo(new Message.Peer(new Endpoint("127.0.0.1", b.localPort()), B_LAN, Role.INITIATOR, null));
        assertThat(b.receive()).isEqualTo(new Message.Peer(new Endpoint("127.0.0.1", a.localPort()), A_LAN, Role.RESPONDER, "alice"));

        measureAndSync(a, b);
        a.send(new Message.Result(1, Outcome.CONNECTED, B_LAN, null));
        b.send(new Message.Result(1, Outcome.CONNECTED, A_LAN, null));

        assertThat(a.closedByServer()).isTrue();
        assertThat(b.closedByServer()).isTrue();
        assertThat(server.rooms()).isZero();
    }

    @Test
    void aThirdPeerIsToldTheRoomIsFull() {
        String room = pairedRoom();

        RawClient c = client(0);
        c.send(new Message.Join(room, B_LAN, null));

        assertThat(c.receive()).isInstanceOfSatisfying(Message.Error.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ROOM_FULL));
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void theProbePortSeesTheSameMappingFromTheSameLocalPort() {
        RawClient a = client(0);
        a.send(new Message.Join(null, A_LAN, null));
        Message.Joined joined = (Message.Joined) a.receive();

        RawClient probe = RawClient.connect(server.probeAddress(), a.localPort());
        clients.add(probe);
        probe.send(new Message.Probe());

        assertThat(probe.receive()).isEqualTo(new Message.Observed(joined.observed()));
        assertThat(probe.closedByServer()).isTrue();
    }

    @Test
    void junkFromOtherClientsEndsOnlyTheirConnectionsWithAReasonWhilePairingGoesOn() {
        RawClient a = client(0);
        a.send(new Message.Join(null, A_LAN, null));
        String room = ((Message.Joined) a.receive()).room();

        RawClient garbage = client(0).sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawClient notUtf8 = client(0).sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1, '\n'});
        RawClient endless = client(0).sendRaw("{".repeat(20_000).getBytes(StandardCharsets.US_ASCII));
        RawClient early = client(0).send(new Message.Result(1, Outcome.CONNECTED, null, null));
        RawClient silent = client(0);

        RawClient b = client(0);
        b.send(new Message.Join(room, B_LAN, null));
        assertThat(b.receive()).isInstanceOf(Message.Joined.class);
        assertThat(a.receive()).isInstanceOf(Message.Peer.class);
        assertThat(b.receive()).isInstanceOf(Message.Peer.class);

        assertThat(errorCode(garbage)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(errorCode(notUtf8)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(errorCode(endless)).isEqualTo(ErrorCode.FRAME_TOO_LONG);
        assertThat(errorCode(early)).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE);
        for (RawClient junk : List.of(garbage, notUtf8, endless, early)) {
            assertThat(junk.closedByServer()).isTrue();
        }
        assertThat(silent.closedByServer()).as("a silent client waits for its join deadline").isFalse();

        measureAndSync(a, b);
    }

    @Test
    void aClientDribblingAFrameAfterJoiningIsCutOffAtTheFrameDeadlineWhilePairingGoesOn() throws Exception {
        restart(config().withFrameTimeout(Duration.ofMillis(600)));
        RawClient slow = client(0);
        slow.send(new Message.Join(null, A_LAN, null));
        assertThat(slow.receive()).isInstanceOf(Message.Joined.class);

        long start = System.nanoTime();
        Message reason = null;
        for (int i = 0; i < 50 && reason == null; i++) {
            slow.sendRaw(new byte[] {'{'}); // one byte of a frame that never ends, every 100 ms
            Thread.sleep(100);
            reason = slow.receiveIfReady();
        }
        long cutMillis = (System.nanoTime() - start) / 1_000_000;
        String room = pairedRoom();

        assertThat(reason).isEqualTo(new Message.Error(ErrorCode.FRAME_TIMEOUT, "frame not completed within 600 ms"));
        assertThat(cutMillis).as("cut after the frame deadline, not at the idle timeout").isBetween(500L, 3_000L);
        assertThat(room).isNotBlank();
    }

    @Test
    void oneAddressCannotHoldMoreConnectionsThatHaveNotJoinedThanTheCap() throws Exception {
        restart(config().withMaxPendingPerAddress(3));
        for (int i = 0; i < 3; i++) {
            client(0);
        }

        RawClient fourth = client(0);

        assertThat(fourth.receive()).isEqualTo(new Message.Error(ErrorCode.TOO_MANY_CONNECTIONS,
                "too many connections from 127.0.0.1 that have not joined yet (at most 3)"));
        assertThat(fourth.closedByServer()).isTrue();
        RawClient elsewhere = RawClient.connect(server.address(), "127.0.0.2");
        clients.add(elsewhere);
        elsewhere.send(new Message.Join(null, B_LAN, null));
        assertThat(elsewhere.receive()).as("another address is not affected").isInstanceOf(Message.Joined.class);
    }

    @Test
    void aSecondServerOnTheSamePortFailsWithBindException() {
        RendezvousServer second = new RendezvousServer(RendezvousConfig.of(server.address(), null));
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                    .isInstanceOf(java.net.BindException.class);
        } finally {
            second.close();
        }
    }

    /**
     * What {@code RendezvousBenchmarkIT} asserts at 19,000 idle registrations, at 200 so that every build
     * checks it: each registration gets its room and keeps its connection, and two more peers still pair.
     */
    @Test
    void twoHundredIdleRegistrationsKeepTheirRoomsAndConnectionsWhileTwoMorePeersPair() {
        List<RawClient> idle = new ArrayList<>();
        // In batches below the cap on connections from one address that have not joined yet.
        for (int batch = 0; batch < 4; batch++) {
            List<RawClient> joining = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                joining.add(client(0).send(new Message.Join(null, A_LAN, null)));
            }
            for (RawClient client : joining) {
                assertThat(client.receive()).as("registration " + idle.size()).isInstanceOf(Message.Joined.class);
                idle.add(client);
            }
        }
        assertThat(server.rooms()).as("rooms held").isEqualTo(200);

        RawClient a = client(0);
        a.send(new Message.Join(null, A_LAN, "alice"));
        String room = ((Message.Joined) a.receive()).room();
        RawClient b = client(0);
        b.send(new Message.Join(room, B_LAN, null));
        assertThat(b.receive()).isInstanceOf(Message.Joined.class);
        assertThat(a.receive()).isInstanceOf(Message.Peer.class);
        assertThat(b.receive()).isInstanceOf(Message.Peer.class);
        measureAndSync(a, b);
        a.send(new Message.Result(1, Outcome.CONNECTED, B_LAN, null));
        b.send(new Message.Result(1, Outcome.CONNECTED, A_LAN, null));
        assertThat(a.closedByServer()).isTrue();
        assertThat(b.closedByServer()).isTrue();

        assertThat(server.rooms()).as("rooms held after the pair left").isEqualTo(200);
        // Still connected (receiveIfReady fails on a closed connection), and sent nothing but keep-alive pings.
        for (RawClient client : idle) {
            for (Message m = client.receiveIfReady(); m != null; m = client.receiveIfReady()) {
                assertThat(m).as("a frame to an idle registration").isInstanceOf(Message.Ping.class);
            }
        }
    }

    /** Answers the RTT pings of both peers (the rendezvous pings each in turn) until both get sync. */
    private static void measureAndSync(RawClient a, RawClient b) {
        for (int i = 0; i < Member.RTT_SAMPLES; i++) {
            for (RawClient peer : List.of(a, b)) {
                Message.Ping ping = (Message.Ping) peer.receive();
                peer.send(new Message.Pong(ping.seq()));
            }
        }
        assertThat(a.receive()).isInstanceOf(Message.Sync.class);
        assertThat(b.receive()).isInstanceOf(Message.Sync.class);
    }

    private String pairedRoom() {
        RawClient a = client(0);
        a.send(new Message.Join(null, A_LAN, null));
        String room = ((Message.Joined) a.receive()).room();
        RawClient b = client(0);
        b.send(new Message.Join(room, B_LAN, null));
        assertThat(b.receive()).isInstanceOf(Message.Joined.class);
        return room;
    }

    private static String errorCode(RawClient client) {
        Message message = client.receive();
        assertThat(message).isInstanceOf(Message.Error.class);
        return ((Message.Error) message).code();
    }

    private RawClient client(int localPort) {
        RawClient client = RawClient.connect(server.address(), localPort);
        clients.add(client);
        return client;
    }
}
