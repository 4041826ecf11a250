package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.rendezvous.IntroductionInput.Closed;
import simchat.peer.rendezvous.IntroductionInput.Connected;
import simchat.peer.rendezvous.IntroductionInput.HandshakeClosed;
import simchat.peer.rendezvous.IntroductionInput.HelloCompleted;
import simchat.peer.rendezvous.IntroductionInput.PeerArrived;
import simchat.peer.rendezvous.IntroductionInput.Probed;
import simchat.peer.rendezvous.IntroductionInput.Refused;
import simchat.peer.rendezvous.IntroductionInput.RelayFailed;
import simchat.peer.rendezvous.IntroductionInput.RelayGranted;
import simchat.peer.rendezvous.IntroductionInput.RelaySpliced;
import simchat.peer.rendezvous.IntroductionInput.Stop;
import simchat.peer.rendezvous.IntroductionInput.Synced;
import simchat.peer.rendezvous.IntroductionMachine.Setup;
import simchat.peer.rendezvous.IntroductionMachine.Transition;
import simchat.peer.rendezvous.IntroductionOutput.AbandonRelay;
import simchat.peer.rendezvous.IntroductionOutput.AbandonRound;
import simchat.peer.rendezvous.IntroductionOutput.CloseWinner;
import simchat.peer.rendezvous.IntroductionOutput.Fail;
import simchat.peer.rendezvous.IntroductionOutput.HandOverRelay;
import simchat.peer.rendezvous.IntroductionOutput.Prepare;
import simchat.peer.rendezvous.IntroductionOutput.Report;
import simchat.peer.rendezvous.IntroductionOutput.Send;
import simchat.peer.rendezvous.IntroductionOutput.Splice;
import simchat.peer.rendezvous.IntroductionState.AwaitingRelay;
import simchat.peer.rendezvous.IntroductionState.Connecting;
import simchat.peer.rendezvous.IntroductionState.Joining;
import simchat.peer.rendezvous.IntroductionState.Over;
import simchat.peer.rendezvous.IntroductionState.Paired;
import simchat.peer.rendezvous.IntroductionState.Pairing;
import simchat.peer.rendezvous.IntroductionState.Punching;
import simchat.peer.rendezvous.IntroductionState.RelayHandedOver;
import simchat.peer.rendezvous.IntroductionState.Relayed;
import simchat.peer.rendezvous.IntroductionState.Relaying;
import simchat.peer.rendezvous.IntroductionState.Round;
import simchat.peer.rendezvous.IntroductionState.Self;
import simchat.peer.rendezvous.IntroductionState.Waiting;
import simchat.peer.rendezvous.IntroductionState.Won;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Role;

/**
 * The relay's rows of the introduction's machine, one transition at a time: when a peer asks for the relay,
 * what the rendezvous' tokens do in each state, the splice, the hello through it, and its failures. As in
 * {@link IntroductionMachineTest}: no sockets, no event loop, no clock.
 */
class IntroductionMachineRelayTest {

    private static final String RENDEZVOUS = "192.0.2.1:7000";
    /** A peer that accepts relaying (the default: no {@code --no-relay}). */
    private static final Setup RELAYING = new Setup(8000, RENDEZVOUS, null, null, null, "alice", true);
    private static final Setup NO_RELAY = new Setup(8000, RENDEZVOUS, null, null, null, "alice", false);

    private static final Endpoint OWN_PRIVATE = new Endpoint("10.0.1.2", 8000);
    private static final Endpoint OBSERVED = new Endpoint("198.51.100.7", 8000);
    private static final Endpoint PEER_PUBLIC = new Endpoint("203.0.113.9", 8000);
    private static final Endpoint PEER_PRIVATE = new Endpoint("10.0.2.2", 8000);
    private static final Message.Peer RELAYABLE = new Message.Peer(PEER_PUBLIC, PEER_PRIVATE, Role.INITIATOR, "bob",
            true);
    private static final Message.Peer UNRELAYABLE = new Message.Peer(PEER_PUBLIC, PEER_PRIVATE, Role.INITIATOR, "bob");
    private static final Self SELF = new Self(OWN_PRIVATE, OBSERVED);
    private static final Candidate PUBLIC = new Candidate(Candidate.PUBLIC, PEER_PUBLIC);
    private static final Candidate PRIVATE = new Candidate(Candidate.PRIVATE, PEER_PRIVATE);
    private static final List<Candidate> BOTH = List.of(PUBLIC, PRIVATE);
    private static final long PAIRED_AT = 5_000_000_000L;
    private static final Pairing PAIRING = new Pairing(SELF, null, RELAYABLE, BOTH, PAIRED_AT);
    private static final Round ROUND_1 = new Round(new Message.Sync(1, 0, 8.25), BOTH, null);
    private static final NatVerdict SYMMETRIC = new NatVerdict(OBSERVED, new Endpoint("198.51.100.7", 18054));
    private static final Report NAT_REPORT = new Report(new ChatEvent.Nat("198.51.100.7:8000", "198.51.100.7:18054",
            false));
    private static final String WHY = "the NAT at 198.51.100.7 picks a new public port for every destination "
            + "(198.51.100.7:8000 for the rendezvous, 198.51.100.7:18054 for its probe port)";
    private static final Report ASKING = new Report(new ChatEvent.Status("direct path impossible: " + WHY
            + "; asking the rendezvous at " + RENDEZVOUS + " to relay the chat (still end-to-end encrypted: the relay "
            + "sees only ciphertext)"));
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String THREE_ROUNDS = "no connection after 3 rounds of hole punching";
    private static final long GRANTED_AT = 7_000_000_000L;
    private static final RelayGranted GRANTED = new RelayGranted(new Message.Relay(TOKEN, THREE_ROUNDS), GRANTED_AT);
    private static final Report RELAYED_BECAUSE = new Report(new ChatEvent.Status("the rendezvous at " + RENDEZVOUS
            + " relays this chat (" + THREE_ROUNDS + "); still end-to-end encrypted: the relay sees only ciphertext"));

    // ---- Asking

    @Test
    void aPeerThatAcceptsRelayingSaysSoInItsFirstFrame() {
        assertThat(next(RELAYING, new Connecting(), new Connected(OWN_PRIVATE))).isEqualTo(Transition.to(
                new Joining(OWN_PRIVATE), new Send(new Message.Join(null, OWN_PRIVATE, "alice", true))));
    }

    @Test
    void aSymmetricVerdictInARelayablePairAsksTheRendezvousToRelayInsteadOfFailing() {
        assertThat(next(RELAYING, new Paired(PAIRING), new Probed(SYMMETRIC.probed()))).isEqualTo(Transition.to(
                new AwaitingRelay(PAIRING.with(SYMMETRIC), WHY),
                NAT_REPORT, new Send(new Message.RelayRequest(WHY)), ASKING));
    }

    @Test
    void theOtherPeerArrivingAfterASymmetricVerdictInARelayablePairAsksForTheRelay() {
        Transition t = next(RELAYING, new Waiting(SELF, SYMMETRIC), new PeerArrived(RELAYABLE, PAIRED_AT));
        assertThat(t.next()).isEqualTo(new AwaitingRelay(new Pairing(SELF, SYMMETRIC, RELAYABLE, BOTH, PAIRED_AT), WHY));
        assertThat(t.outputs()).startsWith(new Prepare(BOTH)).endsWith(new Send(new Message.RelayRequest(WHY)), ASKING);
    }

    @Test
    void aSymmetricVerdictDuringARoundDropsTheRoundBeforeAskingForTheRelay() {
        assertThat(next(RELAYING, new Punching(PAIRING, ROUND_1), new Probed(SYMMETRIC.probed()))).isEqualTo(
                Transition.to(new AwaitingRelay(PAIRING.with(SYMMETRIC), WHY), NAT_REPORT,
                        new AbandonRound("relaying instead"), new Send(new Message.RelayRequest(WHY)), ASKING));
    }

    @Test
    void aSymmetricVerdictAfterARoundWasWonLeavesTheDecisionToTheHandshake() {
        Won won = new Won(PAIRING, ROUND_1, PUBLIC);
        assertThat(next(RELAYING, won, new Probed(SYMMETRIC.probed()))).isEqualTo(Transition.to(
                new Won(PAIRING.with(SYMMETRIC), ROUND_1, PUBLIC), NAT_REPORT));
    }

    @Test
    void withNoRelayASymmetricVerdictEndsTheIntroductionAsBefore() {
        Transition t = next(NO_RELAY, new Paired(PAIRING), new Probed(SYMMETRIC.probed()));
        assertThat(t.next()).isEqualTo(new Over(false));
        assertThat(t.outputs()).endsWith(new Fail(Advice.symmetricNat(SYMMETRIC, 8000)));
    }

    @Test
    void aPairTheRendezvousCannotRelayEndsTheIntroductionSayingTheRelayCouldNotHelpEither() {
        Pairing unrelayable = new Pairing(SELF, null, UNRELAYABLE, BOTH, PAIRED_AT);
        Transition t = next(RELAYING, new Paired(unrelayable), new Probed(SYMMETRIC.probed()));
        assertThat(t.next()).isEqualTo(new Over(false));
        Fail fail = (Fail) t.outputs().get(t.outputs().size() - 1);
        assertThat(fail.failure()).isInstanceOf(Outcome.PunchImpossible.class);
        assertThat(fail.failure().message()).startsWith(Advice.symmetricNat(SYMMETRIC, 8000).message())
                .endsWith("The rendezvous cannot relay this pair either (it runs without --relay, or the other peer "
                        + "runs with --no-relay, --plaintext or an older version).");
    }

    @Test
    void whileAwaitingTheRelayTheRendezvousRefusingEndsTheIntroductionWithItsReason() {
        Transition t = next(RELAYING, new AwaitingRelay(PAIRING, WHY), new Refused(new Message.Error(
                ErrorCode.RELAY_FULL, "the relay carries 256 pairs already (at most 256)")));
        assertThat(t).isEqualTo(Transition.to(new Over(false), new Fail(new Outcome.PunchImpossible("no direct path "
                + "can work and the rendezvous' relay is full (rendezvous: the relay carries 256 pairs already (at "
                + "most 256)): try again later, or from another network."))));
    }

    @Test
    void whileAwaitingTheRelayTheRendezvousGoingAwayEndsTheIntroduction() {
        assertThat(next(RELAYING, new AwaitingRelay(PAIRING, WHY), new Closed("Connection reset")).next())
                .isEqualTo(new Over(false));
    }

    @Test
    void whileAwaitingTheRelayALateSyncOrNatAnswerChangesNothing() {
        AwaitingRelay awaiting = new AwaitingRelay(PAIRING, WHY);
        assertThat(next(RELAYING, awaiting, new Synced(new Message.Sync(2, 0, 8.25)))).isEqualTo(Transition.to(awaiting));
        assertThat(next(RELAYING, awaiting, new Probed(SYMMETRIC.probed()))).isEqualTo(Transition.to(awaiting));
    }

    // ---- The rendezvous' tokens

    @Test
    void theTokenAfterOurOwnRequestSplicesAtOnce() {
        assertThat(next(RELAYING, new AwaitingRelay(PAIRING, WHY), new RelayGranted(new Message.Relay(TOKEN, WHY),
                GRANTED_AT))).isEqualTo(Transition.to(new Relaying(WHY, GRANTED_AT), new Splice(TOKEN)));
    }

    @Test
    void aTokenBetweenRoundsSaysWhyTheRendezvousRelaysAndSplices() {
        assertThat(next(RELAYING, new Paired(PAIRING), GRANTED)).isEqualTo(Transition.to(
                new Relaying(THREE_ROUNDS, GRANTED_AT), RELAYED_BECAUSE, new Splice(TOKEN)));
    }

    @Test
    void aTokenDuringARoundDropsTheRound() {
        assertThat(next(RELAYING, new Punching(PAIRING, ROUND_1), GRANTED)).isEqualTo(Transition.to(
                new Relaying(THREE_ROUNDS, GRANTED_AT), new AbandonRound("relaying instead"), RELAYED_BECAUSE,
                new Splice(TOKEN)));
    }

    @Test
    void aTokenAfterARoundWasWonClosesTheWonConnection() {
        assertThat(next(RELAYING, new Won(PAIRING, ROUND_1, PUBLIC), GRANTED)).isEqualTo(Transition.to(
                new Relaying(THREE_ROUNDS, GRANTED_AT), new CloseWinner(), RELAYED_BECAUSE, new Splice(TOKEN)));
    }

    @Test
    void aTokenBeforeTheOtherPeerIsKnownChangesNothing() {
        Waiting waiting = new Waiting(SELF, null);
        assertThat(next(RELAYING, waiting, GRANTED)).isEqualTo(Transition.to(waiting));
    }

    // ---- Splicing

    @Test
    void theRendezvousClosingItsConnectionAfterTheTokenIsExpected() {
        Relaying relaying = new Relaying(WHY, GRANTED_AT);
        assertThat(next(RELAYING, relaying, new Closed(null))).isEqualTo(Transition.to(relaying));
        assertThat(next(RELAYING, relaying, new Closed("Connection reset"))).isEqualTo(Transition.to(relaying));
    }

    @Test
    void onceSplicedTheRelayedConnectionGoesToTheChat() {
        assertThat(next(RELAYING, new Relaying(WHY, GRANTED_AT), new RelaySpliced())).isEqualTo(Transition.to(
                new RelayHandedOver(WHY, GRANTED_AT), new HandOverRelay()));
    }

    @Test
    void aRelayThatDoesNotSpliceEndsTheIntroductionWithItsReason() {
        assertThat(next(RELAYING, new Relaying(WHY, GRANTED_AT), new RelayFailed(
                "relay: relay-timeout: the other peer did not come to the relay within 10 s"))).isEqualTo(
                Transition.to(new Over(false), new Fail(new Outcome.RendezvousFailed("the relay at " + RENDEZVOUS
                        + " did not connect the peers (relay: relay-timeout: the other peer did not come to the relay "
                        + "within 10 s)"))));
    }

    @Test
    void theOtherPeersHelloThroughTheRelayEndsTheIntroductionRelayed() {
        assertThat(next(RELAYING, new RelayHandedOver(WHY, GRANTED_AT), new HelloCompleted(GRANTED_AT + 1_250_000_000L)))
                .isEqualTo(Transition.to(new Relayed(WHY), new Report(new ChatEvent.Relayed(RENDEZVOUS, WHY, 1250))));
    }

    @Test
    void aRelayedConnectionClosingBeforeTheHelloEndsTheIntroduction() {
        assertThat(next(RELAYING, new RelayHandedOver(WHY, GRANTED_AT), new RelayFailed("closed")).next())
                .isEqualTo(new Over(false));
    }

    @Test
    void aHandshakeOfAnEarlierRoundClosingChangesNothingWhileRelaying() {
        Relaying relaying = new Relaying(WHY, GRANTED_AT);
        assertThat(next(RELAYING, relaying, new HandshakeClosed(1))).isEqualTo(Transition.to(relaying));
    }

    // ---- Stopping

    @Test
    void stoppingWhileSplicingClosesTheRelayConnection() {
        assertThat(next(RELAYING, new Relaying(WHY, GRANTED_AT), new Stop())).isEqualTo(Transition.to(
                new Over(false), new AbandonRelay()));
    }

    @Test
    void stoppingOnceHandedOverLeavesTheConnectionToTheChat() {
        assertThat(next(RELAYING, new RelayHandedOver(WHY, GRANTED_AT), new Stop())).isEqualTo(
                Transition.to(new Over(true)));
        assertThat(next(RELAYING, new Relayed(WHY), new Stop())).isEqualTo(Transition.to(new Over(true)));
    }

    @Test
    void aLateWinnerWhileRelayedIsClosed() {
        assertThat(next(RELAYING, new Relayed(WHY), new IntroductionInput.RoundWon(1, PUBLIC))).isEqualTo(
                Transition.to(new Relayed(WHY), new CloseWinner()));
    }

    private static Transition next(Setup setup, IntroductionState state, IntroductionInput input) {
        return IntroductionMachine.next(setup, state, input);
    }
}
