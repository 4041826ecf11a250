package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simchat.peer.ExitCode;

/**
 * The rendezvous killed with SIGKILL in the NAT lab (topology a of {@code lab/nat-lab.sh}: two NATs, WAN
 * delay): while alice waits in her room, and while both peers are being introduced. Whatever the kill
 * interrupted, once the rendezvous and the peers that ended are started again (same config directories,
 * so the same chat journals), every line typed on either side is shown exactly once on the other, in the
 * order typed, and both leave with {@code /quit} and exit 0.
 */
@Tag("lab")
class RendezvousOutageLabIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern MESSAGE = Pattern.compile("\\[\\d\\d:\\d\\d:\\d\\d] (\\S+): (.*)");
    private static final Pattern STACK_FRAME = Pattern.compile("\\s+at [\\w.$/]+\\(.*\\)");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NatLab.assumeAvailable("rendezvous outage lab test");
    }

    @Test
    void theRendezvousKilledWhileAliceWaitsInHerRoomLosesAndRepeatsNothingOnceItIsBack() throws Exception {
        try (NatLab lab = NatLab.up("a", dir, "-v")) {
            PeerProcess alice = peer(lab, "alice", "alice-1.out", "--say", "a-1", "--say", "a-2");
            roomCode(alice);
            alice.typeNumbered("a", 3, 4);
            awaitJournalHolds("alice", PeerProcess.numbered("a", 4));

            lab.killRendezvous();
            assertThat(alice.exitCode(WAIT)).as("alice's exit code; she printed " + alice.lines())
                    .isEqualTo(ExitCode.RENDEZVOUS);
            assertThat(oneLineError(alice)).contains("closed the connection before the peers were connected");

            lab.startRendezvous();
            PeerProcess alice2 = peer(lab, "alice", "alice-2.out");
            alice2.await("* 4 line(s) typed in an earlier run of this chat were not confirmed", WAIT);
            String code = roomCode(alice2);
            alice2.typeNumbered("a", 5, 5);
            PeerProcess bob = peer(lab, "bob", "bob-1.out", "--room", code, "--say", "b-1");
            awaitConnected(alice2, bob);
            alice2.typeNumbered("a", 6, 6);
            bob.typeNumbered("b", 2, 2);

            awaitMessages(List.of(bob), "alice", 6);
            awaitMessages(List.of(alice, alice2), "bob", 2);
            quitBoth(alice2, bob);
            assertExactlyOnceInOrder(List.of(bob), "alice", PeerProcess.numbered("a", 6));
            assertExactlyOnceInOrder(List.of(alice, alice2), "bob", PeerProcess.numbered("b", 2));
        }
    }

    /**
     * The kill comes as soon as both peers heard of each other, while the rendezvous measures their round
     * trips (three pings each; its sync followed the pairing by 250-600 ms in the lab, the end of both
     * handshakes by about a second), so it usually lands before the connection and both end; should it
     * land after both handshakes, they chat on.
     */
    @Test
    void theRendezvousKilledWhileItIntroducesThePeersLosesAndRepeatsNothing() throws Exception {
        try (NatLab lab = NatLab.up("a", dir, "-v")) {
            PeerProcess alice = peer(lab, "alice", "alice-1.out", "--say", "a-1", "--say", "a-2");
            String code = roomCode(alice);
            alice.typeNumbered("a", 3, 3);
            awaitJournalHolds("alice", PeerProcess.numbered("a", 3));
            PeerProcess bob = peer(lab, "bob", "bob-1.out", "--room", code, "--say", "b-1", "--say", "b-2");
            bob.typeNumbered("b", 3, 3);
            awaitJournalHolds("bob", PeerProcess.numbered("b", 3));

            bob.await("* the other peer (alice) is here", WAIT);
            alice.await("* the other peer (bob) is here", WAIT);
            LocalTime killedAt = LocalTime.now();
            lab.killRendezvous();
            List<String> rendezvousSaw = Files.readAllLines(dir.resolve("rendezvous.out"));

            List<PeerProcess> aliceRuns = new ArrayList<>(List.of(alice));
            List<PeerProcess> bobRuns = new ArrayList<>(List.of(bob));
            String branch = settle(alice, bob);
            System.out.println("rendezvous killed during pairing, " + sincePaired(rendezvousSaw, killedAt)
                    + " ms after it paired the peers: " + branch + "; it had logged " + rendezvousSaw.stream()
                    .filter(l -> l.contains(" room ")).map(l -> l.replaceAll(".* room \\S+: ", "")
                    .replaceAll(" (initiator|responder) [\\d.:]+", " $1")).toList()
                    + "; a sync reached alice: " + gotSync(alice) + ", bob: " + gotSync(bob));
            if (branch.equals("connected")) {
                alice.typeNumbered("a", 4, 4);
                bob.typeNumbered("b", 4, 4);
            } else {
                for (PeerProcess peer : List.of(alice, bob)) {
                    assertThat(peer.exitCode(WAIT)).as("exit code; printed " + peer.lines())
                            .isIn(ExitCode.RENDEZVOUS, ExitCode.CONNECTION_LOST);
                    oneLineError(peer);
                }
                lab.startRendezvous();
                PeerProcess alice2 = peer(lab, "alice", "alice-2.out");
                PeerProcess bob2 = peer(lab, "bob", "bob-2.out", "--room", roomCode(alice2));
                if (branch.equals("both ended before connecting")) {
                    alice2.await("* 3 line(s) typed in an earlier run of this chat were not confirmed", WAIT);
                    bob2.await("* 3 line(s) typed in an earlier run of this chat were not confirmed", WAIT);
                }
                awaitConnected(alice2, bob2);
                alice2.typeNumbered("a", 4, 4);
                bob2.typeNumbered("b", 4, 4);
                aliceRuns.add(alice2);
                bobRuns.add(bob2);
            }

            awaitMessages(bobRuns, "alice", 4);
            awaitMessages(aliceRuns, "bob", 4);
            quitBoth(aliceRuns.get(aliceRuns.size() - 1), bobRuns.get(bobRuns.size() - 1));
            assertExactlyOnceInOrder(bobRuns, "alice", PeerProcess.numbered("a", 4));
            assertExactlyOnceInOrder(aliceRuns, "bob", PeerProcess.numbered("b", 4));
        }
    }

    /**
     * Waits until each peer either connected or ended, and says which: "connected" (both chat on), "both
     * ended before connecting", or "ended after connecting" (one connected, then lost the other).
     */
    private static String settle(PeerProcess alice, PeerProcess bob) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(settled(alice) && settled(bob))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("neither connected nor ended within " + WAIT + "; alice printed "
                        + alice.lines() + ", bob printed " + bob.lines());
            }
            Thread.sleep(20);
        }
        boolean aliceConnected = connected(alice);
        boolean bobConnected = connected(bob);
        if (alice.running() && bob.running()) {
            return "connected";
        }
        return aliceConnected || bobConnected ? "ended after connecting" : "both ended before connecting";
    }

    /** Milliseconds from the rendezvous' "paired" line (its clock is ours: same host) to {@code killedAt}. */
    private static long sincePaired(List<String> rendezvousLog, LocalTime killedAt) {
        String paired = rendezvousLog.stream().filter(l -> l.contains(": paired ")).findFirst()
                .orElseThrow(() -> new AssertionError("the rendezvous did not log the pairing: " + rendezvousLog));
        return Duration.between(LocalTime.parse(paired.substring(0, paired.indexOf(' '))), killedAt).toMillis();
    }

    private static boolean settled(PeerProcess peer) throws IOException {
        return !peer.running() || connected(peer);
    }

    private static boolean connected(PeerProcess peer) throws IOException {
        return peer.lines().stream().anyMatch(l -> l.startsWith("* connected to "));
    }

    private static boolean gotSync(PeerProcess peer) throws IOException {
        return peer.lines().stream().anyMatch(l -> l.startsWith("* round 1: dialing"));
    }

    /** {@code bin/peer} as {@code name} on host a (alice) or b (bob), from port 8000, with its own config directory. */
    private PeerProcess peer(NatLab lab, String name, String output, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--local", "8000", "--rendezvous", NatLab.RENDEZVOUS, "--name", name));
        all.addAll(List.of(args));
        Path out = dir.resolve(output);
        // The same config directory in every run of a name: the chat journal in it is what a restart resends.
        return new PeerProcess(lab.start(name.equals("alice") ? "a" : "b",
                PeerProcess.command(dir.resolve(name + "-config"), all.toArray(String[]::new)), out), out);
    }

    private static String roomCode(PeerProcess creator) throws Exception {
        String line = creator.await("* room code: ", WAIT);
        return line.substring("* room code: ".length(), line.indexOf(' ', "* room code: ".length()));
    }

    /**
     * Waits until {@code name}'s chat journal holds these lines: only a line the peer has taken in (and kept)
     * must survive the peer's end.
     */
    private void awaitJournalHolds(String name, List<String> texts) throws Exception {
        Path chats = dir.resolve(name + "-config").resolve("chats");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!journal(chats).containsAll(texts.stream().map(t -> "\"" + t + "\"").toList())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + "'s journal does not hold " + texts + " within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    /** The quoted strings of the journals in {@code chats}. */
    private static List<String> journal(Path chats) throws IOException {
        if (!Files.isDirectory(chats)) {
            return List.of();
        }
        List<String> quoted = new ArrayList<>();
        try (Stream<Path> files = Files.list(chats)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                Matcher m = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"").matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    quoted.add(m.group());
                }
            }
        }
        return quoted;
    }

    /** The peer's single {@code * error: } line, with nothing that looks like a stack trace beside it. */
    private static String oneLineError(PeerProcess peer) throws IOException {
        List<String> lines = peer.lines();
        assertThat(lines).as("lines that look like a stack trace")
                .noneMatch(l -> STACK_FRAME.matcher(l).matches() || l.startsWith("Caused by: ")
                        || l.startsWith("Exception in thread"));
        List<String> errors = lines.stream().filter(l -> l.startsWith("* error: ")).toList();
        assertThat(errors).as("error lines among " + lines).hasSize(1);
        return errors.get(0);
    }

    private static void awaitConnected(PeerProcess alice, PeerProcess bob) throws Exception {
        alice.await("* connected to bob", WAIT);
        bob.await("* connected to alice", WAIT);
    }



    /** Waits until the runs of one peer together have shown {@code count} messages from {@code sender}. */
    private static void awaitMessages(List<PeerProcess> runs, String sender, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (messages(runs, sender).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + messages(runs, sender) + " of " + count + " messages from "
                        + sender + " within " + WAIT + "; printed: " + printed(runs));
            }
            Thread.sleep(50);
        }
    }

    /** Both type {@code /quit}: each says bye once everything it typed was acknowledged, and both exit 0. */
    private static void quitBoth(PeerProcess alice, PeerProcess bob) throws Exception {
        alice.type("/quit");
        bob.type("/quit");
        assertThat(alice.exitCode(WAIT)).as("alice's exit code; printed: " + alice.lines()).isZero();
        assertThat(bob.exitCode(WAIT)).as("bob's exit code; printed: " + bob.lines()).isZero();
    }

    private static void assertExactlyOnceInOrder(List<PeerProcess> runs, String sender, List<String> expected)
            throws IOException {
        assertThat(messages(runs, sender)).as("messages shown from " + sender + "; printed: " + printed(runs))
                .containsExactlyElementsOf(expected);
    }

    /** The texts of the {@code [HH:MM:SS] sender: text} lines of all runs of a peer, in the order shown. */
    private static List<String> messages(List<PeerProcess> runs, String sender) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : printed(runs)) {
            Matcher m = MESSAGE.matcher(line);
            if (m.matches() && m.group(1).equals(sender)) {
                texts.add(m.group(2));
            }
        }
        return texts;
    }

    private static List<String> printed(List<PeerProcess> runs) throws IOException {
        List<String> lines = new ArrayList<>();
        for (PeerProcess run : runs) {
            lines.addAll(run.lines());
        }
        return lines;
    }
}
