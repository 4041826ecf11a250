package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.HostPort;
import simchat.peer.PeerConfig;
import simchat.peer.tls.SecurityOptions;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;

/** Two peers in this JVM over real loopback sockets: the whole chat, start to bye. */
@Tag("e2e")
class LoopbackChatTest {

    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();

    LoopbackChatTest() throws Exception {
    }

    @Test
    void twoPeersConnectChatBothWaysAndLeaveCleanly() throws Exception {
        try (var alice = new PeerUnderTest("alice", alicePort, bobPort);
             var bob = new PeerUnderTest("bob", bobPort, alicePort)) {
            assertThat(alice.await("* connected to bob")).contains("127.0.0.1:" + bobPort);
            bob.await("* connected to alice");

            alice.type("hello bob");
            assertThat(bob.await("alice: hello bob")).matches("\\[\\d\\d:\\d\\d:\\d\\d] alice: hello bob");
            bob.type("hi alice");
            alice.await("bob: hi alice");

            alice.type("/quit");
            bob.await("* alice left the chat");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void twoPeersWithOneNameShowEachOtherWithTheHostAdded() throws Exception {
        String host = simchat.peer.LocalHost.name();
        try (var first = new PeerUnderTest("root", alicePort, bobPort);
             var second = new PeerUnderTest("root", bobPort, alicePort)) {
            first.await("* connected to root@" + host + " ");
            second.await("* connected to root@" + host + " ");
            first.type("same name");
            assertThat(second.await("same name")).endsWith(" root@" + host + ": same name");
            first.type("/quit");
            second.await("* root@" + host + " left the chat");
            assertThat(first.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void linesTypedBeforeTheOtherPeerStartsArriveInOrder() throws Exception {
        try (var alice = new PeerUnderTest("alice", alicePort, bobPort, "first", "second")) {
            alice.type("third");
            alice.endInput();
            // Her first progress report comes 5 s into dialing, after her 2 s eager phase: bob meets a
            // peer that paces her SYNs.
            alice.await("* still dialing: ");
            try (var bob = new PeerUnderTest("bob", bobPort, alicePort)) {
                bob.await("alice: third");
                assertThat(bob.printed()).filteredOn(l -> l.contains("alice: "))
                        .extracting(l -> l.substring(l.indexOf("alice: ")))
                        .containsExactly("alice: first", "alice: second", "alice: third");
                bob.await("* alice left the chat");
                assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
                assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            }
        }
    }

    @Test
    void givesUpAfterTheRequestedTimeWithItsOwnExitCode() throws Exception {
        var config = new PeerConfig(alicePort, new HostPort("127.0.0.1", bobPort), "127.0.0.1", "alice", false, false,
                Duration.ofMillis(800), List.of());
        try (var alice = new PeerUnderTest(config)) {
            assertThat(alice.exitCode()).isEqualTo(ExitCode.GAVE_UP);
            assertThat(alice.await("* error: ")).startsWith("* error: could not connect to 127.0.0.1:" + bobPort)
                    .contains("within 0.8 s").doesNotContain("Exception");
        }
    }

    @Test
    void reportsALocalPortThatIsTaken() throws Exception {
        try (var squatter = new ServerSocket(alicePort, 1, InetAddress.getByName("127.0.0.1"));
             var alice = new PeerUnderTest("alice", alicePort, bobPort)) {
            assertThat(alice.exitCode()).isEqualTo(ExitCode.PORT_UNAVAILABLE);
            assertThat(alice.await("* error: local port " + alicePort + " is unavailable")).doesNotContain("Exception");
        }
    }

    @Test
    void closesTheConnectionWhenThePeerSendsGarbage() throws Exception {
        // Plaintext, so that a hand-written peer can send frames; with TLS the same pipeline sits behind it.
        try (var alice = plaintextAlice();
             var mallory = RawPeer.dial(bobPort, alicePort, Duration.ofSeconds(10))) {
            mallory.send(Json.format(new Hello(Hello.PROTOCOL_VERSION, "mallory", "0123")) + "\n");
            mallory.send("{\"type\":\"chat\",\"id\":\"x\",\"seq\":1,\"time\":0,\"text\":\"\\u001b[2Jgotcha\"}\n");
            alice.await("mallory: \\x1B[2Jgotcha");
            mallory.send("\u0000\u0001 definitely not json\n");

            assertThat(alice.exitCode()).isEqualTo(ExitCode.PROTOCOL_ERROR);
            assertThat(alice.await("* error: ")).startsWith("* error: closing the connection: malformed frame")
                    .doesNotContain("Exception");
            assertThat(mallory.readUntilClosed()).contains("\"type\":\"bye\"", "protocol error");
        }
    }

    @Test
    void refusesAPeerWithAnIncompatibleProtocolVersion() throws Exception {
        try (var alice = plaintextAlice();
             var future = RawPeer.dial(bobPort, alicePort, Duration.ofSeconds(10))) {
            future.send(Json.format(new Hello(99, "from-the-future", "0123")) + "\n");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.PROTOCOL_ERROR);
            assertThat(alice.await("* error:")).contains("incompatible protocol version 99 (this peer speaks 1)");
            assertThat(future.readUntilClosed()).contains("incompatible protocol version 99");
        }
    }

    private PeerUnderTest plaintextAlice() throws Exception {
        return new PeerUnderTest(PeerUnderTest.direct("alice", alicePort, bobPort)
                .withSecurity(new SecurityOptions(true, null, null)));
    }
}
