package simchat.peer.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Faults between two real peers on two hosts (network namespaces joined by a veth pair): the link down
 * for 10 s, 5 % packet loss, {@code kill -9} and a restart; and through two NATs, an outage after a
 * rendezvous introduction. After each, every line typed on either side is shown exactly once on the
 * other, in the order typed.
 */
@Tag("lab")
class ReconnectLabIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PORT = 8000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE_AFTER_INTRODUCTION = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLab() {
        NetnsLab.assumeAvailable("reconnect lab test");
    }

    /** Shorter than the heartbeat timeout: TCP's retransmissions usually carry the connection through it. */
    @Test
    void theLinkDownForTenSecondsWithLinesTypedOnBothSidesLosesAndRepeatsNothing() throws Exception {
        List<Long> losses = linkDown(Duration.ofSeconds(10));
        System.out.println("link down 10 s: connection losses reported by alice and bob: " + losses);
    }

    /** Longer than the heartbeat timeout: both peers give up on the connection and dial again. */
    @Test
    void theLinkDownForTwentyFiveSecondsMakesBothPeersDialAgainAndLosesAndRepeatsNothing() throws Exception {
        List<Long> losses = linkDown(Duration.ofSeconds(25));
        assertThat(losses).as("connection losses reported by alice and bob").allMatch(n -> n >= 1);
    }

    /** Takes the veth down for {@code outage} while both type; returns how many losses each reported. */
    private List<Long> linkDown(Duration outage) throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            PeerProcess alice = start(lab, lab.a, lab.addressB, "alice", "alice.out");
            PeerProcess bob = start(lab, lab.b, lab.addressA, "bob", "bob.out");
            awaitConnected(alice, bob);

            alice.typeNumbered("a", 1, 5);
            bob.typeNumbered("b", 1, 5);
            awaitMessages(alice, "bob", 5);
            awaitMessages(bob, "alice", 5);

            NetnsLab.run("ip", "-n", lab.a, "link", "set", lab.interfaceA, "down");
            long downAt = System.nanoTime();
            for (int i = 6; i <= 15; i++) {
                alice.type("a-" + i);
                bob.type("b-" + i);
                Thread.sleep(outage.toMillis() * 8 / 100);
            }
            Thread.sleep(Math.max(0, outage.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt)));
            NetnsLab.run("ip", "-n", lab.a, "link", "set", lab.interfaceA, "up");
            alice.typeNumbered("a", 16, 20);
            bob.typeNumbered("b", 16, 20);

            awaitMessages(alice, "bob", 20);
            awaitMessages(bob, "alice", 20);
            endBoth(alice, bob);
            report("link down " + outage.toSeconds() + " s", alice, bob);
            assertExactlyOnceInOrder(alice.lines(), "bob", PeerProcess.numbered("b", 20));
            assertExactlyOnceInOrder(bob.lines(), "alice", PeerProcess.numbered("a", 20));
            return List.of(losses(alice), losses(bob));
        }
    }

    private static long losses(PeerProcess peer) throws IOException {
        return peer.lines().stream().filter(l -> l.contains("\"event\":\"connection-lost\"")).count();
    }

    @Test
    void fivePercentPacketLossDuringAThousandMessagesLosesAndRepeatsNothing() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            PeerProcess alice = start(lab, lab.a, lab.addressB, "alice", "alice.out");
            PeerProcess bob = start(lab, lab.b, lab.addressA, "bob", "bob.out");
            awaitConnected(alice, bob);
            for (String ns : List.of(lab.a, lab.b)) {
                dropRandomly(lab, ns, 5);
            }

            long start = System.nanoTime();
            alice.typeNumbered("a", 1, 500);
            bob.typeNumbered("b", 1, 500);
            awaitMessages(alice, "bob", 500);
            awaitMessages(bob, "alice", 500);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String dropped = lab.exec(lab.a, "nft", "list", "table", "inet", "loss")
                    + lab.exec(lab.b, "nft", "list", "table", "inet", "loss");
            System.out.println("5 % loss: 1000 messages delivered in " + millis + " ms; dropped by nftables: "
                    + dropped.lines().filter(l -> l.contains("counter")).map(String::strip).toList());
            endBoth(alice, bob);
            report("5 % loss", alice, bob);
            assertExactlyOnceInOrder(alice.lines(), "bob", PeerProcess.numbered("b", 500));
            assertExactlyOnceInOrder(bob.lines(), "alice", PeerProcess.numbered("a", 500));
        }
    }

    @Test
    void killMinusNineAndARestartWithQueuedLinesLosesAndRepeatsNothing() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            PeerProcess alice = start(lab, lab.a, lab.addressB, "alice", "alice.out");
            Process bobProcess = lab.start(lab.b, command(lab.addressA, "bob"), dir.resolve("bob-1.out"));
            PeerProcess bob = new PeerProcess(bobProcess, dir.resolve("bob-1.out"));
            awaitConnected(alice, bob);
            alice.typeNumbered("a", 1, 3);
            bob.typeNumbered("b", 1, 3);
            awaitMessages(alice, "bob", 3);
            awaitMessages(bob, "alice", 3);

            // Nothing from bob gets out: his lines stay unacknowledged, and alice's lines reach him and are
            // shown but their acknowledgements never come back.
            mute(command -> lab.exec(lab.b, command), "ip", "daddr", lab.addressA);
            bob.typeNumbered("b", 4, 8);
            alice.typeNumbered("a", 4, 8);
            awaitMessages(bob, "alice", 8);
            awaitJournalHolds("bob", "b-8");   // his unacknowledged lines are on disk before the kill
            killMinusNine(bobProcess);
            unmute(command -> lab.exec(lab.b, command));
            alice.typeNumbered("a", 9, 10);

            PeerProcess bobAgain = start(lab, lab.b, lab.addressA, "bob", "bob-2.out");
            bobAgain.await("line(s) typed in an earlier run of this chat were not confirmed", WAIT);
            bobAgain.typeNumbered("b", 9, 10);
            awaitMessages(alice, "bob", 10);
            awaitMessages(bobAgain, "alice", 2);
            endBoth(alice, bobAgain);
            report("kill -9", alice, bobAgain);

            List<String> bobSaw = new ArrayList<>(bob.lines());
            bobSaw.addAll(bobAgain.lines());
            assertExactlyOnceInOrder(alice.lines(), "bob", PeerProcess.numbered("b", 10));
            assertExactlyOnceInOrder(bobSaw, "alice", PeerProcess.numbered("a", 10));
            try (var journals = Files.list(dir.resolve("bob-config").resolve("chats"))) {
                assertThat(journals.filter(f -> f.toString().endsWith(".jsonl")).toList())
                        .as("bob's journal once the chat ended with bye").isEmpty();
            }
        }
    }

    /**
     * Through the two NATs of {@code lab/nat-lab.sh}, with WAN delay: peers introduced by the rendezvous lose
     * their connection for longer than the heartbeat timeout (nothing from host a gets out, not even to the
     * rendezvous) and meet again through the rendezvous by themselves.
     */
    @Test
    void peersIntroducedByARendezvousMeetThereAgainAfterAnOutageAndLoseAndRepeatNothing() throws Exception {
        NatLab.assumeAvailable("NAT lab reconnect test");
        try (NatLab lab = NatLab.up("a", dir)) {
            PeerProcess alice = natPeer(lab, "a", "alice");
            String code = JSON.readTree(alice.await("{\"event\":\"room\"", WAIT)).get("code").asText();
            PeerProcess bob = natPeer(lab, "b", "bob", "--room", code);
            awaitConnected(alice, bob);
            alice.typeNumbered("a", 1, 3);
            bob.typeNumbered("b", 1, 3);
            awaitMessages(alice, "bob", 3);
            awaitMessages(bob, "alice", 3);

            mute(command -> lab.exec("a", command), "meta", "l4proto", "tcp");
            long downAt = System.nanoTime();
            for (int i = 4; i <= 8; i++) {
                alice.type("a-" + i);
                bob.type("b-" + i);
                Thread.sleep(1_000);
            }
            bob.await("\"event\":\"connection-lost\"", WAIT);
            alice.await("\"event\":\"connection-lost\"", WAIT);
            // Longer than one attempt to reach the rendezvous: alice tries again while bob waits there.
            Thread.sleep(Math.max(0, OUTAGE_AFTER_INTRODUCTION.toMillis()
                    - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt)));
            unmute(command -> lab.exec("a", command));
            long upAt = System.nanoTime();
            alice.await("meeting the other peer again through the rendezvous", WAIT);
            bob.await("meeting the other peer again through the rendezvous", WAIT);
            alice.typeNumbered("a", 9, 10);
            bob.typeNumbered("b", 9, 10);
            awaitMessages(alice, "bob", 10);
            awaitMessages(bob, "alice", 10);
            System.out.println("rendezvous reconnect: outage " + TimeUnit.NANOSECONDS.toMillis(upAt - downAt)
                    + " ms, all 20 messages shown " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt)
                    + " ms after it ended");
            endBoth(alice, bob);
            report("rendezvous reconnect", alice, bob);
            for (PeerProcess peer : List.of(alice, bob)) {
                System.out.println("rendezvous reconnect: " + peer.lines().stream().filter(l -> l.contains("again")
                        || l.contains("\"punched\"") || l.contains("\"punching\"")).toList());
            }
            assertThat(bob.lines()).as("bob met alice again by a new hole punch")
                    .filteredOn(l -> l.contains("\"event\":\"punched\"")).hasSizeGreaterThanOrEqualTo(2);
            assertExactlyOnceInOrder(alice.lines(), "bob", PeerProcess.numbered("b", 10));
            assertExactlyOnceInOrder(bob.lines(), "alice", PeerProcess.numbered("a", 10));
        }
    }

    /**
     * Through the two NATs: bob, introduced by the rendezvous, is killed with lines queued; alice goes back to
     * the rendezvous and waits there. Bob run again with the same room code resumes the chat where alice waits.
     */
    @Test
    void aPeerKilledAfterARendezvousIntroductionResumesWhenRunAgainWithTheSameCode() throws Exception {
        NatLab.assumeAvailable("NAT lab restart test");
        try (NatLab lab = NatLab.up("a", dir)) {
            PeerProcess alice = natPeer(lab, "a", "alice");
            String code = JSON.readTree(alice.await("{\"event\":\"room\"", WAIT)).get("code").asText();
            Path firstOut = dir.resolve("bob-1.out");
            Process bobProcess = lab.start("b", natCommand("bob", "--room", code), firstOut);
            PeerProcess bob = new PeerProcess(bobProcess, firstOut);
            awaitConnected(alice, bob);
            alice.typeNumbered("a", 1, 3);
            bob.typeNumbered("b", 1, 3);
            awaitMessages(alice, "bob", 3);
            awaitMessages(bob, "alice", 3);

            // Nothing from bob gets out: his lines stay unacknowledged when he is killed.
            mute(command -> lab.exec("b", command), "meta", "l4proto", "tcp");
            bob.typeNumbered("b", 4, 6);
            awaitJournalHolds("bob", "b-6");   // his unacknowledged lines are on disk before the kill
            killMinusNine(bobProcess);
            unmute(command -> lab.exec("b", command));
            alice.typeNumbered("a", 4, 5);
            alice.await("waiting for the other peer to come back", WAIT);

            Path secondOut = dir.resolve("bob-2.out");
            PeerProcess bobAgain = new PeerProcess(lab.start("b", natCommand("bob", "--room", code), secondOut), secondOut);
            bobAgain.await("resuming the interrupted chat of room " + code, WAIT);
            bobAgain.typeNumbered("b", 7, 8);
            awaitMessages(alice, "bob", 8);
            awaitMessages(bobAgain, "alice", 2);
            endBoth(alice, bobAgain);
            report("rendezvous restart", alice, bobAgain);

            List<String> bobSaw = new ArrayList<>(bob.lines());
            bobSaw.addAll(bobAgain.lines());
            assertExactlyOnceInOrder(alice.lines(), "bob", PeerProcess.numbered("b", 8));
            assertExactlyOnceInOrder(bobSaw, "alice", PeerProcess.numbered("a", 5));
        }
    }

    private PeerProcess natPeer(NatLab lab, String host, String name, String... more) throws IOException {
        Path out = dir.resolve(name + ".out");
        return new PeerProcess(lab.start(host, natCommand(name, more), out), out);
    }

    private List<String> natCommand(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("--local", "" + PORT, "--rendezvous", NatLab.RENDEZVOUS,
                "--name", name, "--json", "-v"));
        args.addAll(List.of(more));
        return PeerProcess.command(dir.resolve(name + "-config"), args.toArray(String[]::new));
    }

    private PeerProcess start(NetnsLab lab, String ns, String remote, String name, String output) throws IOException {
        Path out = dir.resolve(output);
        return new PeerProcess(lab.start(ns, command(remote, name), out), out);
    }

    private List<String> command(String remote, String name) {
        // One config directory per name, kept across a restart: the journal in it is what the restart resends.
        return PeerProcess.command(dir.resolve(name + "-config"), "--local", "" + PORT, "--remote", remote + ":" + PORT,
                "--name", name, "--json", "-v");
    }

    private static void awaitConnected(PeerProcess alice, PeerProcess bob) throws Exception {
        alice.await("\"event\":\"connected\"", WAIT);
        bob.await("\"event\":\"connected\"", WAIT);
    }



    /**
     * Waits until a file of {@code name}'s chat journals holds {@code text}, the last line typed: a peer writes
     * each line it accepts to its journal, in order. Looks for the quoted string (bare, {@code b-6} also turns up
     * inside a UUID such as {@code ...a2db-6f1e...}) in every file under {@code chats/}.
     */
    private void awaitJournalHolds(String name, String text) throws Exception {
        Path chats = dir.resolve(name + "-config").resolve("chats");
        byte[] wanted = ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!anyFileHolds(chats, wanted)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no journal of " + name + " under " + chats + " holds " + text + " within "
                        + WAIT);
            }
            Thread.sleep(20);
        }
    }

    private static boolean anyFileHolds(Path dir, byte[] wanted) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    continue;   // compacted or removed meanwhile
                }
                if (indexOf(content, wanted) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Waits until {@code peer} has shown {@code count} messages from {@code sender}. */
    private static void awaitMessages(PeerProcess peer, String sender, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (messages(peer.lines(), sender).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + messages(peer.lines(), sender).size() + " of " + count
                        + " messages from " + sender + " within " + WAIT + "; printed: " + peer.lines());
            }
            Thread.sleep(50);
        }
    }

    /** Both end their input: each says bye once everything was acknowledged, and both exit 0. */
    private static void endBoth(PeerProcess alice, PeerProcess bob) throws Exception {
        alice.endInput();
        bob.endInput();
        assertThat(alice.exitCode(WAIT)).as("alice's exit code; printed: " + alice.lines()).isZero();
        assertThat(bob.exitCode(WAIT)).as("bob's exit code; printed: " + bob.lines()).isZero();
    }

    private static void assertExactlyOnceInOrder(List<String> output, String sender, List<String> expected)
            throws IOException {
        assertThat(messages(output, sender)).as("messages shown from " + sender).containsExactlyElementsOf(expected);
    }

    /** The texts of the {@code message} events from {@code sender}, in the order printed. */
    private static List<String> messages(List<String> output, String sender) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : output) {
            if (line.startsWith("{\"event\":\"message\"")) {
                JsonNode event = JSON.readTree(line);
                if (sender.equals(event.get("from").asText())) {
                    texts.add(event.get("text").asText());
                }
            }
        }
        return texts;
    }

    /** Runs {@code nft ARGS...} on one lab host. */
    private interface Nft {
        void run(String... command) throws IOException, InterruptedException;
    }

    /** Drops every packet the host sends that matches {@code match} (nftables expression words), until unmuted. */
    private static void mute(Nft host, String... match) throws IOException, InterruptedException {
        host.run("nft", "add", "table", "inet", "mute");
        host.run("nft", "add", "chain", "inet", "mute", "out", "{ type filter hook output priority 0 ; }");
        List<String> rule = new ArrayList<>(List.of("nft", "add", "rule", "inet", "mute", "out"));
        rule.addAll(List.of(match));
        rule.add("drop");
        host.run(rule.toArray(String[]::new));
    }

    private static void unmute(Nft host) throws IOException, InterruptedException {
        host.run("nft", "delete", "table", "inet", "mute");
    }

    /** SIGKILL, children included, as a crash would end the peer. */
    private static void killMinusNine(Process peer) throws InterruptedException {
        peer.descendants().forEach(ProcessHandle::destroyForcibly);
        peer.destroyForcibly();
        assertThat(peer.waitFor(10, TimeUnit.SECONDS)).as("the peer was killed").isTrue();
    }

    private static void dropRandomly(NetnsLab lab, String ns, int percent) throws Exception {
        lab.exec(ns, "nft", "add", "table", "inet", "loss");
        lab.exec(ns, "nft", "add", "chain", "inet", "loss", "out", "{ type filter hook output priority 0 ; }");
        lab.exec(ns, "nft", "add", "rule", "inet", "loss", "out", "meta", "l4proto", "tcp",
                "numgen", "random", "mod", "100", "<", "" + percent, "counter", "drop");
    }

    /** Prints how each peer got through the fault: the connection losses and reconnections it reported. */
    private static void report(String fault, PeerProcess alice, PeerProcess bob) throws IOException {
        for (PeerProcess peer : List.of(alice, bob)) {
            List<String> lines = peer.lines();
            System.out.println(fault + ": " + lines.stream().filter(l -> l.contains("\"connection-lost\"")).count()
                    + " connection losses, " + lines.stream().filter(l -> l.contains("\"event\":\"connected\"")).count()
                    + " connections; " + lines.stream().filter(l -> l.contains("\"connection-lost\"")
                    || l.contains("resending")).toList());
        }
    }
}
