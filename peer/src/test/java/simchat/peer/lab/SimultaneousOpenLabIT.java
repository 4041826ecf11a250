package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real peers on two hosts (network namespaces joined by a veth pair). The packet capture shows the
 * simultaneous open, and {@code ss -ltn} shows that nothing listened while they chatted.
 *
 * <p>Usually both SYNs cross in flight and both hosts send a SYN-ACK. Between namespaces a reset takes
 * microseconds, and now and then one host's reset races the other host's next SYN: the open then
 * completes as a simultaneous open at one host only (one SYN-ACK). So every run must show a simultaneous
 * open at one host or more, and within a few runs one must show both SYN-ACKs.
 */
@Tag("lab")
class SimultaneousOpenLabIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MAX_RUNS = 5;
    private static final int PORT = 8000;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("lab test");
    }

    @Test
    void twoHostsChatOverASimultaneousOpenWithNothingListening() throws Exception {
        boolean crossed = false;
        for (int run = 1; run <= MAX_RUNS && !crossed; run++) {
            crossed = chatOnce(Files.createDirectories(dir.resolve("run-" + run)), run);
        }
        assertThat(crossed).as("a run in which both hosts sent a SYN-ACK (the SYNs crossed in flight)").isTrue();
    }

    /**
     * The connect benchmark's one assertion, at its longest delay: a peer that has dialed alone, paced, for
     * most of a minute still connects as soon as the other starts.
     */
    @Test
    void aPeerThatHasDialedAloneForAMinuteConnectsWhenTheOtherStarts() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            Path aliceOut = dir.resolve("late-alice.out");
            Path bobOut = dir.resolve("late-bob.out");
            var alice = new PeerProcess(lab.start(lab.a, PeerProcess.command("--local", "" + PORT, "--remote",
                    lab.addressB + ":" + PORT, "--name", "alice"), aliceOut), aliceOut);
            alice.await(" attempts in 55 s", Duration.ofSeconds(90));   // her progress report after 55 s alone
            var bob = new PeerProcess(lab.start(lab.b, PeerProcess.command("--local", "" + PORT, "--remote",
                    lab.addressA + ":" + PORT, "--name", "bob"), bobOut), bobOut);
            alice.await("* connected to bob", WAIT);
            bob.await("* connected to alice", WAIT);
            alice.endInput();
            bob.endInput();
            assertThat(alice.exitCode(WAIT)).isZero();
            assertThat(bob.exitCode(WAIT)).isZero();
        }
    }

    /** One complete chat; returns whether both hosts sent a SYN-ACK. */
    private boolean chatOnce(Path dir, int run) throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            var capture = lab.capture(lab.a, dir.resolve("a.pcap.txt"));
            var alice = new PeerProcess(lab.start(lab.a, PeerProcess.command("--local", "" + PORT, "--remote",
                    lab.addressB + ":" + PORT, "--name", "alice", "--say", "hello from alice"), dir.resolve("alice.out")),
                    dir.resolve("alice.out"));
            alice.await("* dialing", WAIT);
            // Her first progress report comes 5 s into dialing, after her 2 s eager phase: bob arrives at a
            // peer that paces her SYNs.
            alice.await("* still dialing: ", WAIT);
            var bob = new PeerProcess(lab.start(lab.b, PeerProcess.command("--local", "" + PORT, "--remote",
                    lab.addressA + ":" + PORT, "--name", "bob", "--say", "hello from bob"), dir.resolve("bob.out")),
                    dir.resolve("bob.out"));

            alice.await("* connected to bob", WAIT);
            bob.await("* connected to alice", WAIT);
            alice.await("bob: hello from bob", WAIT);
            bob.await("alice: hello from alice", WAIT);

            for (String ns : List.of(lab.a, lab.b)) {
                assertThat(lab.exec(ns, "ss", "-Hltn").strip()).as("listening TCP sockets in " + ns).isEmpty();
            }
            assertThat(lab.exec(lab.a, "ss", "-Htn", "state", "established"))
                    .as("the one connection").contains(lab.addressA + ":" + PORT, lab.addressB + ":" + PORT);

            alice.endInput();
            bob.await("* alice left the chat", WAIT);
            bob.endInput();
            assertThat(alice.exitCode(WAIT)).isZero();
            assertThat(bob.exitCode(WAIT)).isZero();

            List<Segment> segments = capture.stop();
            boolean atAlice = Segment.simultaneousOpenAt(segments, lab.addressA, PORT);
            boolean atBob = Segment.simultaneousOpenAt(segments, lab.addressB, PORT);
            System.out.printf("run %d: simultaneous open at alice: %s, at bob: %s; last segments at alice's interface:%n",
                    run, atAlice, atBob);
            segments.stream().skip(Math.max(0, segments.size() - 5)).forEach(s -> System.out.println("  " + s.line()));
            assertThat(atAlice || atBob).as("a host that sent a SYN and then a SYN-ACK with the same sequence number")
                    .isTrue();
            return atAlice && atBob;
        }
    }
}
