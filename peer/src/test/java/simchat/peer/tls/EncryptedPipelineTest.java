package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simchat.peer.console.ChatEvent;

/** Two peers' real pipelines back to back: TLS roles, mutual authentication, pins, first use, the wire. */
class EncryptedPipelineTest {

    private static final LocalIdentity ALICE = LocalIdentity.generate();
    private static final LocalIdentity BOB = LocalIdentity.generate();
    private static final LocalIdentity MALLORY = LocalIdentity.generate();

    @TempDir
    Path aliceDir;
    @TempDir
    Path bobDir;

    private TlsPair pair;

    @AfterEach
    void closeBoth() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void exactlyOneSideBecomesTheTlsClientAndTheChatFlowsBothWays() {
        pair = connect(new TrustPolicy.Pinned(BOB.fingerprint()), BOB, new TrustPolicy.Pinned(ALICE.fingerprint()));

        assertThat(pair.alice.isTlsClient()).as("alice is the TLS client").isNotEqualTo(pair.bob.isTlsClient());
        assertThat(pair.alice.events(ChatEvent.Connected.class)).singleElement()
                .extracting(ChatEvent.Connected::peer).isEqualTo("bob");
        assertThat(pair.bob.events(ChatEvent.Connected.class)).singleElement()
                .extracting(ChatEvent.Connected::peer).isEqualTo("alice");

        pair.alice.session.submit("the secret is 42");
        pair.pump();
        pair.bob.session.submit("the answer is yes");
        pair.pump();

        assertThat(pair.bob.events(ChatEvent.MessageReceived.class)).extracting(ChatEvent.MessageReceived::text)
                .containsExactly("the secret is 42");
        assertThat(pair.alice.events(ChatEvent.MessageReceived.class)).extracting(ChatEvent.MessageReceived::text)
                .containsExactly("the answer is yes");
        assertThat(pair.alice.events(ChatEvent.Delivered.class)).containsExactly(new ChatEvent.Delivered(1));
    }

    @Test
    void onlyTheStarttlsLinesCrossTheWireInTheClear() {
        pair = connect(new TrustPolicy.Pinned(BOB.fingerprint()), BOB, new TrustPolicy.Pinned(ALICE.fingerprint()));
        pair.alice.session.submit("the secret is 42");
        pair.pump();

        assertThat(pair.bob.events(ChatEvent.MessageReceived.class)).hasSize(1);
        assertThat(pair.wire.toString()).as("everything both peers sent")
                .contains("{\"type\":\"starttls\",\"nonce\":\"")
                .doesNotContain("the secret is 42", "alice", "bob", "\"hello\"", "\"chat\"");
    }

    @Test
    void tlsRecordsArrivingRightBehindTheStarttlsLineAreNotLost() {
        var alice = TlsPair.side("alice", "aaaa", new TrustPolicy.Pinned(BOB.fingerprint()), ALICE);
        var bob = TlsPair.side("bob", "bbbb", new TrustPolicy.Pinned(ALICE.fingerprint()), BOB);
        pair = new TlsPair(alice, bob);
        alice.session.submit("typed before the connection");

        pair.pump(true);

        assertThat(bob.events(ChatEvent.MessageReceived.class)).extracting(ChatEvent.MessageReceived::text)
                .containsExactly("typed before the connection");
    }

    @Test
    void aPinnedKeyIsReportedAsSuch() {
        pair = connect(new TrustPolicy.Pinned(BOB.fingerprint()), BOB, new TrustPolicy.Pinned(ALICE.fingerprint()));
        assertThat(pair.alice.events(ChatEvent.PeerKey.class)).containsExactly(
                new ChatEvent.PeerKey(BOB.fingerprint().toString(), "pinned", null));
    }

    @Test
    void aPinMismatchIsRefusedOnBothSidesWithBothFingerprintsNamed() {
        pair = connect(new TrustPolicy.Pinned(BOB.fingerprint()), MALLORY, new TrustPolicy.Pinned(ALICE.fingerprint()));

        assertThat(pair.alice.failure()).as("alice, who pinned bob").startsWith("refusing the connection")
                .contains(MALLORY.fingerprint().toString(), "--trust expects " + BOB.fingerprint());
        assertRefused(pair.bob);
        assertThat(pair.alice.events(ChatEvent.Connected.class)).isEmpty();
        assertThat(pair.bob.events(ChatEvent.Connected.class)).isEmpty();
        assertThat(pair.alice.lostBeforeHello).as("alice dials again").isFalse();
    }

    @Test
    void theTlsClientLearnsOfItsRefusalEvenThoughItsOwnHandshakeFinished() {
        // Whichever side ends up the TLS client, the refused side must never show "connected".
        for (int i = 0; i < 8; i++) {
            try (TlsPair p = connect(new TrustPolicy.Pinned(BOB.fingerprint()), BOB,
                    new TrustPolicy.Pinned(MALLORY.fingerprint()))) {
                assertThat(p.bob.failure()).startsWith("refusing the connection");
                assertRefused(p.alice);
            }
        }
    }

    @Test
    void firstUseRemembersTheKeyInAPrivateFileAndTheSameKeyIsKnownNextTime() throws Exception {
        KnownPeers known = new KnownPeers(new ConfigDir(aliceDir.resolve("simchat")));
        pair = connect(new TrustPolicy.OnFirstUse(known, "10.0.0.2:8000"), BOB, new TrustPolicy.Unverified());

        assertThat(pair.alice.events(ChatEvent.PeerKey.class)).containsExactly(
                new ChatEvent.PeerKey(BOB.fingerprint().toString(), "new", "10.0.0.2:8000"));
        assertThat(known.lookup("10.0.0.2:8000")).contains(BOB.fingerprint());
        Path file = known.dir().knownPeersFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        pair.close();

        pair = connect(new TrustPolicy.OnFirstUse(known, "10.0.0.2:8000"), BOB, new TrustPolicy.Unverified());
        assertThat(pair.alice.events(ChatEvent.PeerKey.class)).extracting(ChatEvent.PeerKey::trust)
                .containsExactly("known");
        assertThat(pair.alice.events(ChatEvent.Connected.class)).hasSize(1);
    }

    @Test
    void aChangedKeyOfAKnownPeerIsRefusedWithALoudWarning() throws Exception {
        KnownPeers known = new KnownPeers(new ConfigDir(aliceDir.resolve("simchat")));
        known.remember("10.0.0.2:8000", BOB.fingerprint());

        pair = connect(new TrustPolicy.OnFirstUse(known, "10.0.0.2:8000"), MALLORY, new TrustPolicy.Unverified());

        assertThat(pair.alice.events(ChatEvent.KeyChanged.class)).containsExactly(new ChatEvent.KeyChanged(
                "10.0.0.2:8000", BOB.fingerprint().toString(), MALLORY.fingerprint().toString(),
                known.dir().knownPeersFile().toString()));
        assertThat(pair.alice.failure()).isEqualTo(
                "refusing the connection: the key of 10.0.0.2:8000 has changed (see the warning above)");
        assertThat(pair.alice.events(ChatEvent.Connected.class)).isEmpty();
        assertThat(known.lookup("10.0.0.2:8000")).as("still the old key").contains(BOB.fingerprint());
    }

    @Test
    void anEncryptingPeerAndAPlaintextPeerBothSayWhatIsWrong() {
        pair = connect(new TrustPolicy.Unverified(), BOB, null);

        assertThat(pair.alice.failure()).contains("the other peer runs with --plaintext and this one encrypts");
        assertThat(pair.bob.failure()).contains("the other peer encrypts and this one runs with --plaintext");
        assertThat(pair.wire.toString()).as("alice's hello stays inside TLS").doesNotContain("alice");
    }

    @Test
    void twoPlaintextPeersChatInTheClear() {
        pair = connect(null, BOB, null);
        pair.alice.session.submit("for tcpdump");
        pair.pump();

        assertThat(pair.bob.events(ChatEvent.MessageReceived.class)).hasSize(1);
        assertThat(pair.wire.toString()).contains("for tcpdump");
    }

    /**
     * The refused side never shows "connected" and learns why. As the TLS server it is told in its own
     * handshake; as the TLS client its handshake already finished, and the alert closes the channel. An
     * embedded channel tears its pipeline down at once on close, before the alert's exception gets to the
     * chat handler (a real channel deregisters later; the loopback test shows the message there).
     */
    private static void assertRefused(TlsPair.Side side) {
        assertThat(side.events(ChatEvent.Connected.class)).isEmpty();
        if (side.isTlsClient() || !side.events(ChatEvent.PeerKey.class).isEmpty()) {
            assertThat(side.lateExceptions).singleElement().asString().contains("fatal alert: certificate_unknown");
        } else {
            assertThat(side.failure()).contains("the other peer refused this peer's key (certificate_unknown)");
        }
    }

    /** Alice (with {@code alicePolicy}) meets a peer called bob holding {@code bobIdentity}. */
    private static TlsPair connect(TrustPolicy alicePolicy, LocalIdentity bobIdentity, TrustPolicy bobPolicy) {
        var alice = TlsPair.side("alice", "aaaa", alicePolicy, ALICE);
        var bob = TlsPair.side("bob", "bbbb", bobPolicy, bobIdentity);
        TlsPair pair = new TlsPair(alice, bob);
        pair.pump();
        return pair;
    }
}
