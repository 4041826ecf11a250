package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real peers on two hosts (network namespaces joined by a veth pair): the packet capture shows
 * both sides sending a SYN-ACK, the signature of a simultaneous open, and {@code ss -ltn} shows that
 * nothing listened while they chatted.
 */
class SimultaneousOpenLabIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        String reason = NetnsLab.unavailableReason();
        if (reason != null) {
            System.out.println("SKIPPED lab test: " + reason);
        }
        assumeTrue(reason == null, reason);
    }

    @Test
    void twoHostsChatOverASimultaneousOpenWithNothingListening() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            var capture = lab.capture(lab.a, dir.resolve("a.pcap.txt"));
            var alice = new PeerProcess(lab.start(lab.a, PeerProcess.command("--local", "8000", "--remote",
                    lab.addressB + ":8000", "--name", "alice", "--say", "hello from alice"), dir.resolve("alice.out")),
                    dir.resolve("alice.out"));
            alice.await("* dialing", WAIT);
            Thread.sleep(3_000);   // alice is past her eager phase: bob arrives at a paced peer
            var bob = new PeerProcess(lab.start(lab.b, PeerProcess.command("--local", "8000", "--remote",
                    lab.addressA + ":8000", "--name", "bob", "--say", "hello from bob"), dir.resolve("bob.out")),
                    dir.resolve("bob.out"));

            alice.await("* connected to bob", WAIT);
            bob.await("* connected to alice", WAIT);
            alice.await("bob: hello from bob", WAIT);
            bob.await("alice: hello from alice", WAIT);

            for (String ns : List.of(lab.a, lab.b)) {
                assertThat(lab.exec(ns, "ss", "-Hltn").strip()).as("listening TCP sockets in " + ns).isEmpty();
            }
            assertThat(lab.exec(lab.a, "ss", "-Htn", "state", "established"))
                    .as("the one connection").contains(lab.addressA + ":8000", lab.addressB + ":8000");

            alice.endInput();
            bob.await("* alice left the chat", WAIT);
            bob.endInput();
            assertThat(alice.exitCode(WAIT)).isZero();
            assertThat(bob.exitCode(WAIT)).isZero();

            List<Segment> segments = capture.stop();
            List<Segment> synAcks = segments.stream().filter(Segment::synAck).toList();
            System.out.println("handshake seen at alice's interface:");
            segments.stream().skip(Math.max(0, segments.size() - 6)).forEach(s -> System.out.println("  " + s.line()));
            assertThat(synAcks).as("a SYN-ACK from each side: the SYNs crossed")
                    .anyMatch(s -> s.from(lab.addressA, 8000))
                    .anyMatch(s -> s.from(lab.addressB, 8000));
        }
    }
}
