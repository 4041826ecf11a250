package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.HostPort;
import simchat.peer.PeerConfig;
import simchat.peer.tls.SecurityOptions;
import simchat.rendezvous.RendezvousConfig;
import simchat.rendezvous.RendezvousServer;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Protocol;
import simchat.rendezvous.protocol.Role;
import simchat.rendezvous.protocol.RoomCode;

/**
 * The rendezvous dies while a peer waits in its room for the other: the peer ends with the rendezvous'
 * exit code but keeps what was typed in its journal, and after the rendezvous is back every line arrives
 * exactly once and in order. A rendezvous that dies once it has timed the dial does not stop the peers.
 */
@Tag("e2e")
class RendezvousOutageTest {

    private final int rendezvousPort = FreePorts.next();
    private final int probePort = FreePorts.next();
    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();
    private final Path aliceDir = PeerUnderTest.freshConfigDir();

    RendezvousOutageTest() throws Exception {
    }

    @Test
    void linesTypedBeforeTheRendezvousDiedAreDeliveredOnceAfterItIsBack() throws Exception {
        try (RendezvousServer first = rendezvous();
             var alice = new PeerUnderTest(config("alice", alicePort, aliceDir, null, "one", "two"))) {
            alice.await("* room code: ");
            first.close();
            assertThat(alice.await("* error: ")).contains("closed the connection before the peers were connected");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.RENDEZVOUS);
        }

        try (RendezvousServer second = rendezvous();
             var alice = new PeerUnderTest(config("alice", alicePort, aliceDir, null))) {
            alice.await("2 line(s) typed in an earlier run of this chat were not confirmed");
            try (var bob = new PeerUnderTest(config("bob", bobPort, PeerUnderTest.freshConfigDir(),
                    code(alice.await("* room code: "))))) {
                bob.await("* connected to alice");
                alice.type("three");
                bob.await("alice: three");
                assertThat(bob.messagesFrom("alice")).as("nothing lost, nothing twice, in order")
                        .containsExactly("one", "two", "three");
                alice.type("/quit");
                bob.await("* alice left the chat");
                assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
                assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            }
        }
    }

    /**
     * A rendezvous that dies right after timing the dial (it sends {@code sync} and is gone): the round it
     * timed needs it no more, so the peers connect and chat all the same.
     */
    @Test
    void peersConnectWhenTheRendezvousDiesRightAfterTimingTheirDial() throws Exception {
        try (ServerSocket server = new ServerSocket(rendezvousPort, 2, InetAddress.getByName("127.0.0.1"));
             var alice = new PeerUnderTest(config("alice", alicePort, aliceDir, null, "one"))) {
            Socket first = server.accept();
            BufferedReader fromAlice = reader(first);
            Message.Join aliceJoin = (Message.Join) Protocol.decode(fromAlice.readLine());
            Endpoint alicePublic = Endpoint.of((InetSocketAddress) first.getRemoteSocketAddress());
            send(first, new Message.Joined("7-amber-falcon", alicePublic, Role.INITIATOR, null));
            try (var bob = new PeerUnderTest(config("bob", bobPort, PeerUnderTest.freshConfigDir(),
                    code(alice.await("* room code: ")), "two"));
                 Socket second = server.accept()) {
                Message.Join bobJoin = (Message.Join) Protocol.decode(reader(second).readLine());
                Endpoint bobPublic = Endpoint.of((InetSocketAddress) second.getRemoteSocketAddress());
                send(second, new Message.Joined("7-amber-falcon", bobPublic, Role.RESPONDER, null));
                send(first, new Message.Peer(bobPublic, bobJoin.privateEndpoint(), Role.INITIATOR, "bob"));
                send(second, new Message.Peer(alicePublic, aliceJoin.privateEndpoint(), Role.RESPONDER, "alice"));
                send(first, new Message.Sync(1, 0, 0.1));
                send(second, new Message.Sync(1, 0, 0.1));
                first.close();
                second.close();
                server.close();

                bob.await("alice: one");
                alice.await("bob: two");
                assertThat(alice.printed()).noneMatch(l -> l.startsWith("* error"));
                alice.type("/quit");
                bob.await("* alice left the chat");
                assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
                assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket socket, Message message) throws IOException {
        socket.getOutputStream().write((Protocol.encode(message) + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** A rendezvous on the same ports each time, as a restarted one would be. */
    private RendezvousServer rendezvous() throws Exception {
        return new RendezvousServer(RendezvousConfig.of(new InetSocketAddress("127.0.0.1", rendezvousPort),
                new InetSocketAddress("127.0.0.1", probePort))).start();
    }

    /** {@code say} lines are queued before the peer contacts the rendezvous: typed while waiting. */
    private PeerConfig config(String name, int localPort, Path dir, String room, String... say) {
        return new PeerConfig(localPort, null, "127.0.0.1", name, false, true, Duration.ofSeconds(30), List.of(say),
                new HostPort("127.0.0.1", rendezvousPort), room == null ? null : RoomCode.normalize(room),
                new SecurityOptions(false, null, dir));
    }

    private static String code(String roomLine) {
        return roomLine.substring("* room code: ".length(), roomLine.indexOf(' ', "* room code: ".length()));
    }
}
