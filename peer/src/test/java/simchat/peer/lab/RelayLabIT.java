package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real peers behind two port-randomising NATs ({@code lab/nat-lab.sh} topology e), where no hole punch can
 * work, chat through the relay of a real {@code bin/rendezvous --relay}: both say they are relayed and why, every
 * line arrives, and a packet capture of everything the rendezvous host sends and receives on its port holds the
 * relay's own frames and the peers' plaintext {@code starttls} lines, but never a message, and no hello or chat
 * frame: the relay carried only the peers' TLS.
 */
@Tag("lab")
class RelayLabIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String FROM_ALICE = "the eagle lands at 0400 behind the old mill";
    private static final String FROM_BOB = "copy that, the mill at four";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NatLab.assumeAvailable("relay lab test");
    }

    @Test
    void peersBehindTwoPortRandomisingNatsChatThroughTheRelayWhichSeesOnlyCiphertext() throws Exception {
        try (NatLab lab = NatLab.up("e", dir, "--relay", "-v")) {
            Path pcap = dir.resolve("rdv.pcap");
            Process tcpdump = record(lab, pcap, dir.resolve("tcpdump.out"));
            long start = System.nanoTime();
            PeerProcess alice = lab.peer("a", dir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS,
                    "--name", "alice", "--say", FROM_ALICE);
            String code = roomCode(alice);
            PeerProcess bob = lab.peer("b", dir, "--local", "8000", "--rendezvous", NatLab.RENDEZVOUS,
                    "--room", code, "--name", "bob", "--say", FROM_BOB);

            String aliceSaid = alice.await("* connected via relay ", WAIT);
            String bobSaid = bob.await("* connected via relay ", WAIT);
            long relayedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (String said : List.of(aliceSaid, bobSaid)) {
                assertThat(said).startsWith("* connected via relay " + NatLab.RENDEZVOUS + " (direct path impossible: ")
                        .contains("picks a new public port for every destination");
            }
            assertThat(alice.await("bob: " + FROM_BOB, WAIT)).endsWith(FROM_BOB);
            assertThat(bob.await("alice: " + FROM_ALICE, WAIT)).endsWith(FROM_ALICE);
            assertThat(alice.await("encrypted (TLS 1.3)", WAIT)).contains("room code");
            for (String host : List.of("a", "b")) {
                assertThat(lab.exec(host, "ss", "-Hltn").strip()).as("listening TCP sockets on " + host).isEmpty();
            }
            alice.endInput();
            bob.await("* alice left the chat", WAIT);
            bob.endInput();
            assertThat(alice.exitCode(WAIT)).as("alice's exit code; she printed " + alice.lines()).isZero();
            assertThat(bob.exitCode(WAIT)).as("bob's exit code; he printed " + bob.lines()).isZero();

            String wire = stop(tcpdump, pcap, dir.resolve("tcpdump.out"));
            assertThat(wire).as("the capture holds the relay's frames").contains("\"type\":\"relay\"",
                    "\"type\":\"splice\"", "\"type\":\"spliced\"");
            assertThat(wire).as("the capture holds what the relay carried: the peers' starttls lines")
                    .contains("\"type\":\"starttls\"");
            assertThat(wire).as("the messages, in the relay's capture").doesNotContain(FROM_ALICE, FROM_BOB);
            assertThat(wire).as("chat frames, in the relay's capture").doesNotContain("\"type\":\"hello\"",
                    "\"type\":\"chat\"");
            System.out.println("e: relayed after " + relayedMillis + " ms (JVM starts included); alice: " + aliceSaid
                    + "; capture " + wire.length() + " bytes");
            System.out.println("alice printed:\n  " + String.join("\n  ", alice.lines()));
            System.out.println("bob printed:\n  " + String.join("\n  ", bob.lines()));
        }
    }

    private static String roomCode(PeerProcess creator) throws Exception {
        String line = creator.await("* room code: ", WAIT);
        return line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
    }

    /** Writes every segment with payload on the rendezvous host's port 7000 to {@code pcap}. */
    private static Process record(NatLab lab, Path pcap, Path log) throws IOException, InterruptedException {
        // As in WireCheckLabIT: -Z root to write into the test's directory, --immediate-mode so that nothing waits
        // in the kernel's ring when tcpdump stops.
        Process tcpdump = lab.start("rdv", List.of("tcpdump", "-i", "eth0", "-nn", "-U", "--immediate-mode",
                "-B", "8192", "-s", "0", "-Z", "root", "-w", pcap.toString(),
                "tcp port 7000 and tcp[tcpflags] & (tcp-syn|tcp-rst) == 0"), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains("listening on") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(log)).as("tcpdump is capturing").contains("listening on");
        return tcpdump;
    }

    /** Stops the capture and returns it raw, one byte per char. */
    private static String stop(Process tcpdump, Path pcap, Path log) throws IOException, InterruptedException {
        Thread.sleep(200); // the last segments; -U writes each one as it comes
        tcpdump.destroy();
        assertThat(tcpdump.waitFor(5, TimeUnit.SECONDS)).as("tcpdump stops").isTrue();
        System.out.println("relay capture: " + Files.readString(log).replace('\n', ' '));
        return new String(Files.readAllBytes(pcap), StandardCharsets.ISO_8859_1);
    }
}
