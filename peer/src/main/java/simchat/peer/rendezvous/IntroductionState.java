package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.util.List;

import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;

/**
 * Where a rendezvous introduction stands: one record per state, each holding only what is known in it.
 * {@link IntroductionMachine} lists how each state moves on.
 */
sealed interface IntroductionState {

    /** Any state before the introduction is done: the rendezvous' errors and its going away end it. */
    sealed interface Introducing extends IntroductionState {
    }

    /** The other peer is known: from its arrival until it said hello on a hole-punched connection. */
    sealed interface WithPeer extends Introducing {
        Pairing pairing();

        /** The same state with {@code changed} instead of its pairing. */
        WithPeer with(Pairing changed);
    }

    /** A timed round is under way: from its {@code sync} until it failed or the other peer said hello. */
    sealed interface RoundUnderWay extends WithPeer {
        Round round();

        /** The same state, noting that the rendezvous went away during the round ({@code gone} says how). */
        RoundUnderWay without(String gone);
    }

    /** Opening the connection to the rendezvous, from the fixed local port. */
    record Connecting() implements Introducing {
    }

    /** Connected from {@code ownPrivate}; {@code join} (or {@code meet}) sent, waiting for {@code joined}. */
    record Joining(Endpoint ownPrivate) implements Introducing {
        public Joining {
            requireNonNull(ownPrivate, "ownPrivate");
        }
    }

    /** In the room, waiting for the other peer; {@code nat} is null until (unless) the NAT check answered. */
    record Waiting(Self self, @Nullable NatVerdict nat) implements Introducing {
        public Waiting {
            requireNonNull(self, "self");
        }
    }

    /** Both peers are in the room: waiting for the rendezvous to time a round (again, after a failed one). */
    record Paired(Pairing pairing) implements WithPeer {
        public Paired {
            requireNonNull(pairing, "pairing");
        }

        @Override
        public Paired with(Pairing changed) {
            return new Paired(changed);
        }
    }

    /** The round is armed; its SYNs leave when the delay the {@code sync} named is over. */
    record Timing(Pairing pairing, Round round) implements RoundUnderWay {
        public Timing {
            requireNonNull(pairing, "pairing");
            requireNonNull(round, "round");
        }

        @Override
        public Timing with(Pairing changed) {
            return new Timing(changed, round);
        }

        @Override
        public Timing without(String gone) {
            return new Timing(pairing, round.without(gone));
        }
    }

    /** The round's dialers are out, every candidate at once, until the first connects or the window ends. */
    record Punching(Pairing pairing, Round round) implements RoundUnderWay {
        public Punching {
            requireNonNull(pairing, "pairing");
            requireNonNull(round, "round");
        }

        @Override
        public Punching with(Pairing changed) {
            return new Punching(changed, round);
        }

        @Override
        public Punching without(String gone) {
            return new Punching(pairing, round.without(gone));
        }
    }

    /** {@code winner} connected; its connection went to the chat, whose handshake decides the round. */
    record Won(Pairing pairing, Round round, Candidate winner) implements RoundUnderWay {
        public Won {
            requireNonNull(pairing, "pairing");
            requireNonNull(round, "round");
            requireNonNull(winner, "winner");
        }

        @Override
        public Won with(Pairing changed) {
            return new Won(changed, round, winner);
        }

        @Override
        public Won without(String gone) {
            return new Won(pairing, round.without(gone), winner);
        }
    }

    /** The other peer said hello over {@code winner} and the rendezvous was told: the introduction is done. */
    record Introduced(Candidate winner) implements IntroductionState {
        public Introduced {
            requireNonNull(winner, "winner");
        }
    }

    /**
     * No direct path can work ({@code why}): {@code relay-request} sent, waiting for the rendezvous' tokens; its
     * errors and its going away still end the introduction.
     */
    record AwaitingRelay(Pairing pairing, String why) implements Introducing {
        public AwaitingRelay {
            requireNonNull(pairing, "pairing");
            requireNonNull(why, "why");
        }
    }

    /**
     * The rendezvous relays us ({@code why}: no direct path, as it said at {@code grantedNanos}): connecting to its
     * relay with our token until spliced. The rendezvous closing its introduction connection is expected now.
     */
    record Relaying(String why, long grantedNanos) implements IntroductionState {
        public Relaying {
            requireNonNull(why, "why");
        }
    }

    /** Spliced: the relayed connection went to the chat, whose handshake (TLS, room code, hello) decides. */
    record RelayHandedOver(String why, long grantedNanos) implements IntroductionState {
        public RelayHandedOver {
            requireNonNull(why, "why");
        }
    }

    /** The other peer said hello through the relay: the introduction is done, relayed. */
    record Relayed(String why) implements IntroductionState {
        public Relayed {
            requireNonNull(why, "why");
        }
    }

    /** Nothing more happens: failed, or stopped ({@code introduced}: after the introduction was done). */
    record Over(boolean introduced) implements IntroductionState {
    }

    /** What the rendezvous connection showed of this peer: its local endpoint and the public one seen. */
    record Self(Endpoint ownPrivate, Endpoint observed) {
        public Self {
            requireNonNull(ownPrivate, "ownPrivate");
            requireNonNull(observed, "observed");
        }
    }

    /**
     * This peer and the other: the NAT check's verdict (null while unknown: then every candidate is tried),
     * the other peer, the candidates to dial, and when it arrived ({@link System#nanoTime()}).
     */
    record Pairing(Self self, @Nullable NatVerdict nat, Message.Peer peer, List<Candidate> candidates,
                   long pairedNanos) {
        public Pairing {
            requireNonNull(self, "self");
            requireNonNull(peer, "peer");
            candidates = List.copyOf(candidates);
        }

        Pairing with(NatVerdict verdict) {
            return new Pairing(self, requireNonNull(verdict, "verdict"), peer, candidates, pairedNanos);
        }

        Pairing dialling(List<Candidate> only) {
            return new Pairing(self, nat, peer, only, pairedNanos);
        }
    }

    /**
     * The round the rendezvous timed, the candidates it dials, and why the rendezvous went away during it (null
     * while it is there).
     */
    record Round(Message.Sync sync, List<Candidate> candidates, @Nullable String gone) {
        public Round {
            requireNonNull(sync, "sync");
            candidates = List.copyOf(candidates);
        }

        int number() {
            return sync.round();
        }

        Round without(String why) {
            return new Round(sync, candidates, requireNonNull(why, "why"));
        }
    }
}
