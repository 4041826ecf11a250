package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.HostPort;
import simchat.peer.PeerConfig;
import simchat.peer.tls.SecurityOptions;
import simchat.rendezvous.RendezvousConfig;
import simchat.rendezvous.RendezvousServer;

/** Two peers in this JVM introduced by a real rendezvous on loopback: room codes and its failures. */
@Tag("e2e")
class RendezvousChatTest {

    private final RendezvousServer rendezvous = new RendezvousServer(RendezvousConfig.of(
            new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0))).start();
    private final HostPort address = new HostPort("127.0.0.1", rendezvous.address().getPort());

    RendezvousChatTest() throws Exception {
    }

    @AfterEach
    void stopRendezvous() {
        rendezvous.close();
    }

    @Test
    void theFirstPeerGetsACodeAndTheSecondJoinsWithItAndTheyChat() throws Exception {
        try (var alice = peer("alice", null)) {
            String line = alice.await("* room code: ");
            String code = line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
            assertThat(code).as("a human-friendly code").matches("\\d+(-[a-z]+)+-\\d{4}");
            assertThat(alice.await("* your public endpoint: 127.0.0.1:"))
                    .as("on loopback there is no NAT to keep a port").contains("(no NAT: the rendezvous sees this"
                            + " host's own address)").doesNotContain("your NAT");
            assertThat(alice.await("* on the other computer: ")).isEqualTo("* on the other computer: bin/peer"
                    + " --rendezvous 127.0.0.1:" + address.port() + " --room " + code);
            try (var bob = peer("bob", code.toUpperCase().replace('-', ' '))) {
                bob.await("* joined room " + code);
                // In the order printed: the room code proved over TLS, then the hole punch reported.
                alice.await("* encrypted (TLS 1.3); the peer proved it knows the room code");
                bob.await("* encrypted (TLS 1.3); the peer proved it knows the room code");
                assertThat(alice.await("* hole punched: the public endpoint 127.0.0.1:"))
                        .contains("RTT to the rendezvous");
                bob.await("* hole punched");
                alice.await("* connected to bob");
                bob.await("* connected to alice");

                alice.type("hello bob");
                bob.await("alice: hello bob");
                bob.type("hi alice");
                alice.await("bob: hi alice");
                alice.type("/quit");
                bob.await("* alice left the chat");
                assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
                assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            }
        }
    }

    @Test
    void aMistypedDigitTellsBothSidesTheCodesDiffer() throws Exception {
        try (var alice = peer("alice", null)) {
            String line = alice.await("* room code: ");
            String code = line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
            try (var bob = peer("bob", wrongDigits(code))) {
                String differ = "* error: the codes differ: one of you mistyped it (or someone in the middle does not"
                        + " know the code)";
                assertThat(alice.await("* error: ")).isEqualTo(differ);
                assertThat(bob.await("* error: ")).isEqualTo(differ);
                assertThat(alice.exitCode()).isEqualTo(ExitCode.AUTHENTICATION_FAILED);
                assertThat(bob.exitCode()).isEqualTo(ExitCode.AUTHENTICATION_FAILED);
            }
        }
    }

    private static String wrongDigits(String code) {
        String digits = code.substring(code.lastIndexOf('-') + 1);
        return code.substring(0, code.lastIndexOf('-') + 1) + String.format("%04d", (Integer.parseInt(digits) + 1) % 10_000);
    }

    @Test
    void aThirdPeerFindsTheRoomFullAndExitsWithTheRendezvousCode() throws Exception {
        try (var alice = peer("alice", null)) {
            String line = alice.await("* room code: ");
            String code = line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
            // A second member that joins and then only listens keeps the room full.
            try (Socket second = new Socket("127.0.0.1", address.port())) {
                OutputStream out = second.getOutputStream();
                // The rendezvous knows only the room: the code without its last four digits.
                out.write(("{\"type\":\"join\",\"room\":\"" + code.substring(0, code.lastIndexOf('-'))
                        + "\",\"private\":{\"host\":\"127.0.0.1\",\"port\":9}}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                alice.await("the other peer is here");
                try (var carol = peer("carol", code)) {
                    assertThat(carol.await("* error: ")).contains("already has two peers");
                    assertThat(carol.exitCode()).isEqualTo(ExitCode.RENDEZVOUS);
                }
            }
        }
    }

    @Test
    void anUnknownRoomEndsWithTheRendezvousCode() throws Exception {
        try (var bob = peer("bob", "99-no-such-room-1234")) {
            assertThat(bob.await("* error: ")).contains("there is no room \"99-no-such-room-1234\"", "typos");
            assertThat(bob.exitCode()).isEqualTo(ExitCode.RENDEZVOUS);
        }
    }

    @Test
    void anUnreachableRendezvousEndsWithTheRendezvousCode() throws Exception {
        int closed = FreePorts.next();
        try (var bob = new PeerUnderTest(config("bob", null, new HostPort("127.0.0.1", closed)))) {
            assertThat(bob.await("* error: ")).contains("cannot reach the rendezvous at 127.0.0.1:" + closed);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.RENDEZVOUS);
        }
    }

    private PeerUnderTest peer(String name, String room) throws Exception {
        return new PeerUnderTest(config(name, room, address));
    }

    private static PeerConfig config(String name, String room, HostPort rendezvous) throws Exception {
        return new PeerConfig(FreePorts.next(), null, "127.0.0.1", name, false, true, Duration.ofSeconds(30),
                List.of(), rendezvous, room == null ? null : simchat.rendezvous.protocol.RoomCode.normalize(room),
                SecurityOptions.DEFAULT);
    }
}
