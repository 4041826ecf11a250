package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
import simchat.peer.rendezvous.IntroductionInput.RelayFailed;
import simchat.peer.rendezvous.IntroductionInput.RelayGranted;
import simchat.peer.rendezvous.IntroductionInput.RelaySpliced;
import simchat.peer.rendezvous.IntroductionInput.RoundFailed;
import simchat.peer.rendezvous.IntroductionInput.RoundWon;
import simchat.peer.rendezvous.IntroductionInput.Stop;
import simchat.peer.rendezvous.IntroductionInput.Synced;
import simchat.peer.rendezvous.IntroductionInput.Unreachable;
import simchat.peer.rendezvous.IntroductionOutput.AbandonRelay;
import simchat.peer.rendezvous.IntroductionOutput.AbandonRound;
import simchat.peer.rendezvous.IntroductionOutput.Arm;
import simchat.peer.rendezvous.IntroductionOutput.CloseWinner;
import simchat.peer.rendezvous.IntroductionOutput.Fail;
import simchat.peer.rendezvous.IntroductionOutput.HandOver;
import simchat.peer.rendezvous.IntroductionOutput.HandOverRelay;
import simchat.peer.rendezvous.IntroductionOutput.Leave;
import simchat.peer.rendezvous.IntroductionOutput.Prepare;
import simchat.peer.rendezvous.IntroductionOutput.Probe;
import simchat.peer.rendezvous.IntroductionOutput.Report;
import simchat.peer.rendezvous.IntroductionOutput.ScheduleDial;
import simchat.peer.rendezvous.IntroductionOutput.Send;
import simchat.peer.rendezvous.IntroductionOutput.Splice;
import simchat.peer.rendezvous.IntroductionOutput.StartRound;
import simchat.peer.rendezvous.IntroductionState.AwaitingRelay;
import simchat.peer.rendezvous.IntroductionState.Connecting;
import simchat.peer.rendezvous.IntroductionState.Introduced;
import simchat.peer.rendezvous.IntroductionState.Introducing;
import simchat.peer.rendezvous.IntroductionState.Joining;
import simchat.peer.rendezvous.IntroductionState.Over;
import simchat.peer.rendezvous.IntroductionState.Paired;
import simchat.peer.rendezvous.IntroductionState.Pairing;
import simchat.peer.rendezvous.IntroductionState.Punching;
import simchat.peer.rendezvous.IntroductionState.RelayHandedOver;
import simchat.peer.rendezvous.IntroductionState.Relayed;
import simchat.peer.rendezvous.IntroductionState.Relaying;
import simchat.peer.rendezvous.IntroductionState.Round;
import simchat.peer.rendezvous.IntroductionState.RoundUnderWay;
import simchat.peer.rendezvous.IntroductionState.Self;
import simchat.peer.rendezvous.IntroductionState.Timing;
import simchat.peer.rendezvous.IntroductionState.Waiting;
import simchat.peer.rendezvous.IntroductionState.WithPeer;
import simchat.peer.rendezvous.IntroductionState.Won;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;

/**
 * The rendezvous introduction as a pure function: given the setup, a state and an input, {@link #next} returns
 * the next state and the outputs to perform, in order. {@link #TABLE} at the end lists every transition; an
 * input that a state does not list changes nothing (a frame, timer or round result that comes too late).
 */
final class IntroductionMachine {

    /** The detail of a failed round's result when there is nothing to dial (read by the rendezvous' log only). */
    static final String NO_CANDIDATES = "no candidate endpoints";
    /** The detail of a round whose connection closed before the other peer's hello. */
    static final String CLOSED_DURING_HANDSHAKE = "closed during the handshake";

    private IntroductionMachine() {
    }

    /**
     * What an introduction is for, fixed from its start.
     *
     * @param localPort  the fixed local port every connection leaves from
     * @param rendezvous the rendezvous' endpoint, as printed
     * @param room       the whole code as the joiner typed it (for messages), or null for the creator and when
     *                   meeting again
     * @param invite     the joiner's code, or null for the creator
     * @param place      the room two introduced peers meet again in, or null for their first introduction
     * @param name       this peer's name, sent to the other through the rendezvous
     * @param relay      whether this peer accepts being relayed when no direct path can work
     */
    record Setup(int localPort, String rendezvous, @Nullable String room, @Nullable InviteCode invite,
                 @Nullable String place, String name, boolean relay) {
        Setup {
            requireNonNull(rendezvous, "rendezvous");
            requireNonNull(name, "name");
        }

        /** A peer that does not accept relaying. */
        Setup(int localPort, String rendezvous, @Nullable String room, @Nullable InviteCode invite,
              @Nullable String place, String name) {
            this(localPort, rendezvous, room, invite, place, name, false);
        }

        /** Meeting again after a lost connection, rather than a first introduction. */
        boolean again() {
            return place != null;
        }

        /** The first frame to the rendezvous: only the room part of a code, the four digits never leave. */
        Message firstFrame(Endpoint ownPrivate) {
            Boolean accepts = relay ? Boolean.TRUE : null;
            return again() ? new Message.Meet(place, ownPrivate, name, accepts)
                    : new Message.Join(invite == null ? null : invite.room(), ownPrivate, name, accepts);
        }
    }

    /** The state an input leads to, and what to do, in order. */
    record Transition(IntroductionState next, List<IntroductionOutput> outputs) {
        Transition {
            requireNonNull(next, "next");
            outputs = List.copyOf(outputs);
        }

        static Transition to(IntroductionState next, IntroductionOutput... outputs) {
            return new Transition(next, List.of(outputs));
        }

        /** The same transition with {@code earlier} performed first. */
        Transition after(List<IntroductionOutput> earlier) {
            List<IntroductionOutput> all = new ArrayList<>(earlier);
            all.addAll(outputs);
            return new Transition(next, all);
        }
    }

    /** Where {@code input} takes {@code state}; unlisted pairs stay put and do nothing. */
    static Transition next(Setup setup, IntroductionState state, IntroductionInput input) {
        return TABLE.next(setup, state, input);
    }

    // ---- What each transition does: one method per kind of move, named in the table below.

    private static Transition join(Setup setup, Connecting state, Connected input) {
        return Transition.to(new Joining(input.ownPrivate()), new Send(setup.firstFrame(input.ownPrivate())));
    }

    private static Transition enter(Setup setup, Joining state, Joined input) {
        Message.Joined joined = input.message();
        Endpoint observed = joined.observed();
        List<IntroductionOutput> outputs = new ArrayList<>();
        outputs.add(new Report(setup.again()
                ? new ChatEvent.Status(Advice.atTheRendezvousAgain(observed, joined.role()))
                : new ChatEvent.Room(input.code().toString(), setup.room() == null, observed.toString(),
                NatVerdict.portPreserved(observed, setup.localPort()),
                joined.role().name().toLowerCase(Locale.ROOT), NatVerdict.translated(observed, state.ownPrivate()))));
        outputs.add(joined.probePort() == null ? new Report(new ChatEvent.Status(Advice.noProbePort(), true))
                : new Probe(joined.probePort()));
        return new Transition(new Waiting(new Self(state.ownPrivate(), observed), null), outputs);
    }

    private static Transition judgeAlone(Setup setup, Waiting state, Probed input) {
        NatVerdict verdict = new NatVerdict(state.self().observed(), input.probed());
        return Transition.to(new Waiting(state.self(), verdict), natReport(verdict));
    }

    private static Transition judge(Setup setup, WithPeer state, Probed input) {
        NatVerdict verdict = new NatVerdict(state.pairing().self().observed(), input.probed());
        return decide(setup, state.with(state.pairing().with(verdict))).after(List.of(natReport(verdict)));
    }

    private static Transition tryAnyway(Setup setup, IntroductionState state, ProbeFailed input) {
        return Transition.to(state, new Report(new ChatEvent.Status(Advice.natCheckFailed(input.reason()), true)));
    }

    private static Transition pair(Setup setup, Waiting state, PeerArrived input) {
        Self self = state.self();
        List<Candidate> candidates = Candidate.of(input.peer(), self.ownPrivate(), self.observed());
        Pairing pairing = new Pairing(self, state.nat(), input.peer(), candidates, input.nanos());
        return decide(setup, new Paired(pairing)).after(List.of(new Prepare(candidates),
                new Report(new ChatEvent.Status(Advice.peerIsHere(input.peer())))));
    }

    /** With both the NAT check and the other peer known: can a hole punch work at all? */
    private static Transition decide(Setup setup, WithPeer state) {
        Pairing pairing = state.pairing();
        NatVerdict nat = pairing.nat();
        if (nat == null) {
            return Transition.to(state);
        }
        return switch (nat.reach(pairing.peer().publicEndpoint())) {
            case EVERY_CANDIDATE -> Transition.to(state);
            case PRIVATE_ONLY -> privateOnly(setup, state, nat);
            case NONE -> impossible(setup, state, nat);
        };
    }

    private static Transition privateOnly(Setup setup, WithPeer state, NatVerdict nat) {
        List<Candidate> only = Candidate.privateOnly(state.pairing().candidates());
        List<IntroductionOutput> outputs = List.of(new Prepare(only),
                new Report(new ChatEvent.Status(Advice.privateEndpointOnly())));
        return (only.isEmpty() ? impossible(setup, state, nat)
                : Transition.to(state.with(state.pairing().dialling(only)))).after(outputs);
    }

    /**
     * No hole punch can work from here: the relay, when both peers accept it and the rendezvous offers it (a
     * round under way is dropped for it; a won connection's handshake still decides); otherwise the end, saying
     * what the user can do.
     */
    private static Transition impossible(Setup setup, WithPeer state, NatVerdict nat) {
        if (state instanceof Won) {
            return Transition.to(state);
        }
        if (!setup.relay() || !state.pairing().peer().relayable()) {
            return fail(Advice.symmetricNat(nat, setup.localPort(), setup.relay(), state.pairing().peer().relayable()));
        }
        String why = Advice.directImpossible(nat);
        List<IntroductionOutput> outputs = new ArrayList<>();
        if (state instanceof RoundUnderWay) {
            outputs.add(new AbandonRound("relaying instead"));
        }
        outputs.add(new Send(new Message.RelayRequest(why)));
        outputs.add(new Report(new ChatEvent.Status(Advice.askingForRelay(setup.rendezvous(), why))));
        return new Transition(new AwaitingRelay(state.pairing(), why), outputs);
    }

    /** The rendezvous relays this pair: its connection closes, and the relay's takes over with our token. */
    private static Transition relay(Setup setup, Introducing state, RelayGranted input) {
        List<IntroductionOutput> outputs = new ArrayList<>();
        if (state instanceof Won) {
            outputs.add(new CloseWinner());
        } else if (state instanceof RoundUnderWay) {
            outputs.add(new AbandonRound("relaying instead"));
        }
        String why = input.relay().detail();
        if (!(state instanceof AwaitingRelay)) {
            outputs.add(new Report(new ChatEvent.Status(Advice.relayedBecause(setup.rendezvous(), why))));
        }
        outputs.add(new Splice(input.relay().token()));
        return new Transition(new Relaying(why, input.nanos()), outputs);
    }

    private static Transition spliced(Setup setup, Relaying state, RelaySpliced input) {
        return Transition.to(new RelayHandedOver(state.why(), state.grantedNanos()), new HandOverRelay());
    }

    private static Transition relayFailed(Setup setup, Relaying state, RelayFailed input) {
        return fail(Advice.relayFailed(setup.rendezvous(), input.reason()));
    }

    private static Transition relayClosed(Setup setup, RelayHandedOver state, RelayFailed input) {
        return fail(Advice.relayFailed(setup.rendezvous(), input.reason()));
    }

    private static Transition relayed(Setup setup, RelayHandedOver state, HelloCompleted input) {
        long millis = TimeUnit.NANOSECONDS.toMillis(input.nanos() - state.grantedNanos());
        return Transition.to(new Relayed(state.why()),
                new Report(new ChatEvent.Relayed(setup.rendezvous(), state.why(), millis)));
    }

    private static Transition stopRelaying(Setup setup, Relaying state, Stop input) {
        return Transition.to(new Over(false), new AbandonRelay());
    }

    /** The relayed link is the chat's: the chat closes it. */
    private static Transition stopRelayed(Setup setup, IntroductionState state, Stop input) {
        return Transition.to(new Over(true));
    }

    private static Transition noCandidates(Setup setup, Waiting state, Synced input) {
        return Transition.to(state, failedResult(input.sync().round(), NO_CANDIDATES));
    }

    private static Transition time(Setup setup, Paired state, Synced input) {
        return round(state.pairing(), input.sync());
    }

    /** A new sync while a round is under way: that round is dropped for the new one. */
    private static Transition retime(Setup setup, RoundUnderWay state, Synced input) {
        IntroductionOutput drop = state instanceof Won ? new CloseWinner()
                : new AbandonRound("round " + input.sync().round() + " started");
        return round(state.pairing(), input.sync()).after(List.of(drop));
    }

    private static Transition round(Pairing pairing, Message.Sync sync) {
        List<Candidate> candidates = pairing.candidates();
        if (candidates.isEmpty()) {
            return Transition.to(new Paired(pairing), failedResult(sync.round(), NO_CANDIDATES));
        }
        Round round = new Round(sync, candidates, null);
        if (sync.delayMillis() == 0) {
            // The SYNs leave while the sync is being handled, from the calling thread: nothing may come first.
            return Transition.to(new Punching(pairing, round), new Arm(candidates), new StartRound(sync.round()),
                    punchingReport(round));
        }
        return Transition.to(new Timing(pairing, round), new Arm(candidates), new ScheduleDial(sync));
    }

    private static Transition dial(Setup setup, Timing state, DialTime input) {
        if (input.round() != state.round().number()) {
            return Transition.to(state);
        }
        // Printed only once the SYNs are out: the console's first use in a fresh JVM can outlast the sync's wait.
        return Transition.to(new Punching(state.pairing(), state.round()), new StartRound(input.round()),
                punchingReport(state.round()));
    }

    private static Transition win(Setup setup, Punching state, RoundWon input) {
        if (input.round() != state.round().number()) {
            return discard(setup, state, input);
        }
        return Transition.to(new Won(state.pairing(), state.round(), input.winner()), new HandOver(input.round()));
    }

    /** A connection nobody waits for any more is closed. */
    private static Transition discard(Setup setup, IntroductionState state, RoundWon input) {
        return Transition.to(state, new CloseWinner());
    }

    private static Transition miss(Setup setup, Punching state, RoundFailed input) {
        if (input.round() != state.round().number()) {
            return Transition.to(state);
        }
        return roundFailed(state.pairing(), state.round(), input.why()).after(List.of(
                new Report(new ChatEvent.Status(Advice.roundFailed(input.round(), input.why()), true))));
    }

    private static Transition portTaken(Setup setup, Punching state, PortTaken input) {
        if (input.round() != state.round().number()) {
            return Transition.to(state);
        }
        return fail(new Outcome.PortUnavailable(input.message()));
    }

    private static Transition handshakeLost(Setup setup, Won state, HandshakeClosed input) {
        Report said = new Report(new ChatEvent.Status(Advice.closedDuringHandshake(), true));
        if (input.round() != state.round().number()) {
            return Transition.to(state, said);
        }
        return roundFailed(state.pairing(), state.round(), CLOSED_DURING_HANDSHAKE).after(List.of(said));
    }

    /** The connection of a round dropped since closed during its handshake: said, nothing else. */
    private static Transition earlierHandshakeLost(Setup setup, Introducing state, HandshakeClosed input) {
        return Transition.to(state, new Report(new ChatEvent.Status(Advice.closedDuringHandshake(), true)));
    }

    /** Asks the rendezvous for another round; without the rendezvous there is none. */
    private static Transition roundFailed(Pairing pairing, Round round, String why) {
        if (round.gone() != null) {
            return fail(Advice.lostAndRoundFailed(round.gone(), round.number(), why));
        }
        return Transition.to(new Paired(pairing), failedResult(round.number(), why));
    }

    private static Transition introduced(Setup setup, Won state, HelloCompleted input) {
        Candidate winner = state.winner();
        Message.Sync sync = state.round().sync();
        long millis = TimeUnit.NANOSECONDS.toMillis(input.nanos() - state.pairing().pairedNanos());
        return Transition.to(new Introduced(winner),
                new Send(new Message.Result(sync.round(), simchat.rendezvous.protocol.Outcome.CONNECTED,
                        winner.endpoint(), winner.kind())),
                new Report(new ChatEvent.Punched(winner.kind(), winner.endpoint().toString(), sync.round(),
                        sync.rttMillis(), millis)));
    }

    /** The other side asked for another round although we are chatting: say so again. */
    private static Transition connectedAlready(Setup setup, Introduced state, Synced input) {
        return Transition.to(state, new Send(new Message.Result(input.sync().round(),
                simchat.rendezvous.protocol.Outcome.CONNECTED, state.winner().endpoint(), null)));
    }

    private static Transition refused(Setup setup, Introducing state, Refused input) {
        return fail(Advice.refused(input.error(), setup.room(), setup.localPort(), setup.again()));
    }

    /**
     * The other peer left the rendezvous once the round was won: the connection already made decides (its
     * room-code check, above all, says why the other peer left; the creator leaves its room when the codes differ).
     */
    private static Transition leftAfterWin(Setup setup, Won state, Refused input) {
        if (!ErrorCode.PEER_LEFT.equals(input.error().code())) {
            return refused(setup, state, input);
        }
        return Transition.to(state, new Report(new ChatEvent.Status("the other peer left the rendezvous; the connection"
                + " made in this round decides", true)));
    }

    private static Transition lost(Setup setup, Introducing state, Closed input) {
        return fail(Advice.lostBeforeConnected(Advice.rendezvousGone(setup.rendezvous(), input.reason())));
    }

    /** The round it timed needs the rendezvous no more: the hole punch, or the handshake on its connection, decides. */
    private static Transition carryOn(Setup setup, RoundUnderWay state, Closed input) {
        String gone = Advice.rendezvousGone(setup.rendezvous(), input.reason());
        return Transition.to(state.without(gone),
                new Report(new ChatEvent.Status(Advice.roundGoesOnWithout(gone), true)));
    }

    private static Transition stop(Setup setup, Introducing state, Stop input) {
        return Transition.to(new Over(false), new Leave());
    }

    private static Transition stopDialing(Setup setup, RoundUnderWay state, Stop input) {
        return Transition.to(new Over(false), new AbandonRound("chat over"), new Leave());
    }

    /** Once introduced, the rendezvous closes its connection itself (so that its TIME_WAIT stays there). */
    private static Transition stopIntroduced(Setup setup, Introduced state, Stop input) {
        return Transition.to(new Over(true));
    }

    /** A failed first introduction leaves the rendezvous once the chat it ended stops. */
    private static Transition stopOver(Setup setup, Over state, Stop input) {
        return state.introduced() ? Transition.to(state) : Transition.to(state, new Leave());
    }

    private static Transition fail(Outcome.Failure failure) {
        return Transition.to(new Over(false), new Fail(failure));
    }

    private static Transition unreachable(Setup setup, Connecting state, Unreachable input) {
        return fail(Advice.unreachable(setup.rendezvous(), input.reason(), setup.localPort()));
    }

    private static Report natReport(NatVerdict verdict) {
        return new Report(new ChatEvent.Nat(verdict.observed().toString(), verdict.probed().toString(),
                verdict.consistent()));
    }

    private static Report punchingReport(Round round) {
        Message.Sync sync = round.sync();
        return new Report(new ChatEvent.Punching(sync.round(), sync.delayMillis(), sync.rttMillis(),
                round.candidates().stream().map(Candidate::toString).toList()));
    }

    private static Send failedResult(int round, String why) {
        return new Send(new Message.Result(round, simchat.rendezvous.protocol.Outcome.FAILED, null, why));
    }

    /**
     * Every transition. A row names a state (or a group of states: {@link Introducing}, {@link WithPeer},
     * {@link RoundUnderWay}) and an input; for a given state, its own row wins over its group's.
     */
    private static final Table TABLE = new Table()
            .upon(Connecting.class, Connected.class, IntroductionMachine::join)
            .upon(Connecting.class, Unreachable.class, IntroductionMachine::unreachable)
            .upon(Joining.class, Joined.class, IntroductionMachine::enter)
            .upon(Waiting.class, Probed.class, IntroductionMachine::judgeAlone)
            .upon(Waiting.class, ProbeFailed.class, IntroductionMachine::tryAnyway)
            .upon(Waiting.class, PeerArrived.class, IntroductionMachine::pair)
            .upon(Waiting.class, Synced.class, IntroductionMachine::noCandidates)
            .upon(WithPeer.class, Probed.class, IntroductionMachine::judge)
            .upon(WithPeer.class, ProbeFailed.class, IntroductionMachine::tryAnyway)
            .upon(Paired.class, Synced.class, IntroductionMachine::time)
            .upon(RoundUnderWay.class, Synced.class, IntroductionMachine::retime)
            .upon(Timing.class, DialTime.class, IntroductionMachine::dial)
            .upon(Punching.class, RoundWon.class, IntroductionMachine::win)
            .upon(Punching.class, RoundFailed.class, IntroductionMachine::miss)
            .upon(Punching.class, PortTaken.class, IntroductionMachine::portTaken)
            .upon(Won.class, HelloCompleted.class, IntroductionMachine::introduced)
            .upon(Won.class, HandshakeClosed.class, IntroductionMachine::handshakeLost)
            .upon(Won.class, Refused.class, IntroductionMachine::leftAfterWin)
            .upon(Introducing.class, HandshakeClosed.class, IntroductionMachine::earlierHandshakeLost)
            .upon(Introduced.class, Synced.class, IntroductionMachine::connectedAlready)
            .upon(Introducing.class, Refused.class, IntroductionMachine::refused)
            .upon(Introducing.class, Closed.class, IntroductionMachine::lost)
            .upon(RoundUnderWay.class, Closed.class, IntroductionMachine::carryOn)
            .upon(Introducing.class, Stop.class, IntroductionMachine::stop)
            .upon(Timing.class, Stop.class, IntroductionMachine::stopDialing)
            .upon(Punching.class, Stop.class, IntroductionMachine::stopDialing)
            .upon(Introduced.class, Stop.class, IntroductionMachine::stopIntroduced)
            .upon(Over.class, Stop.class, IntroductionMachine::stopOver)
            .upon(IntroductionState.class, RoundWon.class, IntroductionMachine::discard)
            .upon(AwaitingRelay.class, RelayGranted.class, IntroductionMachine::relay)
            .upon(Paired.class, RelayGranted.class, IntroductionMachine::relay)
            .upon(RoundUnderWay.class, RelayGranted.class, IntroductionMachine::relay)
            .upon(Relaying.class, RelaySpliced.class, IntroductionMachine::spliced)
            .upon(Relaying.class, RelayFailed.class, IntroductionMachine::relayFailed)
            .upon(Relaying.class, Stop.class, IntroductionMachine::stopRelaying)
            .upon(RelayHandedOver.class, HelloCompleted.class, IntroductionMachine::relayed)
            .upon(RelayHandedOver.class, RelayFailed.class, IntroductionMachine::relayClosed)
            .upon(RelayHandedOver.class, Stop.class, IntroductionMachine::stopRelayed)
            .upon(Relayed.class, Stop.class, IntroductionMachine::stopRelayed);

    /** One transition: what an input does in a state. */
    @FunctionalInterface
    private interface Rule<S extends IntroductionState, I extends IntroductionInput> {
        Transition apply(Setup setup, S state, I input);
    }

    /** The rows of transitions, looked up by the state's class, then by the groups it belongs to. */
    private static final class Table {

        private final Map<Class<?>, Map<Class<?>, Rule<IntroductionState, IntroductionInput>>> rows = new HashMap<>();

        <S extends IntroductionState, I extends IntroductionInput> Table upon(Class<S> state, Class<I> input,
                                                                             Rule<? super S, ? super I> rule) {
            Rule<IntroductionState, IntroductionInput> typed = (setup, s, i) ->
                    rule.apply(setup, state.cast(s), input.cast(i));
            if (rows.computeIfAbsent(state, c -> new HashMap<>()).putIfAbsent(input, typed) != null) {
                throw new IllegalStateException("two rows for " + state.getSimpleName() + " upon "
                        + input.getSimpleName());
            }
            return this;
        }

        Transition next(Setup setup, IntroductionState state, IntroductionInput input) {
            requireNonNull(setup, "setup");
            requireNonNull(state, "state");
            requireNonNull(input, "input");
            for (Class<?> c : lineage(state.getClass())) {
                Rule<IntroductionState, IntroductionInput> rule = rows.getOrDefault(c, Map.of()).get(input.getClass());
                if (rule != null) {
                    return rule.apply(setup, state, input);
                }
            }
            return Transition.to(state);
        }

        /** The class, then the groups (interfaces) it belongs to, nearest first. */
        private static List<Class<?>> lineage(Class<?> type) {
            List<Class<?>> all = new ArrayList<>(List.of(type));
            for (int i = 0; i < all.size(); i++) {
                for (Class<?> parent : all.get(i).getInterfaces()) {
                    if (!all.contains(parent)) {
                        all.add(parent);
                    }
                }
            }
            return all;
        }
    }
}
