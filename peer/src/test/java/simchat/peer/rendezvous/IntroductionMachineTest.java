package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static simchat.rendezvous.protocol.Outcome.CONNECTED;
import static simchat.rendezvous.protocol.Outcome.FAILED;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.rendezvous.IntroductionInput.Closed;
import simchat.peer.rendezvous.IntroductionInput.Connected;
import simchat.peer.rendezvous.IntroductionInput.DialTime;
import simchat.peer.rendezvous.IntroductionInput.HandshakeClosed;
import simchat.peer.rendezvous.IntroductionInput.HelloCompleted;
import simchat.peer.rendezvous.IntroductionInput.Joined;
import simchat.peer.rendezvous.IntroductionInput.PeerArrived;
import simchat.peer.rendezvous.IntroductionInput.PortTaken;
import simchat.peer.rendezvous.IntroductionInput.ProbeFailed;
import simchat.peer.rendezvous.IntroductionInput.Probed;
import simchat.peer.rendezvous.IntroductionInput.Refused;
import simchat.peer.rendezvous.IntroductionInput.RoundFailed;
import simchat.peer.rendezvous.IntroductionInput.RoundWon;
import simchat.peer.rendezvous.IntroductionInput.Stop;
import simchat.peer.rendezvous.IntroductionInput.Synced;
import simchat.peer.rendezvous.IntroductionInput.Unreachable;
import simchat.peer.rendezvous.IntroductionMachine.Setup;
import simchat.peer.rendezvous.IntroductionMachine.Transition;
import simchat.peer.rendezvous.IntroductionOutput.AbandonRound;
import simchat.peer.rendezvous.IntroductionOutput.Arm;
import simchat.peer.rendezvous.IntroductionOutput.CloseWinner;
import simchat.peer.rendezvous.IntroductionOutput.Fail;
import simchat.peer.rendezvous.IntroductionOutput.HandOver;
import simchat.peer.rendezvous.IntroductionOutput.Leave;
import simchat.peer.rendezvous.IntroductionOutput.Prepare;
import simchat.peer.rendezvous.IntroductionOutput.Probe;
import simchat.peer.rendezvous.IntroductionOutput.Report;
import simchat.peer.rendezvous.IntroductionOutput.ScheduleDial;
import simchat.peer.rendezvous.IntroductionOutput.Send;
import simchat.peer.rendezvous.IntroductionOutput.StartRound;
import simchat.peer.rendezvous.IntroductionState.Connecting;
import simchat.peer.rendezvous.IntroductionState.Introduced;
import simchat.peer.rendezvous.IntroductionState.Joining;
import simchat.peer.rendezvous.IntroductionState.Over;
import simchat.peer.rendezvous.IntroductionState.Paired;
import simchat.peer.rendezvous.IntroductionState.Pairing;
import simchat.peer.rendezvous.IntroductionState.Punching;
import simchat.peer.rendezvous.IntroductionState.Round;
import simchat.peer.rendezvous.IntroductionState.Self;
import simchat.peer.rendezvous.IntroductionState.Timing;
import simchat.peer.rendezvous.IntroductionState.Waiting;
import simchat.peer.rendezvous.IntroductionState.Won;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Role;

/**
 * The introduction's machine, one transition at a time: each test names a state and an input, and checks the
 * next state and the outputs, in order. No sockets, no event loop, no clock.
 */
class IntroductionMachineTest {

    private static final String RENDEZVOUS = "192.0.2.1:7000";
    private static final Setup CREATOR = new Setup(8000, RENDEZVOUS, null, null, null, "alice");
    private static final Setup JOINER = new Setup(8000, RENDEZVOUS, "7-amber-falcon-4821",
            InviteCode.parse("7-amber-falcon-4821"), null, "bob");
    private static final String PLACE = "3f9c2a4e1b7d08c65a2e9f1d4c3b7a60";
    private static final Setup AGAIN = new Setup(8000, RENDEZVOUS, null, InviteCode.parse("7-amber-falcon-4821"),
            PLACE, "alice");

    private static final Endpoint OWN_PRIVATE = new Endpoint("10.0.1.2", 8000);
    private static final Endpoint OBSERVED = new Endpoint("198.51.100.7", 8000);
    private static final Endpoint PEER_PUBLIC = new Endpoint("203.0.113.9", 8000);
    private static final Endpoint PEER_PRIVATE = new Endpoint("10.0.2.2", 8000);
    private static final Message.Peer PEER = new Message.Peer(PEER_PUBLIC, PEER_PRIVATE, Role.INITIATOR, "bob");
    private static final Self SELF = new Self(OWN_PRIVATE, OBSERVED);
    private static final Candidate PUBLIC = new Candidate(Candidate.PUBLIC, PEER_PUBLIC);
    private static final Candidate PRIVATE = new Candidate(Candidate.PRIVATE, PEER_PRIVATE);
    private static final List<Candidate> BOTH = List.of(PUBLIC, PRIVATE);
    private static final long PAIRED_AT = 5_000_000_000L;
    private static final Pairing PAIRING = new Pairing(SELF, null, PEER, BOTH, PAIRED_AT);
    private static final Message.Sync NOW = new Message.Sync(1, 0, 8.25);
    private static final Message.Sync LATER = new Message.Sync(1, 12, 8.25);
    private static final Round ROUND_1 = new Round(NOW, BOTH, null);
    private static final Round TIMED_1 = new Round(LATER, BOTH, null);
    private static final String GONE = "the rendezvous at " + RENDEZVOUS + " closed the connection (Connection reset)";
    private static final NatVerdict SYMMETRIC = new NatVerdict(OBSERVED, new Endpoint("198.51.100.7", 18054));
    private static final String SYMMETRIC_ADVICE = "hole punching cannot work from here: your NAT showed the "
            + "rendezvous 198.51.100.7:8000 but its probe port 198.51.100.7:18054 for the same local port 8000, so it "
            + "picks a new public port for every destination (a symmetric or port-randomising NAT) and the other peer "
            + "cannot know which port to dial. What you can do: forward TCP port 8000 on your router to this host and "
            + "have the other person run bin/peer with --remote 198.51.100.7:8000; or use another network (e.g. a "
            + "phone hotspot or a home router); or meet on the same LAN.";

    // ---- Connecting

    @Test
    void onceConnectedTheCreatorAsksForARoomFromItsPrivateEndpoint() {
        assertThat(next(CREATOR, new Connecting(), new Connected(OWN_PRIVATE))).isEqualTo(Transition.to(
                new Joining(OWN_PRIVATE), new Send(new Message.Join(null, OWN_PRIVATE, "alice"))));
    }

    @Test
    void onceConnectedTheJoinerNamesOnlyTheRoomPartOfItsCode() {
        assertThat(next(JOINER, new Connecting(), new Connected(OWN_PRIVATE))).isEqualTo(Transition.to(
                new Joining(OWN_PRIVATE), new Send(new Message.Join("7-amber-falcon", OWN_PRIVATE, "bob"))));
    }

    @Test
    void onceConnectedAPeerMeetingAgainNamesThePlaceBothDerived() {
        assertThat(next(AGAIN, new Connecting(), new Connected(OWN_PRIVATE))).isEqualTo(Transition.to(
                new Joining(OWN_PRIVATE), new Send(new Message.Meet(PLACE, OWN_PRIVATE, "alice"))));
    }

    @Test
    void anUnreachableRendezvousFailsTheIntroductionWithWhatToCheck() {
        assertThat(next(CREATOR, new Connecting(), new Unreachable("Connection refused"))).isEqualTo(Transition.to(
                new Over(false), new Fail(new Outcome.RendezvousFailed("cannot reach the rendezvous at "
                        + RENDEZVOUS + " (Connection refused): check --rendezvous and that the rendezvous is running"))));
    }

    @Test
    void aPrivilegedLocalPortRefusedByTheKernelIsExplainedNotBlamedOnTheRendezvous() {
        assertThat(next(CREATOR, new Connecting(), new Unreachable("Permission denied"))).isEqualTo(Transition.to(
                new Over(false), new Fail(new Outcome.PortUnavailable(simchat.peer.dial.PrivilegedPort.explain(8000)))));
    }

    // ---- Joining

    @Test
    void joiningShowsTheRoomCodeAndProbesTheNat() {
        Message.Joined joined = new Message.Joined("7-amber-falcon", OBSERVED, Role.INITIATOR, 7001);
        assertThat(next(CREATOR, new Joining(OWN_PRIVATE), new Joined(joined, InviteCode.parse("7-amber-falcon-4821"))))
                .isEqualTo(Transition.to(new Waiting(SELF, null),
                        new Report(new ChatEvent.Room("7-amber-falcon-4821", true, "198.51.100.7:8000", true,
                                "initiator", true)),
                        new Probe(7001)));
    }

    @Test
    void aRendezvousThatSeesOurOwnEndpointMeansThereIsNoNat() {
        Message.Joined joined = new Message.Joined("7-amber-falcon", OWN_PRIVATE, Role.INITIATOR, 7001);
        Transition t = next(CREATOR, new Joining(OWN_PRIVATE), new Joined(joined, InviteCode.parse("7-amber-falcon-4821")));
        assertThat(t.outputs()).contains(new Report(new ChatEvent.Room("7-amber-falcon-4821", true, "10.0.1.2:8000",
                true, "initiator", false)));
    }

    @Test
    void joiningARendezvousWithoutAProbePortSaysTheNatIsNotChecked() {
        Message.Joined joined = new Message.Joined("7-amber-falcon", new Endpoint("198.51.100.7", 41000),
                Role.RESPONDER, null);
        Transition t = next(JOINER, new Joining(OWN_PRIVATE), new Joined(joined, JOINER.invite()));
        assertThat(t.next()).isEqualTo(new Waiting(new Self(OWN_PRIVATE, joined.observed()), null));
        assertThat(t.outputs()).containsExactly(
                new Report(new ChatEvent.Room("7-amber-falcon-4821", false, "198.51.100.7:41000", false, "responder",
                        true)),
                new Report(new ChatEvent.Status("the rendezvous has no probe port: cannot tell in advance whether "
                        + "your NAT allows hole punching", true)));
    }

    @Test
    void meetingAgainSaysWhetherTheOtherPeerIsThereAlready() {
        Message.Joined joined = new Message.Joined(PLACE, OBSERVED, Role.RESPONDER, 7001);
        assertThat(next(AGAIN, new Joining(OWN_PRIVATE), new Joined(joined, AGAIN.invite())).outputs())
                .containsExactly(new Report(new ChatEvent.Status("at the rendezvous again (your public endpoint: "
                        + "198.51.100.7:8000); the other peer is there already")), new Probe(7001));
    }

    // ---- Waiting

    @Test
    void theNatCheckWhileWaitingIsReportedAndKept() {
        NatVerdict same = new NatVerdict(OBSERVED, OBSERVED);
        assertThat(next(CREATOR, new Waiting(SELF, null), new Probed(OBSERVED))).isEqualTo(Transition.to(
                new Waiting(SELF, same),
                new Report(new ChatEvent.Nat("198.51.100.7:8000", "198.51.100.7:8000", true))));
    }

    @Test
    void aFailedNatCheckIsSaidAndTheIntroductionGoesOn() {
        Waiting waiting = new Waiting(SELF, null);
        assertThat(next(CREATOR, waiting, new ProbeFailed("no answer within 5000 ms"))).isEqualTo(Transition.to(
                waiting, new Report(new ChatEvent.Status("NAT check failed (no answer within 5000 ms); trying anyway",
                        true))));
    }

    @Test
    void theOtherPeerArrivingPreparesTheRoundOverItsCandidates() {
        assertThat(next(CREATOR, new Waiting(SELF, null), new PeerArrived(PEER, PAIRED_AT))).isEqualTo(
                Transition.to(new Paired(PAIRING), new Prepare(BOTH), new Report(new ChatEvent.Status(
                        "the other peer (bob) is here: public 203.0.113.9:8000, private 10.0.2.2:8000"))));
    }

    @Test
    void theOtherPeerArrivingAfterASymmetricVerdictEndsTheIntroductionWithAdvice() {
        Transition t = next(CREATOR, new Waiting(SELF, SYMMETRIC), new PeerArrived(PEER, PAIRED_AT));
        assertThat(t.next()).isEqualTo(new Over(false));
        assertThat(t.outputs()).endsWith(new Fail(new Outcome.PunchImpossible(SYMMETRIC_ADVICE)));
    }

    @Test
    void aSyncBeforeTheOtherPeerIsKnownFailsTheRoundForWantOfCandidates() {
        Waiting waiting = new Waiting(SELF, null);
        assertThat(next(CREATOR, waiting, new Synced(NOW))).isEqualTo(Transition.to(waiting,
                new Send(new Message.Result(1, FAILED, null, "no candidate endpoints"))));
    }

    // ---- With the other peer known: the NAT check's verdict

    @Test
    void aConsistentNatWithThePeerKnownIsReportedAndChangesNothingElse() {
        NatVerdict same = new NatVerdict(OBSERVED, OBSERVED);
        assertThat(next(CREATOR, new Paired(PAIRING), new Probed(OBSERVED))).isEqualTo(Transition.to(
                new Paired(PAIRING.with(same)),
                new Report(new ChatEvent.Nat("198.51.100.7:8000", "198.51.100.7:8000", true))));
    }

    @Test
    void aSymmetricNatSharedWithThePeerLeavesItsPrivateEndpointOnly() {
        Message.Peer sameNat = new Message.Peer(new Endpoint("198.51.100.7", 23456), PEER_PRIVATE, Role.INITIATOR,
                null);
        Pairing pairing = new Pairing(SELF, null, sameNat, Candidate.of(sameNat, OWN_PRIVATE, OBSERVED), PAIRED_AT);
        assertThat(next(CREATOR, new Paired(pairing), new Probed(SYMMETRIC.probed()))).isEqualTo(Transition.to(
                new Paired(pairing.with(SYMMETRIC).dialling(List.of(PRIVATE))),
                new Report(new ChatEvent.Nat("198.51.100.7:8000", "198.51.100.7:18054", false)),
                new Prepare(List.of(PRIVATE)),
                new Report(new ChatEvent.Status("your NAT maps ports per destination, but the other peer shares your "
                        + "public address: trying its private endpoint only"))));
    }

    @Test
    void aSymmetricNatSharedWithAPeerThatHasNoPrivateCandidateEndsTheIntroduction() {
        Message.Peer sameNat = new Message.Peer(new Endpoint("198.51.100.7", 23456), OWN_PRIVATE, Role.INITIATOR,
                null);
        Pairing pairing = new Pairing(SELF, null, sameNat, Candidate.of(sameNat, OWN_PRIVATE, OBSERVED), PAIRED_AT);
        Transition t = next(CREATOR, new Paired(pairing), new Probed(SYMMETRIC.probed()));
        assertThat(t.next()).isEqualTo(new Over(false));
        assertThat(t.outputs()).contains(new Prepare(List.of())).endsWith(
                new Fail(new Outcome.PunchImpossible(SYMMETRIC_ADVICE)));
    }

    @Test
    void aSymmetricVerdictDuringARoundEndsTheIntroductionWithAdvice() {
        assertThat(next(CREATOR, new Punching(PAIRING, ROUND_1), new Probed(SYMMETRIC.probed()))).isEqualTo(
                Transition.to(new Over(false),
                        new Report(new ChatEvent.Nat("198.51.100.7:8000", "198.51.100.7:18054", false)),
                        new Fail(new Outcome.PunchImpossible(SYMMETRIC_ADVICE))));
    }

    @Test
    void aFailedNatCheckDuringARoundIsSaidAndTheRoundGoesOn() {
        Punching punching = new Punching(PAIRING, ROUND_1);
        assertThat(next(CREATOR, punching, new ProbeFailed("closed without an answer")).next()).isEqualTo(punching);
    }

    // ---- Paired: rounds

    @Test
    void aSyncWithoutDelayArmsTheRoundSendsItsSynsAndOnlyThenSaysSo() {
        assertThat(next(CREATOR, new Paired(PAIRING), new Synced(NOW))).isEqualTo(Transition.to(
                new Punching(PAIRING, ROUND_1), new Arm(BOTH), new StartRound(1),
                new Report(new ChatEvent.Punching(1, 0, 8.25, List.of("203.0.113.9:8000 (public)",
                        "10.0.2.2:8000 (private)")))));
    }

    @Test
    void aSyncWithADelayArmsTheRoundAndTimesItsStart() {
        assertThat(next(CREATOR, new Paired(PAIRING), new Synced(LATER))).isEqualTo(Transition.to(
                new Timing(PAIRING, TIMED_1), new Arm(BOTH), new ScheduleDial(LATER)));
    }

    @Test
    void aSyncWithNoCandidateLeftFailsTheRoundAtOnce() {
        Paired none = new Paired(PAIRING.dialling(List.of()));
        assertThat(next(CREATOR, none, new Synced(NOW))).isEqualTo(Transition.to(none,
                new Send(new Message.Result(1, FAILED, null, "no candidate endpoints"))));
    }

    @Test
    void theTimedMomentSendsTheSynsAndOnlyThenSaysSo() {
        assertThat(next(CREATOR, new Timing(PAIRING, TIMED_1), new DialTime(1))).isEqualTo(Transition.to(
                new Punching(PAIRING, TIMED_1), new StartRound(1),
                new Report(new ChatEvent.Punching(1, 12, 8.25, List.of("203.0.113.9:8000 (public)",
                        "10.0.2.2:8000 (private)")))));
    }

    @Test
    void theTimerOfAnEarlierRoundChangesNothing() {
        Timing timing = new Timing(PAIRING, new Round(new Message.Sync(2, 12, 8.25), BOTH, null));
        assertThat(next(CREATOR, timing, new DialTime(1))).isEqualTo(Transition.to(timing));
    }

    @Test
    void aNewSyncDuringARoundAbandonsItForTheNewOne() {
        Message.Sync second = new Message.Sync(2, 0, 9.5);
        assertThat(next(CREATOR, new Punching(PAIRING, ROUND_1), new Synced(second))).isEqualTo(Transition.to(
                new Punching(PAIRING, new Round(second, BOTH, null)), new AbandonRound("round 2 started"),
                new Arm(BOTH), new StartRound(2), new Report(new ChatEvent.Punching(2, 0, 9.5,
                        List.of("203.0.113.9:8000 (public)", "10.0.2.2:8000 (private)")))));
    }

    @Test
    void aNewSyncWhileTimingAbandonsTheArmedRound() {
        Message.Sync second = new Message.Sync(2, 30, 9.5);
        assertThat(next(CREATOR, new Timing(PAIRING, TIMED_1), new Synced(second))).isEqualTo(Transition.to(
                new Timing(PAIRING, new Round(second, BOTH, null)), new AbandonRound("round 2 started"),
                new Arm(BOTH), new ScheduleDial(second)));
    }

    @Test
    void aNewSyncDuringTheHandshakeClosesTheWonConnectionForTheNewRound() {
        Message.Sync second = new Message.Sync(2, 30, 9.5);
        assertThat(next(CREATOR, new Won(PAIRING, ROUND_1, PUBLIC), new Synced(second))).isEqualTo(Transition.to(
                new Timing(PAIRING, new Round(second, BOTH, null)), new CloseWinner(), new Arm(BOTH),
                new ScheduleDial(second)));
    }

    // ---- Punching

    @Test
    void theFirstCandidateToConnectGoesToTheChatForItsHandshake() {
        assertThat(next(CREATOR, new Punching(PAIRING, ROUND_1), new RoundWon(1, PUBLIC))).isEqualTo(Transition.to(
                new Won(PAIRING, ROUND_1, PUBLIC), new HandOver(1)));
    }

    @Test
    void aConnectionOfAnEarlierRoundIsClosed() {
        Punching second = new Punching(PAIRING, new Round(new Message.Sync(2, 0, 8.25), BOTH, null));
        assertThat(next(CREATOR, second, new RoundWon(1, PUBLIC))).isEqualTo(Transition.to(second,
                new CloseWinner()));
    }

    @Test
    void aConnectionNobodyWaitsForIsClosed() {
        assertThat(next(CREATOR, new Over(false), new RoundWon(1, PUBLIC))).isEqualTo(Transition.to(new Over(false),
                new CloseWinner()));
    }

    @Test
    void aFailedRoundIsSaidAndReportedSoThatTheRendezvousTimesAnother() {
        assertThat(next(CREATOR, new Punching(PAIRING, ROUND_1), new RoundFailed(1, "no candidate connected within "
                + "5 s"))).isEqualTo(Transition.to(new Paired(PAIRING),
                new Report(new ChatEvent.Status("round 1: no candidate connected within 5 s", true)),
                new Send(new Message.Result(1, FAILED, null, "no candidate connected within 5 s"))));
    }

    @Test
    void aFailedRoundWithoutTheRendezvousEndsTheIntroduction() {
        Transition t = next(CREATOR, new Punching(PAIRING, ROUND_1.without(GONE)), new RoundFailed(1, "no "
                + "candidate connected within 5 s"));
        assertThat(t.next()).isEqualTo(new Over(false));
        assertThat(t.outputs()).endsWith(new Fail(new Outcome.RendezvousFailed(GONE + " during round 1, which then "
                + "failed too (no candidate connected within 5 s)")));
    }

    @Test
    void theFailureOfAnEarlierRoundChangesNothing() {
        Punching second = new Punching(PAIRING, new Round(new Message.Sync(2, 0, 8.25), BOTH, null));
        assertThat(next(CREATOR, second, new RoundFailed(1, "round 2 started"))).isEqualTo(Transition.to(second));
    }

    @Test
    void aLocalPortThatCannotBeBoundEndsTheIntroduction() {
        assertThat(next(CREATOR, new Punching(PAIRING, ROUND_1), new PortTaken(1, "port 8000 is in use")))
                .isEqualTo(Transition.to(new Over(false),
                        new Fail(new Outcome.PortUnavailable("port 8000 is in use"))));
    }

    // ---- Won: the handshake decides

    @Test
    void theOtherPeersHelloCompletesTheIntroductionAndTellsTheRendezvous() {
        long hello = PAIRED_AT + 310_000_000L;
        assertThat(next(CREATOR, new Won(PAIRING, ROUND_1, PUBLIC), new HelloCompleted(hello))).isEqualTo(
                Transition.to(new Introduced(PUBLIC),
                        new Send(new Message.Result(1, CONNECTED, PEER_PUBLIC, "public")),
                        new Report(new ChatEvent.Punched("public", "203.0.113.9:8000", 1, 8.25, 310))));
    }

    @Test
    void aConnectionClosedDuringTheHandshakeFailsTheRound() {
        assertThat(next(CREATOR, new Won(PAIRING, ROUND_1, PUBLIC), new HandshakeClosed(1))).isEqualTo(
                Transition.to(new Paired(PAIRING),
                        new Report(new ChatEvent.Status("connection closed during the handshake", true)),
                        new Send(new Message.Result(1, FAILED, null, "closed during the handshake"))));
    }

    @Test
    void aConnectionClosedDuringTheHandshakeWithoutTheRendezvousEndsTheIntroduction() {
        assertThat(next(CREATOR, new Won(PAIRING, ROUND_1.without(GONE), PUBLIC), new HandshakeClosed(1)).outputs())
                .endsWith(new Fail(new Outcome.RendezvousFailed(GONE + " during round 1, which then failed too "
                        + "(closed during the handshake)")));
    }

    @Test
    void theConnectionOfADroppedRoundClosingIsOnlySaid() {
        Punching second = new Punching(PAIRING, new Round(new Message.Sync(2, 0, 8.25), BOTH, null));
        assertThat(next(CREATOR, second, new HandshakeClosed(1))).isEqualTo(Transition.to(second,
                new Report(new ChatEvent.Status("connection closed during the handshake", true))));
    }

    // ---- Introduced

    @Test
    void anotherSyncOnceIntroducedIsAnsweredConnectedAgain() {
        Introduced introduced = new Introduced(PUBLIC);
        assertThat(next(CREATOR, introduced, new Synced(new Message.Sync(2, 0, 8.25)))).isEqualTo(Transition.to(
                introduced, new Send(new Message.Result(2, CONNECTED, PEER_PUBLIC, null))));
    }

    @Test
    void theRendezvousLeavingOnceIntroducedChangesNothing() {
        Introduced introduced = new Introduced(PUBLIC);
        assertThat(next(CREATOR, introduced, new Closed(null))).isEqualTo(Transition.to(introduced));
        assertThat(next(CREATOR, introduced, new Refused(new Message.Error(ErrorCode.IDLE_TIMEOUT, "idle"))))
                .isEqualTo(Transition.to(introduced));
    }

    // ---- The rendezvous refuses or goes away

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            punch-failed       | PunchImpossible  | hole punching failed: no connection after three timed rounds (rendezvous: why). A NAT or firewall on the way drops the crossing SYNs. What you can do: forward TCP port 8000 on one router to that peer and use --remote, or try from another network.
            unknown-room       | RendezvousFailed | there is no room "7-amber-falcon-4821" (rendezvous: why): check the code for typos; rooms also end when they expire or once used. The other person can create a new one by running without --room.
            room-full          | RendezvousFailed | room "7-amber-falcon-4821" already has two peers (rendezvous: why): ask the other person for a fresh code.
            room-expired       | RendezvousFailed | nobody joined the room in time (rendezvous: why): start again and share the new code.
            peer-left          | RendezvousFailed | the other peer left before the connection was made (rendezvous: why); its own output says why (e.g. a NAT that cannot be hole-punched).
            idle-timeout       | RendezvousFailed | the rendezvous ended the introduction: idle-timeout (rendezvous: why)
            """)
    void anErrorFromTheRendezvousEndsTheIntroductionWithAdvice(String code, String kind, String message) {
        Transition t = next(JOINER, new Paired(PAIRING), new Refused(new Message.Error(code, "why")));
        assertThat(t).isEqualTo(Transition.to(new Over(false), new Fail(kind.equals("PunchImpossible")
                ? new Outcome.PunchImpossible(message) : new Outcome.RendezvousFailed(message))));
    }

    @Test
    void anErrorFromTheRendezvousWhileMeetingAgainNamesOnlyItsCode() {
        assertThat(next(AGAIN, new Waiting(SELF, null), new Refused(new Message.Error(ErrorCode.ROOM_FULL, "full"))))
                .isEqualTo(Transition.to(new Over(false), new Fail(new Outcome.RendezvousFailed(
                        "the rendezvous ended the meeting: room-full (rendezvous: full)"))));
    }

    @Test
    void anErrorDuringARoundEndsTheIntroductionToo() {
        assertThat(next(CREATOR, new Won(PAIRING, ROUND_1, PUBLIC), new Refused(new Message.Error(
                ErrorCode.IDLE_TIMEOUT, "idle"))).next()).isEqualTo(new Over(false));
    }

    @Test
    void theOtherPeerLeavingOnceTheRoundIsWonLeavesTheDecisionToTheConnection() {
        Won won = new Won(PAIRING, ROUND_1, PUBLIC);
        assertThat(next(JOINER, won, new Refused(new Message.Error(ErrorCode.PEER_LEFT, "gone")))).isEqualTo(
                Transition.to(won, new Report(new ChatEvent.Status("the other peer left the rendezvous; the"
                        + " connection made in this round decides", true))));
    }

    @Test
    void theRendezvousGoingAwayBeforeARoundEndsTheIntroduction() {
        assertThat(next(CREATOR, new Waiting(SELF, null), new Closed(null))).isEqualTo(Transition.to(new Over(false),
                new Fail(new Outcome.RendezvousFailed("the rendezvous at " + RENDEZVOUS + " closed the connection "
                        + "before the peers were connected"))));
        assertThat(next(CREATOR, new Paired(PAIRING), new Closed("Connection reset"))).isEqualTo(Transition.to(
                new Over(false), new Fail(new Outcome.RendezvousFailed(GONE + " before the peers were connected"))));
    }

    @Test
    void theRendezvousGoingAwayDuringARoundLetsTheRoundDecide() {
        for (var state : List.of(new Timing(PAIRING, TIMED_1), new Punching(PAIRING, ROUND_1),
                new Won(PAIRING, ROUND_1, PUBLIC))) {
            assertThat(next(CREATOR, state, new Closed("Connection reset"))).as("in %s", state).isEqualTo(
                    Transition.to(state.without(GONE), new Report(new ChatEvent.Status(
                            GONE + "; this round goes on without it", true))));
        }
    }

    // ---- Stop

    @Test
    void stoppingBeforeARoundLeavesTheRendezvous() {
        for (var state : List.of(new Connecting(), new Joining(OWN_PRIVATE), new Waiting(SELF, null),
                new Paired(PAIRING), new Won(PAIRING, ROUND_1, PUBLIC))) {
            assertThat(next(CREATOR, state, new Stop())).as("in %s", state).isEqualTo(Transition.to(new Over(false),
                    new Leave()));
        }
    }

    @Test
    void stoppingDuringARoundStopsItsDialersAndLeavesTheRendezvous() {
        for (var state : List.of(new Timing(PAIRING, TIMED_1), new Punching(PAIRING, ROUND_1))) {
            assertThat(next(CREATOR, state, new Stop())).as("in %s", state).isEqualTo(Transition.to(new Over(false),
                    new AbandonRound("chat over"), new Leave()));
        }
    }

    @Test
    void stoppingOnceIntroducedLeavesClosingToTheRendezvous() {
        assertThat(next(CREATOR, new Introduced(PUBLIC), new Stop())).isEqualTo(Transition.to(new Over(true)));
        assertThat(next(CREATOR, new Over(true), new Stop())).isEqualTo(Transition.to(new Over(true)));
    }

    @Test
    void stoppingAfterAFailedIntroductionLeavesTheRendezvous() {
        assertThat(next(CREATOR, new Over(false), new Stop())).isEqualTo(Transition.to(new Over(false), new Leave()));
    }

    // ---- Anything else changes nothing

    @Test
    void inputsAStateDoesNotListChangeNothing() {
        assertThat(next(CREATOR, new Over(false), new Synced(NOW))).isEqualTo(Transition.to(new Over(false)));
        assertThat(next(CREATOR, new Over(false), new Closed(null))).isEqualTo(Transition.to(new Over(false)));
        assertThat(next(CREATOR, new Connecting(), new PeerArrived(PEER, PAIRED_AT)))
                .isEqualTo(Transition.to(new Connecting()));
        assertThat(next(CREATOR, new Paired(PAIRING), new PeerArrived(PEER, PAIRED_AT)))
                .isEqualTo(Transition.to(new Paired(PAIRING)));
        assertThat(next(CREATOR, new Paired(PAIRING), new HelloCompleted(PAIRED_AT)))
                .isEqualTo(Transition.to(new Paired(PAIRING)));
        assertThat(next(CREATOR, new Introduced(PUBLIC), new Probed(SYMMETRIC.probed())))
                .isEqualTo(Transition.to(new Introduced(PUBLIC)));
    }

    private static Transition next(Setup setup, IntroductionState state, IntroductionInput input) {
        return IntroductionMachine.next(setup, state, input);
    }
}
