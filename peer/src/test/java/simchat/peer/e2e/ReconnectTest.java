package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.HostPort;
import simchat.peer.PeerConfig;
import simchat.peer.tls.SecurityOptions;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;

/**
 * A lost link mid-chat, on real loopback sockets: the peer dials again by itself, resends what was not
 * acknowledged, shows every message of the other side exactly once and in order, across reconnects and
 * restarts; a deliberate {@code /quit} ends the chat instead.
 */
@Tag("e2e")
class ReconnectTest {

    private static final Duration DIAL = Duration.ofSeconds(30);
    private static final String BOB_EPOCH = "bob-epoch-1";

    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();
    private final Path aliceDir = Files.createTempDirectory("simchat-reconnect-alice");

    ReconnectTest() throws Exception {
    }

    @AfterEach
    void removeAlicesFiles() throws Exception {
        PeerUnderTest.deleteTree(aliceDir);
    }

    @Test
    void dialsAgainAfterAResetAndShowsResentMessagesOnlyOnce() throws Exception {
        try (var alice = alice(Duration.ofSeconds(30))) {
            try (var bob = connectBob(alice)) {
                bob.send(chat(1, "one") + chat(2, "two"));
                alice.await("bob: two");
                bob.reset();
            }
            assertThat(alice.await("* connection to bob lost")).endsWith("; dialing again");
            try (var bob = connectBob(alice)) {
                bob.send(chat(1, "one") + chat(2, "two") + chat(3, "three"));
                alice.await("bob: three");
                assertThat(bob.readUntil("\"seq\":3")).as("duplicates are acknowledged again")
                        .filteredOn(f -> f.contains("\"type\":\"ack\"")).isNotEmpty();
                assertThat(alice.messagesFrom("bob")).containsExactly("one", "two", "three");
                alice.type("/quit");
                bob.readUntil("\"type\":\"bye\"");
            }
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void resendsUnacknowledgedLinesAndLinesTypedWhileDisconnectedInOrder() throws Exception {
        try (var alice = alice(Duration.ofSeconds(30))) {
            try (var bob = connectBob(alice)) {
                alice.type("before the outage");
                assertThat(bob.readUntil("\"type\":\"chat\"")).last().asString().contains("\"seq\":1");
                bob.reset();   // without acknowledging it
            }
            alice.await("* connection to bob lost");
            alice.type("during the outage");
            try (var bob = connectBob(alice)) {
                List<String> chats = bob.readUntil("during the outage").stream()
                        .filter(f -> f.contains("\"type\":\"chat\"")).toList();
                assertThat(chats).hasSize(2);
                assertThat(chats.get(0)).contains("\"seq\":1", "before the outage");
                assertThat(chats.get(1)).contains("\"seq\":2", "during the outage");
                alice.await("* resending 2 messages not yet confirmed");
                bob.send("{\"type\":\"ack\",\"seq\":2}\n");
                alice.type("/quit");
                bob.readUntil("\"type\":\"bye\"");
            }
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void quitEndsTheChatOnBothSidesWithoutDialingAgain() throws Exception {
        try (var alice = new PeerUnderTest("alice", alicePort, bobPort);
             var bob = new PeerUnderTest("bob", bobPort, alicePort)) {
            alice.await("* connected to bob");
            bob.await("* connected to alice");
            alice.type("/quit");
            bob.await("* alice left the chat");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(alice.printed()).noneMatch(l -> l.contains("lost") || l.contains("dialing again"));
            assertThat(bob.printed()).noneMatch(l -> l.contains("lost") || l.contains("dialing again"));
        }
    }

    @Test
    void quitWhileDialingAgainEndsAtOnce() throws Exception {
        try (var alice = alice(null)) {
            try (var bob = connectBob(alice)) {
                bob.reset();
            }
            alice.await("* connection to bob lost");
            alice.type("/quit");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
        assertThat(journals()).as("a chat ended on purpose leaves no journal").isEmpty();
    }

    @Test
    void givesUpOnALostConnectionAfterGiveUpAfterWithExitFive() throws Exception {
        try (var alice = alice(Duration.ofSeconds(1))) {
            try (var bob = connectBob(alice)) {
                bob.reset();
            }
            assertThat(alice.exitCode()).isEqualTo(ExitCode.CONNECTION_LOST);
            assertThat(alice.await("* error:")).contains("the connection to bob was lost and not restored within 1 s");
        }
    }

    @Test
    void aRestartedPeerStillShowsNothingTwice() throws Exception {
        try (var alice = alice(Duration.ofSeconds(1))) {
            try (var bob = connectBob(alice)) {
                bob.send(chat(1, "one") + chat(2, "two"));
                alice.await("bob: two");
                bob.reset();
            }
            assertThat(alice.exitCode()).isEqualTo(ExitCode.CONNECTION_LOST);
        }
        try (var alice = alice(Duration.ofSeconds(30))) {
            try (var bob = connectBob(alice)) {
                bob.send(chat(1, "one") + chat(2, "two") + chat(3, "three"));
                alice.await("bob: three");
                assertThat(alice.messagesFrom("bob")).containsExactly("three");
                alice.type("/quit");
                bob.readUntil("\"type\":\"bye\"");
            }
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void aRestartedPeerSendsWhatItQueuedBeforeInOrder() throws Exception {
        var impatient = new PeerConfig(alicePort, new HostPort("127.0.0.1", bobPort), "127.0.0.1", "alice", false, true,
                Duration.ofMillis(500), List.of("first", "second"), null, null, plaintextIn(aliceDir));
        try (var alice = new PeerUnderTest(impatient)) {
            assertThat(alice.exitCode()).isEqualTo(ExitCode.GAVE_UP);
        }
        assertThat(journals()).as("the queue is kept on disk").hasSize(1);
        try (var alice = alice(Duration.ofSeconds(30));
             var bob = new PeerUnderTest(PeerUnderTest.direct("bob", bobPort, alicePort)
                     .withSecurity(new SecurityOptions(true, null, null)))) {
            alice.await("2 line(s) typed in an earlier run of this chat were not confirmed");
            alice.type("third");
            bob.await("alice: third");
            assertThat(bob.messagesFrom("alice")).containsExactly("first", "second", "third");
            alice.type("/quit");
            bob.await("* alice left the chat");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
        assertThat(journals()).as("a chat ended on purpose leaves no journal").isEmpty();
    }

    @Test
    void aSecondProcessCannotRunTheSameChat() throws Exception {
        try (var alice = alice(Duration.ofSeconds(30))) {
            // Printed once the journal is open (it dials first, and opens the journal while the first SYN flies).
            alice.await("WARNING: --plaintext");   // alice holds the journal
            try (var twin = alice(Duration.ofSeconds(30))) {
                assertThat(twin.exitCode()).isEqualTo(ExitCode.PORT_UNAVAILABLE);
                assertThat(twin.await("* error:")).contains("another peer process runs this chat");
            }
            alice.type("/quit");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    private PeerUnderTest alice(Duration giveUpAfter) throws Exception {
        return new PeerUnderTest(new PeerConfig(alicePort, new HostPort("127.0.0.1", bobPort), "127.0.0.1", "alice",
                false, true, giveUpAfter, List.of(), null, null, plaintextIn(aliceDir)));
    }

    /** Plaintext, so that a scripted peer can speak the frames; {@link EncryptedChatTest} covers TLS. */
    private static SecurityOptions plaintextIn(Path dir) {
        return new SecurityOptions(true, null, dir);
    }

    /**
     * A scripted bob: dials alice and says hello with the same epoch every time, as a restarted bob would. When
     * they never meet, the failure shows what alice printed (did she dial? did she exit?).
     */
    private RawPeer connectBob(PeerUnderTest alice) throws Exception {
        RawPeer bob;
        try {
            bob = RawPeer.dial(bobPort, alicePort, DIAL);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; alice printed: " + alice.printed(), e);
        }
        bob.send(Json.format(new Hello(Hello.PROTOCOL_VERSION, "bob", Long.toHexString(System.nanoTime()), BOB_EPOCH))
                + "\n");
        bob.readUntil("\"type\":\"hello\"");
        return bob;
    }

    private static String chat(long seq, String text) {
        return Json.format(new Chat("id-" + seq, seq, System.currentTimeMillis(), text)) + "\n";
    }

    /** The texts {@code peer} showed from {@code sender}, in the order shown. */
    private List<Path> journals() throws Exception {
        Path chats = aliceDir.resolve("chats");
        if (!Files.isDirectory(chats)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(chats)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).toList();
        }
    }
}
