package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import simchat.rendezvous.RelayLimits;
import simchat.rendezvous.RendezvousConfig;
import simchat.rendezvous.RendezvousServer;

/**
 * Two peers in this JVM whose NAT check says no hole punch can work chat through a real rendezvous' relay on
 * loopback. The rendezvous listens on 127.0.0.2 and the peers bind 127.0.0.1; a scripted probe port on
 * 127.0.0.2 answers every NAT probe with another public port than the rendezvous saw, as a port-randomising NAT
 * would (the real probe port sits on 127.0.0.1 with the same number). Both peers share the public address, so
 * only their private endpoints could work, and those are the public ones again: nothing to dial.
 */
@Tag("e2e")
class RelayedChatTest {

    private RendezvousServer rendezvous;
    private HostPort address;
    private ServerSocket probe;
    private final Thread prober = new Thread(this::answerProbes, "scripted-probe");
    /** The local ports whose probes are answered with another port, as a port-randomising NAT would. */
    private final java.util.Set<Integer> symmetricPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The rendezvous, relaying within {@code limits}, and the scripted probe port beside it. */
    private void start(RelayLimits limits) throws Exception {
        rendezvous = new RendezvousServer(RendezvousConfig.of(new InetSocketAddress("127.0.0.2", 0),
                new InetSocketAddress("127.0.0.1", 0)).withRelay(limits)).start();
        address = new HostPort("127.0.0.2", rendezvous.address().getPort());
        probe = new ServerSocket(rendezvous.probeAddress().getPort(), 8, InetAddress.getByName("127.0.0.2"));
        prober.setDaemon(true);
        prober.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (probe != null) {
            probe.close();
            prober.join(5_000);
        }
        if (rendezvous != null) {
            rendezvous.close();
        }
    }

    @Test
    void peersWhoseHolePunchCannotWorkChatThroughTheRelayEncryptedAndSaySo() throws Exception {
        start(RelayLimits.defaults());
        try (var alice = new PeerUnderTest(config("alice", null, true))) {
            String code = code(alice);
            try (var bob = new PeerUnderTest(config("bob", code, true))) {
                assertThat(alice.await("* direct path impossible: ")).contains("picks a new public port",
                        "asking the rendezvous at " + address + " to relay");
                alice.await("* encrypted (TLS 1.3); the peer proved it knows the room code");
                bob.await("* encrypted (TLS 1.3); the peer proved it knows the room code");
                String relayed = "* connected via relay " + address + " (direct path impossible: ";
                assertThat(alice.await(relayed)).endsWith("; the relay carries only ciphertext");
                assertThat(bob.await(relayed)).contains("picks a new public port for every destination");
                alice.await("* connected to bob at " + address);

                alice.type("hello through the relay");
                bob.await("alice: hello through the relay");
                bob.type("and back");
                alice.await("bob: and back");
                alice.type("/quit");
                bob.await("* alice left the chat");
                assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
                assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            }
        }
    }

    @Test
    void aPeerWhosePartnerRefusesRelayingExitsSevenSayingTheRelayCouldNotHelpEither() throws Exception {
        start(RelayLimits.defaults());
        try (var alice = new PeerUnderTest(config("alice", null, true))) {
            String code = code(alice);
            try (var bob = new PeerUnderTest(config("bob", code, false, false))) {
                assertThat(alice.await("* error: ")).contains("hole punching cannot work from here",
                        "The rendezvous cannot relay this pair either (it runs without --relay, or the other peer "
                                + "runs with --no-relay");
                assertThat(alice.exitCode()).isEqualTo(ExitCode.PUNCH_IMPOSSIBLE);
                assertThat(bob.await("* error: ")).contains("the other peer left");
                assertThat(bob.exitCode()).isEqualTo(ExitCode.RENDEZVOUS);
            }
        }
    }

    @Test
    void withNoRelayAPeerWhoseHolePunchCannotWorkExitsSevenAsBefore() throws Exception {
        start(RelayLimits.defaults());
        try (var alice = new PeerUnderTest(config("alice", null, true, false))) {
            String code = code(alice);
            try (var bob = new PeerUnderTest(config("bob", code, false))) {
                assertThat(bob.await("* error: ")).contains("hole punching cannot work from here")
                        .doesNotContain("relay");
                assertThat(bob.exitCode()).isEqualTo(ExitCode.PUNCH_IMPOSSIBLE);
                assertThat(alice.exitCode()).isEqualTo(ExitCode.RENDEZVOUS);
            }
        }
    }

    private static String code(PeerUnderTest creator) throws Exception {
        String line = creator.await("* room code: ");
        return line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
    }

    private PeerConfig config(String name, String room, boolean relay) throws Exception {
        return config(name, room, relay, true);
    }

    /** A peer's configuration; {@code symmetric}: the scripted probe shows its NAT as port-randomising. */
    private PeerConfig config(String name, String room, boolean relay, boolean symmetric) throws Exception {
        int port = FreePorts.next();
        if (symmetric) {
            symmetricPorts.add(port);
        }
        return new PeerConfig(port, null, "127.0.0.1", name, false, true, Duration.ofSeconds(30),
                List.of(), address, room == null ? null : simchat.rendezvous.protocol.RoomCode.normalize(room),
                SecurityOptions.DEFAULT).withRelay(relay);
    }

    /**
     * A probe from a port-randomising peer gets an observed endpoint one port above the one it came from (a new
     * mapping per destination); any other its own.
     */
    private void answerProbes() {
        while (!probe.isClosed()) {
            try (Socket s = probe.accept()) {
                s.setSoTimeout(5_000);
                new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                OutputStream out = s.getOutputStream();
                out.write(("{\"type\":\"observed\",\"observed\":{\"host\":\"127.0.0.1\",\"port\":"
                        + (symmetricPorts.contains(s.getPort()) ? s.getPort() % 65535 + 1 : s.getPort())
                        + "}}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (java.io.IOException e) {
                // closed at the end of the test, or a probe that went away: the next one
            }
        }
    }
}
