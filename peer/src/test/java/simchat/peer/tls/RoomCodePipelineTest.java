package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;
import simchat.peer.ExitCode;
import simchat.peer.Outcome;
import simchat.peer.cli.ExitCodes;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Message;
import simchat.peer.wire.PakeRound1;

/** Rendezvous mode's real pipelines back to back: the room code vouches for the peer before any chat. */
class RoomCodePipelineTest {

    private static final LocalIdentity ALICE = LocalIdentity.generate();
    private static final LocalIdentity BOB = LocalIdentity.generate();
    private static final LocalIdentity MALLORY = LocalIdentity.generate();
    private static final String CODE = "7-amber-falcon";

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void peersWithTheSameCodeSeeEachOthersKeyVerifiedByTheCodeAndChat() {
        TlsPair pair = pair(room(CODE), room(CODE));
        pair.alice.session.submit("typed before the check");
        pair.pump();
        pair.bob.session.submit("hi alice");
        pair.pump();

        assertThat(pair.alice.events(ChatEvent.PeerKey.class)).containsExactly(
                new ChatEvent.PeerKey(BOB.fingerprint().toString(), "room-code", null));
        assertThat(pair.bob.events(ChatEvent.PeerKey.class)).containsExactly(
                new ChatEvent.PeerKey(ALICE.fingerprint().toString(), "room-code", null));
        assertThat(pair.bob.events(ChatEvent.MessageReceived.class)).extracting(ChatEvent.MessageReceived::text)
                .containsExactly("typed before the check");
        assertThat(pair.alice.events(ChatEvent.MessageReceived.class)).extracting(ChatEvent.MessageReceived::text)
                .containsExactly("hi alice");
        assertThat(pair.wire.toString()).as("the pake frames travel inside TLS").doesNotContain("pake", CODE);
    }

    @Test
    void theCodeIsComparedAsPeopleTypeIt() {
        TlsPair pair = pair(room(CODE), room(" 7 Amber_FALCON "));

        assertThat(pair.alice.events(ChatEvent.Connected.class)).hasSize(1);
        assertThat(pair.bob.events(ChatEvent.Connected.class)).hasSize(1);
    }

    @Test
    void peersWithDifferentCodesBothFailWithTheAuthenticationExitCodeAndNoChatCrosses() {
        TlsPair pair = pair(room(CODE), room("7-amber-falcons"));
        pair.alice.session.submit("for bob only");
        pair.pump();

        for (TlsPair.Side side : List.of(pair.alice, pair.bob)) {
            assertThat(side.events(ChatEvent.Failure.class)).as(side == pair.alice ? "alice" : "bob")
                    .containsExactly(new ChatEvent.Failure(new Outcome.AuthenticationFailed(
                            simchat.peer.tls.AuthenticationException.CODES_DIFFER)));
            assertThat(side.session.outcome().thenApply(ExitCodes::code)).isCompletedWithValue(ExitCode.AUTHENTICATION_FAILED);
            assertThat(side.events(ChatEvent.Connected.class)).isEmpty();
            assertThat(side.events(ChatEvent.PeerKey.class)).isEmpty();
            assertThat(side.events(ChatEvent.MessageReceived.class)).isEmpty();
            assertThat(side.channel.isOpen()).isFalse();
        }
    }

    @Test
    void aRelayInTheMiddleThatPassesEveryFrameOnIsDetectedByBothPeers() {
        // Two TLS sessions stitched together: alice <-> mallory <-> bob. Mallory knows no code and passes
        // the J-PAKE frames on untouched, so J-PAKE alone would agree; the keys each side saw do not.
        // The TLS roles come from random nonces: repeat until alice and bob got different roles (the case
        // where only the binding to TLS catches the relay) at least once.
        boolean differentRoles = false;
        for (int trial = 0; trial < 24 && !differentRoles; trial++) {
            var alice = TlsPair.side("alice", "aaaa", room(CODE), ALICE);
            var bob = TlsPair.side("bob", "bbbb", room(CODE), BOB);
            var towardsAlice = new TlsRelay(MALLORY);
            var towardsBob = new TlsRelay(MALLORY);
            towardsAlice.forwardTo = towardsBob;
            towardsBob.forwardTo = towardsAlice;
            channels.addAll(List.of(alice.channel, bob.channel, towardsAlice.channel, towardsBob.channel));
            alice.session.submit("for bob only");

            TlsRelay.pump(alice.channel, towardsAlice.channel, towardsBob.channel, bob.channel);

            differentRoles = !roleIn(towardsAlice.received).equals(roleIn(towardsBob.received));
            for (TlsPair.Side side : List.of(alice, bob)) {
                assertThat(side.session.outcome().thenApply(ExitCodes::code)).as("trial " + trial + ": the exit code")
                        .isCompletedWithValue(ExitCode.AUTHENTICATION_FAILED);
                assertThat(side.events(ChatEvent.Connected.class)).isEmpty();
            }
            assertThat(towardsBob.received).as("what mallory decrypted from bob")
                    .noneMatch(m -> m instanceof Hello || m instanceof Chat);
            assertThat(towardsAlice.received).as("what mallory decrypted from alice")
                    .noneMatch(m -> m instanceof Hello || m instanceof Chat);
            assertThat(towardsAlice.received).as("mallory did relay the J-PAKE")
                    .anyMatch(m -> m instanceof PakeRound1);
        }
        assertThat(differentRoles).as("a trial where alice and bob had different TLS roles").isTrue();
    }

    @Test
    void aMalformedPakeFrameClosesTheConnectionWithAProtocolError() {
        TlsPair.Side alice = attacked(role ->
                "{\"type\":\"pake1\",\"role\":\"server\",\"gx1\":\"xyz\",\"gx2\":\"1\",\"proof1\":[\"1\",\"1\"],"
                        + "\"proof2\":[\"1\",\"1\"]}");

        assertThat(alice.failure()).isEqualTo("closing the connection: invalid frame: gx1: not a number (expected:"
                + " 1-1024 lower-case hex digits)");
        assertThat(alice.session.outcome().thenApply(ExitCodes::code)).isCompletedWithValue(ExitCode.PROTOCOL_ERROR);
        assertThat(alice.channel.isOpen()).isFalse();
    }

    @Test
    void anOversizedPakeFrameClosesTheConnectionWithAProtocolError() {
        TlsPair.Side alice = attacked(role -> "{\"type\":\"pake1\",\"role\":\"server\",\"gx1\":\""
                + "a".repeat(70_000) + "\"}");

        assertThat(alice.failure()).isEqualTo("closing the connection: frame longer than 65536 bytes");
        assertThat(alice.session.outcome().thenApply(ExitCodes::code)).isCompletedWithValue(ExitCode.PROTOCOL_ERROR);
        assertThat(alice.channel.isOpen()).isFalse();
    }

    @Test
    void aPakeFrameOutOfOrderClosesTheConnectionWithAProtocolError() {
        TlsPair.Side alice = attacked(role ->
                "{\"type\":\"pake2\",\"role\":\"server\",\"a\":\"2\",\"proof\":[\"1\",\"1\"]}");

        assertThat(alice.failure()).isEqualTo("closing the connection: expected pake1, got pake2");
        assertThat(alice.session.outcome().thenApply(ExitCodes::code)).isCompletedWithValue(ExitCode.PROTOCOL_ERROR);
    }

    @Test
    void aWellFormedButForgedRound1FailsTheCheck() {
        TlsPair.Side alice = attacked(role -> "{\"type\":\"pake1\",\"role\":\"" + role
                + "\",\"gx1\":\"2\",\"gx2\":\"1\",\"proof1\":[\"1\",\"1\"],\"proof2\":[\"1\",\"1\"]}");

        assertThat(alice.failure()).isEqualTo(RoomCodeCheck.FAILED);
        assertThat(alice.session.outcome().thenApply(ExitCodes::code)).isCompletedWithValue(ExitCode.AUTHENTICATION_FAILED);
        assertThat(alice.channel.isOpen()).isFalse();
    }

    @Test
    void aChatFrameBeforeTheCheckIsAProtocolErrorAndIsNotDelivered() {
        TlsPair.Side alice = attacked(role ->
                "{\"type\":\"chat\",\"id\":\"x\",\"seq\":1,\"time\":1,\"text\":\"sneaked in\"}");

        assertThat(alice.failure()).isEqualTo("closing the connection: expected pake1, got chat");
        assertThat(alice.events(ChatEvent.MessageReceived.class)).isEmpty();
    }

    @Test
    void aPeerWithoutTheCheckIsToldApart() {
        TlsPair.Side alice = attacked(role ->
                "{\"type\":\"hello\",\"version\":1,\"name\":\"old\",\"nonce\":\"cccc\"}");

        assertThat(alice.failure()).isEqualTo("closing the connection: expected pake1, got hello (the other peer"
                + " runs a simchat without the room-code check)");
    }

    @Test
    void nothingOfOursButThePakeFramesReachesAPeerThatFailsTheCheck() {
        var raw = new TlsRelay(MALLORY);
        var alice = TlsPair.side("alice", "aaaa", room(CODE), ALICE);
        channels.addAll(List.of(alice.channel, raw.channel));
        alice.session.submit("for bob only");

        TlsRelay.pump(alice.channel, raw.channel);

        assertThat(raw.received).as("what alice sent inside TLS").singleElement().isInstanceOf(PakeRound1.class);
    }

    /**
     * Alice with the room code, facing a TLS end that, once alice's first round arrived, sends the line
     * {@code attack} makes from the role it must claim.
     */
    private TlsPair.Side attacked(Function<String, String> attack) {
        var raw = new TlsRelay(MALLORY);
        var alice = TlsPair.side("alice", "aaaa", room(CODE), ALICE);
        channels.addAll(List.of(alice.channel, raw.channel));
        TlsRelay.pump(alice.channel, raw.channel);
        assertThat(raw.received).as("alice's first round").singleElement().isInstanceOf(PakeRound1.class);
        String otherRole = ((PakeRound1) raw.received.get(0)).role().equals("client") ? "server" : "client";
        raw.writeRaw(attack.apply(otherRole));
        TlsRelay.pump(alice.channel, raw.channel);
        return alice;
    }

    private TlsPair pair(TrustPolicy alicePolicy, TrustPolicy bobPolicy) {
        var alice = TlsPair.side("alice", "aaaa", alicePolicy, ALICE);
        var bob = TlsPair.side("bob", "bbbb", bobPolicy, BOB);
        channels.addAll(List.of(alice.channel, bob.channel));
        TlsPair pair = new TlsPair(alice, bob);
        pair.pump();
        return pair;
    }

    /** The TLS role a peer claimed in its first round. */
    private static String roleIn(List<Message> received) {
        return received.stream().filter(PakeRound1.class::isInstance).map(m -> ((PakeRound1) m).role())
                .findFirst().orElseThrow();
    }

    private static TrustPolicy room(String code) {
        return new TrustPolicy.RoomCode(() -> code);
    }
}
