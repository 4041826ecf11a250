package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;

/**
 * What happens to a rendezvous introduction: the rendezvous' frames and its connection ending (the {@link
 * RendezvousListener} callbacks), the NAT probe's answer, timers, hole-punch rounds ending, the chat's handshake,
 * and the chat stopping. Plain values: causes arrive already put into words, times as {@link System#nanoTime()}.
 */
sealed interface IntroductionInput {

    /** The connection to the rendezvous is open, from {@code ownPrivate}. */
    record Connected(Endpoint ownPrivate) implements IntroductionInput {
        public Connected {
            requireNonNull(ownPrivate, "ownPrivate");
        }
    }

    /** The connection to the rendezvous could not be opened, for {@code reason}. */
    record Unreachable(String reason) implements IntroductionInput {
        public Unreachable {
            requireNonNull(reason, "reason");
        }
    }

    /** The rendezvous put us in the room; {@code code} is the whole code (the joiner's, or the creator's new one). */
    record Joined(Message.Joined message, InviteCode code) implements IntroductionInput {
        public Joined {
            requireNonNull(message, "message");
            requireNonNull(code, "code");
        }
    }

    /** The probe port saw this peer's NAT map the local port to {@code probed}. */
    record Probed(Endpoint probed) implements IntroductionInput {
        public Probed {
            requireNonNull(probed, "probed");
        }
    }

    /** The probe port did not answer, for {@code reason}. */
    record ProbeFailed(String reason) implements IntroductionInput {
        public ProbeFailed {
            requireNonNull(reason, "reason");
        }
    }

    /** The other peer is in the room, as the rendezvous says at {@code nanos}. */
    record PeerArrived(Message.Peer peer, long nanos) implements IntroductionInput {
        public PeerArrived {
            requireNonNull(peer, "peer");
        }
    }

    /** The rendezvous timed a round. */
    record Synced(Message.Sync sync) implements IntroductionInput {
        public Synced {
            requireNonNull(sync, "sync");
        }
    }

    /** The delay that round {@code round}'s sync named is over: its SYNs leave now. */
    record DialTime(int round) implements IntroductionInput {
    }

    /** Round {@code round} connected to {@code winner} first. */
    record RoundWon(int round, Candidate winner) implements IntroductionInput {
        public RoundWon {
            requireNonNull(winner, "winner");
        }
    }

    /** Round {@code round} ended without a connection, for {@code why}. */
    record RoundFailed(int round, String why) implements IntroductionInput {
        public RoundFailed {
            requireNonNull(why, "why");
        }
    }

    /** Round {@code round} could not bind the fixed local port; {@code message} says why. */
    record PortTaken(int round, String message) implements IntroductionInput {
        public PortTaken {
            requireNonNull(message, "message");
        }
    }

    /** The connection round {@code round} won closed before the other peer's hello. */
    record HandshakeClosed(int round) implements IntroductionInput {
    }

    /** The other peer said hello on the won connection, at {@code nanos}. */
    record HelloCompleted(long nanos) implements IntroductionInput {
    }

    /** The rendezvous relays this pair: {@code relay} holds our token; it closes its connection next. */
    record RelayGranted(Message.Relay relay, long nanos) implements IntroductionInput {
        public RelayGranted {
            requireNonNull(relay, "relay");
        }
    }

    /** The relay spliced our connection to the other peer's. */
    record RelaySpliced() implements IntroductionInput {
    }

    /** The relay connection failed ({@code reason}), before it was spliced or before the other peer's hello. */
    record RelayFailed(String reason) implements IntroductionInput {
        public RelayFailed {
            requireNonNull(reason, "reason");
        }
    }

    /** The rendezvous sent an error; it closes the connection next. */
    record Refused(Message.Error error) implements IntroductionInput {
        public Refused {
            requireNonNull(error, "error");
        }
    }

    /** The rendezvous connection ended; {@code reason} is null for an orderly close. */
    record Closed(@Nullable String reason) implements IntroductionInput {
    }

    /** The chat is over (or no longer needs this introduction). */
    record Stop() implements IntroductionInput {
    }
}
