package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.HostPort;
import simchat.peer.PeerConfig;
import simchat.peer.tls.SecurityOptions;
import simchat.rendezvous.RendezvousConfig;
import simchat.rendezvous.RendezvousServer;
import simchat.rendezvous.protocol.RoomCode;

/**
 * Peers introduced by a rendezvous lose their connection (the kernel aborts alice's socket, as
 * {@code ss -K} does, which resets bob's): both go back to the rendezvous by themselves, meet again in
 * the room only they can name, pass the room-code check again, and every line arrives exactly once, in
 * order. Encrypted, on real loopback sockets; needs root for {@code ss -K}.
 */
@Tag("e2e")
class RendezvousReconnectTest {

    private final int rendezvousPort = FreePorts.next();
    private final int probePort = FreePorts.next();
    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();

    RendezvousReconnectTest() throws Exception {
    }

    @Test
    void introducedPeersMeetAgainThroughTheRendezvousAfterALostConnectionAndShowEveryLineOnce() throws Exception {
        assumeTrue(canKillSockets(), "ss -K needs root and a kernel with socket destroy");
        try (RendezvousServer rendezvous = new RendezvousServer(RendezvousConfig.of(
                     new InetSocketAddress("127.0.0.1", rendezvousPort), new InetSocketAddress("127.0.0.1", probePort))).start();
             var alice = new PeerUnderTest(config("alice", alicePort, null));
             var bob = new PeerUnderTest(config("bob", bobPort, code(alice.await("* room code: "))))) {
            alice.await("* connected to bob");
            bob.await("* connected to alice");
            alice.type("one");
            bob.await("alice: one");

            killConnection(alicePort, bobPort);
            alice.await("* connection to bob lost");
            bob.await("* connection to alice lost");
            alice.type("two");
            bob.type("from bob");

            assertThat(alice.await("meeting the other peer again")).contains("127.0.0.1:" + rendezvousPort);
            bob.await("meeting the other peer again");
            bob.await("alice: two");
            alice.await("bob: from bob");
            alice.type("three");
            bob.await("alice: three");
            assertThat(bob.messagesFrom("alice")).as("nothing lost, nothing twice, in order")
                    .containsExactly("one", "two", "three");
            assertThat(alice.messagesFrom("bob")).containsExactly("from bob");
            assertThat(bob.printed()).as("the room code vouched for alice again")
                    .filteredOn(l -> l.contains("the peer proved it knows the room code")).hasSize(2);
            alice.type("/quit");
            bob.await("* alice left the chat");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    private PeerConfig config(String name, int localPort, String room) {
        return new PeerConfig(localPort, null, "127.0.0.1", name, false, true, Duration.ofSeconds(30), List.of(),
                new HostPort("127.0.0.1", rendezvousPort), room == null ? null : RoomCode.normalize(room),
                new SecurityOptions(false, null, null));
    }

    private static String code(String roomLine) {
        return roomLine.substring("* room code: ".length(), roomLine.indexOf(' ', "* room code: ".length()));
    }

    /** Aborts the chat's socket on the side of {@code from}; its kernel resets the other side. */
    private static void killConnection(int from, int to) throws Exception {
        assertThat(ss("-K", "-t", "sport", "=", ":" + from, "and", "dport", "=", ":" + to))
                .as("ss -K found the chat's connection").contains(":" + to);
    }

    private static boolean canKillSockets() {
        try {
            ss("-K", "-t", "sport", "=", ":1");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String ss(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ss", "-n"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("ss " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }
}
