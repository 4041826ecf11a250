package simchat.peer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import simchat.peer.ExitCode;
import simchat.peer.PeerConfig;
import simchat.peer.tls.Fingerprint;
import simchat.peer.tls.SecurityOptions;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;

/** Two peers in this JVM over real loopback sockets, encrypted by default: keys, trust and refusals. */
@Tag("e2e")
class EncryptedChatTest {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:\\p{XDigit}{4}(-\\p{XDigit}{4}){15}");

    private final int alicePort = FreePorts.next();
    private final int bobPort = FreePorts.next();
    private final Path aliceDir = PeerUnderTest.freshConfigDir();
    private final Path bobDir = PeerUnderTest.freshConfigDir();

    EncryptedChatTest() throws Exception {
    }

    @Test
    void firstContactIsEncryptedAndRemembersThePeersKeyInAPrivateFile() throws Exception {
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, null));
             var bob = new PeerUnderTest(peer("bob", bobPort, alicePort, bobDir, null))) {
            String bobsKey = fingerprintIn(bob.await("* your fingerprint: "));
            assertThat(alice.await("* encrypted (TLS 1.3); first contact with 127.0.0.1:" + bobPort))
                    .contains("its key is " + bobsKey, "compare it aloud");
            bob.await("* connected to alice");
            alice.type("hello bob");
            bob.await("alice: hello bob");
            alice.type("/quit");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);

            Path known = aliceDir.resolve("known_peers");
            assertThat(Files.readString(known)).isEqualTo("127.0.0.1:" + bobPort + " " + bobsKey + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(known))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(aliceDir.resolve("identity.pem"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void theSecondChatRecognisesTheRememberedKey() throws Exception {
        chatOnceAndQuit();
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, null));
             var bob = new PeerUnderTest(peer("bob", bobPort, alicePort, bobDir, null))) {
            assertThat(alice.await("* your fingerprint: ")).contains("(from " + aliceDir.resolve("identity.pem"));
            alice.await("* encrypted (TLS 1.3); the peer's key is the one remembered for 127.0.0.1:" + bobPort);
            bob.await("* encrypted (TLS 1.3); the peer's key is the one remembered for 127.0.0.1:" + alicePort);
            alice.await("* connected to bob");
            bob.await("* connected to alice");
            alice.type("/quit");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void aKnownPeerWithAChangedKeyIsRefusedLoudlyOnBothSides() throws Exception {
        chatOnceAndQuit();
        Path newBobDir = PeerUnderTest.freshConfigDir();
        String newKey;
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, null));
             var bob = new PeerUnderTest(peer("bob", bobPort, alicePort, newBobDir, null))) {
            newKey = fingerprintIn(bob.await("* your fingerprint: "));
            alice.await("WARNING: THE KEY OF THE PEER AT 127.0.0.1:" + bobPort + " HAS CHANGED!");
            assertThat(alice.await("presented key: ")).contains(newKey);
            assertThat(alice.await("* error: ")).contains("the key of 127.0.0.1:" + bobPort + " has changed");
            assertThat(bob.await("* error: ")).contains("the other peer refused this peer's key");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.AUTHENTICATION_FAILED);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.AUTHENTICATION_FAILED);
            assertThat(alice.printed()).noneMatch(l -> l.startsWith("* connected"));
        }
        assertThat(Files.readString(aliceDir.resolve("known_peers"))).as("the old key stays remembered")
                .doesNotContain(newKey);
    }

    @Test
    void aWrongTrustPinEndsTheChatWithExitCodeNineOnBothSides() throws Exception {
        Fingerprint wrong = Fingerprint.parse("SHA256:" + "0123456789abcdef".repeat(4));
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, wrong));
             var bob = new PeerUnderTest(peer("bob", bobPort, alicePort, bobDir, null))) {
            String bobsKey = fingerprintIn(bob.await("* your fingerprint: "));
            assertThat(alice.await("* error: ")).contains("the other peer's key is " + bobsKey,
                    "--trust expects " + wrong);
            assertThat(bob.await("* error: ")).contains("the other peer refused this peer's key");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.AUTHENTICATION_FAILED);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.AUTHENTICATION_FAILED);
        }
        assertThat(aliceDir.resolve("known_peers")).as("a pinned peer is not remembered").doesNotExist();
    }

    @Test
    void theRightTrustPinIsReportedAndTheChatGoesOn() throws Exception {
        Fingerprint bobsKey;
        try (var bobAlone = new PeerUnderTest(peer("bob", bobPort, alicePort, bobDir, null))) {
            bobsKey = Fingerprint.parse(fingerprintIn(bobAlone.await("* your fingerprint: ")));
            bobAlone.type("/quit");
            assertThat(bobAlone.exitCode()).isEqualTo(ExitCode.OK);
        }
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, bobsKey));
             var bob = new PeerUnderTest(peer("bob", bobPort, alicePort, bobDir, null))) {
            alice.await("* encrypted (TLS 1.3); the peer's key matches --trust " + bobsKey);
            alice.await("* connected to bob");
            bob.type("hi alice");
            alice.await("bob: hi alice");
            bob.type("/quit");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void plaintextWarnsAndStillChats() throws Exception {
        var plaintext = new SecurityOptions(true, null, null);
        try (var alice = new PeerUnderTest(PeerUnderTest.direct("alice", alicePort, bobPort).withSecurity(plaintext));
             var bob = new PeerUnderTest(PeerUnderTest.direct("bob", bobPort, alicePort).withSecurity(plaintext))) {
            assertThat(alice.await("* WARNING: --plaintext")).contains("NOT encrypted");
            alice.type("in the clear");
            bob.await("alice: in the clear");
            alice.type("/quit");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(alice.printed()).noneMatch(l -> l.contains("fingerprint"));
        }
    }

    @Test
    void aPlaintextPeerMeetingAnEncryptingOneIsToldWhyWithExitCodeSix() throws Exception {
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, null));
             var old = RawPeer.dial(bobPort, alicePort, Duration.ofSeconds(10))) {
            old.send(Json.format(new Hello(Hello.PROTOCOL_VERSION, "plain", "0123")) + "\n");
            assertThat(alice.await("* error: ")).contains("the other peer runs with --plaintext and this one encrypts");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.PROTOCOL_ERROR);
            assertThat(old.readUntilClosed()).as("only the starttls line, in the clear")
                    .startsWith("{\"type\":\"starttls\"").doesNotContain("alice");
        }
    }

    @Test
    void anIdentityFileOthersCanReadStopsThePeerBeforeItConnects() throws Exception {
        chatOnceAndQuit();
        Files.setPosixFilePermissions(aliceDir.resolve("identity.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, null))) {
            assertThat(alice.exitCode()).isEqualTo(ExitCode.IDENTITY_UNAVAILABLE);
            assertThat(alice.await("* error: ")).contains("identity.pem is accessible by others", "chmod 600");
            // It dials first and reads its identity while the first SYN flies: nothing more than that SYN.
            assertThat(alice.printed()).noneMatch(l -> l.startsWith("* encrypted") || l.startsWith("* connected"));
        }
    }

    private void chatOnceAndQuit() throws Exception {
        try (var alice = new PeerUnderTest(peer("alice", alicePort, bobPort, aliceDir, null));
             var bob = new PeerUnderTest(peer("bob", bobPort, alicePort, bobDir, null))) {
            alice.await("first contact with");
            bob.await("first contact with");
            alice.await("* connected to bob");
            bob.await("* connected to alice");
            alice.type("/quit");
            assertThat(alice.exitCode()).isEqualTo(ExitCode.OK);
            assertThat(bob.exitCode()).isEqualTo(ExitCode.OK);
        }
    }

    private static PeerConfig peer(String name, int local, int remote, Path dir, Fingerprint trust) {
        return PeerUnderTest.direct(name, local, remote).withSecurity(new SecurityOptions(false, trust, dir));
    }

    private static String fingerprintIn(String text) {
        Matcher m = FINGERPRINT.matcher(text);
        return m.find() ? m.group() : "(no fingerprint in: " + text + ")";
    }
}
