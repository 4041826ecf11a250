package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real peers introduced by a real rendezvous through real NATs ({@code lab/nat-lab.sh}, whose
 * routers reach the "internet" over wires with wide-area delay, 10 and 25 ms one way by default):
 * they connect and chat in topologies a-c, with nothing listening, by a simultaneous open in which the
 * SYNs crossed; behind a port-randomising NAT (d) the peer says why it cannot work and exits 7.
 *
 * <p>Every run must show, in the packet capture at alice, that nothing listened: each SYN-ACK she
 * sent or received came from a socket that had sent its own SYN with the same ISN on the same address
 * pair (a connecting socket in SYN_SENT; a listener's SYN-ACK carries a fresh ISN and follows no SYN
 * of its own), and {@code ss -ltn} lists nothing while they chat. A true simultaneous open through
 * the NATs shows such a SYN-ACK in each direction: the rendezvous times both dials so that both SYNs
 * pass their own router before the other's arrives (a window of the two WAN delays, 35 ms here), so
 * both routers' conntrack let the crossing SYN in and both peers answer it from SYN_SENT. Should the
 * SYNs leave further apart than that (a busy machine answers the rendezvous' pings late, or starts the
 * dial late), the first SYN is dropped at the far router and the open completes at one host only, so
 * a case is run up to {@value #MAX_RUNS} times until one run shows a SYN-ACK each way.
 *
 * <p>Behind the same NAT (c) the peers meet over their private endpoints on the LAN, where there is no
 * delay and a closed port answers RST at once; both dial eagerly (redialling on each reset) after the
 * same sync, so their SYNs cross in flight as on {@link SimultaneousOpenLabIT}'s LAN, usually at the
 * first attempt, and the same bounded retry applies.
 */
@Tag("lab")
class NatLabIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MAX_RUNS = 5;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NatLab.assumeAvailable("NAT lab test");
    }

    @Test
    void peersBehindTwoPortPreservingNatsConnectOverTheirPublicEndpoints() throws Exception {
        assertSynsCrossWithinRuns("a", (lab, punch) -> {
            assertThat(punch.aliceSaid).contains("hole punched: the public endpoint " + lab.env.get("B_PUBLIC_IP"));
            assertThat(punch.bobSaid).contains("hole punched: the public endpoint " + lab.env.get("A_PUBLIC_IP"));
        });
    }

    @Test
    void aPeerBehindANatConnectsToAPublicPeer() throws Exception {
        assertSynsCrossWithinRuns("b", (lab, punch) ->
                assertThat(punch.aliceSaid).contains("hole punched: the public endpoint " + lab.env.get("B_PUBLIC_IP")));
    }

    @Test
    void peersBehindTheSameNatConnectOverTheirPrivateEndpoints() throws Exception {
        assertSynsCrossWithinRuns("c", (lab, punch) -> {
            assertThat(punch.aliceSaid).contains("hole punched: the private endpoint " + lab.env.get("B_IP") + ":8000");
            assertThat(punch.bobSaid).contains("hole punched: the private endpoint " + lab.env.get("A_IP") + ":8000");
        });
    }

    @Test
    void aPeerBehindAPortRandomisingNatSaysWhyAndExitsSeven() throws Exception {
        try (NatLab lab = NatLab.up("d", dir)) {
            PeerProcess bob = lab.peer("b", dir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS, "--name", "bob");
            String code = roomCode(bob);
            long start = System.nanoTime();
            PeerProcess alice = lab.peer("a", dir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS,
                    "--room", code, "--name", "alice");

            assertThat(alice.exitCode(WAIT)).as("alice's exit code; she printed " + alice.lines())
                    .isEqualTo(simchat.peer.ExitCode.PUNCH_IMPOSSIBLE);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("time to the verdict, JVM start included").isLessThan(Duration.ofSeconds(30));
            assertThat(alice.await("your NAT changed the local port", WAIT)).contains("your public endpoint");
            assertThat(alice.await("* error: ", WAIT)).contains("hole punching cannot work from here",
                    "symmetric or port-randomising NAT", "What you can do", "forward TCP port 8000");
            assertThat(bob.exitCode(WAIT)).isEqualTo(simchat.peer.ExitCode.RENDEZVOUS);
            assertThat(bob.await("* error: ", WAIT)).contains("the other peer left");
            System.out.println("d: alice exited 7 after " + took.toMillis() + " ms (JVM start included)");
        }
    }

    /**
     * Runs the chat in a fresh lab of {@code topology} until a run shows SYN-ACKs both ways at alice, at
     * most {@value #MAX_RUNS} times; every run must connect, say what {@code checks} expects and show a
     * simultaneous open with nothing listening.
     */
    private void assertSynsCrossWithinRuns(String topology, BiConsumer<NatLab, Punch> checks) throws Exception {
        boolean crossed = false;
        for (int run = 1; run <= MAX_RUNS && !crossed; run++) {
            Path runDir = Files.createDirectories(dir.resolve("run-" + run));
            try (NatLab lab = NatLab.up(topology, runDir)) {
                Punch punch = chat(lab, runDir);
                checks.accept(lab, punch);
                crossed = punch.assertSimultaneousOpen(run);
            }
        }
        assertThat(crossed).as("a run whose capture at alice shows a SYN-ACK each way (the SYNs crossed)").isTrue();
    }

    /** Alice creates a room, Bob joins it; both chat and leave; returns what they printed and captured. */
    private static Punch chat(NatLab lab, Path dir) throws Exception {
        PunchCapture atAlice = lab.capture("a", dir.resolve("a.cap"));
        PunchCapture atBob = lab.capture("b", dir.resolve("b.cap"));
        PeerProcess alice = lab.peer("a", dir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS,
                "--name", "alice", "--say", "hello from alice");
        String code = roomCode(alice);
        PeerProcess bob = lab.peer("b", dir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS,
                "--room", code, "--name", "bob", "--say", "hello from bob");

        String aliceSaid = alice.await("* hole punched", WAIT);
        String bobSaid = bob.await("* hole punched", WAIT);
        alice.await("bob: hello from bob", WAIT);
        bob.await("alice: hello from alice", WAIT);
        for (String host : List.of("a", "b")) {
            assertThat(lab.exec(host, "ss", "-Hltn").strip()).as("listening TCP sockets on " + host).isEmpty();
        }
        alice.endInput();
        bob.await("* alice left the chat", WAIT);
        bob.endInput();
        assertThat(alice.exitCode(WAIT)).isZero();
        assertThat(bob.exitCode(WAIT)).isZero();
        String rendezvous = lab.env.get("RDV_IP") + ".";
        List<PunchCapture.Syn> a = withoutRendezvous(atAlice.stop(), rendezvous);
        List<PunchCapture.Syn> b = withoutRendezvous(atBob.stop(), rendezvous);
        return new Punch(lab, aliceSaid, bobSaid, a, b);
    }

    private static String roomCode(PeerProcess creator) throws Exception {
        String line = creator.await("* room code: ", WAIT);
        return line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
    }

    private static List<PunchCapture.Syn> withoutRendezvous(List<PunchCapture.Syn> syns, String rendezvous) {
        return syns.stream().filter(s -> !s.from().startsWith(rendezvous) && !s.to().startsWith(rendezvous)).toList();
    }

    /** The outcome of one chat: the "hole punched" lines and the SYNs seen at each peer. */
    private record Punch(NatLab lab, String aliceSaid, String bobSaid, List<PunchCapture.Syn> atAlice,
                         List<PunchCapture.Syn> atBob) {

        /** Asserts what every run must show and prints it; returns whether the SYN-ACKs went both ways. */
        boolean assertSimultaneousOpen(int run) {
            String aliceHost = lab.env.get("A_IP") + ".8000";
            String bobHost = lab.env.get("B_IP") + ".8000";
            List<PunchCapture.Syn> synAcks = atAlice.stream().filter(PunchCapture.Syn::synAck).toList();
            boolean crossed = PunchCapture.synAcksBothWays(atAlice, aliceHost);
            System.out.println("topology " + lab.env.get("TOPOLOGY") + ", run " + run + ": " + aliceSaid + " / "
                    + bobSaid + "; SYN-ACKs at alice: " + (crossed ? "both ways" : "one way"));
            synAcks.forEach(s -> System.out.println("  " + s.line()));
            assertThat(atAlice).as("alice sent SYNs from her fixed port").anyMatch(s -> !s.synAck() && s.from().equals(aliceHost));
            assertThat(atBob).as("bob sent SYNs from his fixed port").anyMatch(s -> !s.synAck() && s.from().equals(bobHost));
            assertThat(atAlice).as("bob's SYN or SYN-ACK came through to alice").anyMatch(s -> s.to().equals(aliceHost));
            assertThat(atBob).as("alice's SYN or SYN-ACK came through to bob").anyMatch(s -> s.to().equals(bobHost));
            List<PunchCapture.Syn> aliceSent = atAlice.stream().filter(s -> s.synAck() && s.from().equals(aliceHost)).toList();
            List<PunchCapture.Syn> bobSent = atBob.stream().filter(s -> s.synAck() && s.from().equals(bobHost)).toList();
            assertThat(aliceSent.size() + bobSent.size()).as("SYN-ACKs the peers sent").isPositive();
            // Each side's own capture holds the SYN it sent before; the other's may not (dropped at a router).
            assertThat(aliceSent).as("alice's SYN-ACKs came from a socket that had sent its own SYN with the same "
                    + "ISN (a connecting socket, not a listener)").allMatch(s -> s.fromConnectingSocket(atAlice));
            assertThat(bobSent).as("bob's SYN-ACKs came from a socket that had sent its own SYN with the same ISN")
                    .allMatch(s -> s.fromConnectingSocket(atBob));
            return crossed;
        }
    }
}
