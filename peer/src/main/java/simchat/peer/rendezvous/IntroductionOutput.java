package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.util.List;

import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.rendezvous.protocol.Message;

/**
 * What a rendezvous introduction does, as values that {@link IntroductionMachine} returns and the
 * {@link Introduction} shell performs, in order, through {@link Effects}.
 */
sealed interface IntroductionOutput {

    void perform(Effects effects);

    /** The side effects an introduction has: the one narrow way out of the machine; called on the event loop. */
    interface Effects {

        /** Writes {@code message} to the rendezvous, if its connection is still open. */
        void send(Message message);

        void report(ChatEvent event);

        /** Asks the rendezvous' probe port, from the fixed local port, which public endpoint it sees. */
        void probe(int probePort);

        /** Builds the next round ahead of its sync, so that its timed start only has to send SYNs. */
        void prepare(List<Candidate> candidates);

        /** The prepared round (built anew if its candidates are not these) becomes the round under way. */
        void arm(List<Candidate> candidates);

        /** Feeds {@link IntroductionInput.DialTime} once the delay of {@code sync} is over. */
        void scheduleDial(Message.Sync sync);

        /** Sends the round's first SYNs now, from the calling thread; its end comes back as an input. */
        void startRound(int round);

        /** Stops the round under way, if any, for {@code reason}. */
        void abandonRound(String reason);

        /** Closes the connection that won a round whose handshake is no longer wanted. */
        void closeWinner();

        /** Gives the won connection to the chat, whose handshake then decides round {@code round}. */
        void handOver(int round);

        /** Closes the connection to the rendezvous. */
        void leave();

        /** Connects to the rendezvous' relay and splices with {@code token}; the end comes back as an input. */
        void splice(String token);

        /** Gives the spliced relay connection to the chat, whose handshake then decides. */
        void handOverRelay();

        /** Closes the relay connection that was not handed over yet, if any. */
        void abandonRelay();

        /** Ends the introduction without a connection: the first one ends the chat, meeting again retries. */
        void fail(Outcome.Failure failure);
    }

    /** Write a frame to the rendezvous. */
    record Send(Message message) implements IntroductionOutput {
        public Send {
            requireNonNull(message, "message");
        }

        @Override
        public void perform(Effects effects) {
            effects.send(message);
        }
    }

    /** Tell the user (or the {@code --json} reader) what happened. */
    record Report(ChatEvent event) implements IntroductionOutput {
        public Report {
            requireNonNull(event, "event");
        }

        @Override
        public void perform(Effects effects) {
            effects.report(event);
        }
    }

    /** Check the NAT at the rendezvous' probe port. */
    record Probe(int probePort) implements IntroductionOutput {
        @Override
        public void perform(Effects effects) {
            effects.probe(probePort);
        }
    }

    /** Build the next round ahead of its sync. */
    record Prepare(List<Candidate> candidates) implements IntroductionOutput {
        public Prepare {
            candidates = List.copyOf(candidates);
        }

        @Override
        public void perform(Effects effects) {
            effects.prepare(candidates);
        }
    }

    /** Make the prepared round the one under way. */
    record Arm(List<Candidate> candidates) implements IntroductionOutput {
        public Arm {
            candidates = List.copyOf(candidates);
        }

        @Override
        public void perform(Effects effects) {
            effects.arm(candidates);
        }
    }

    /** Start the armed round once the sync's delay is over. */
    record ScheduleDial(Message.Sync sync) implements IntroductionOutput {
        public ScheduleDial {
            requireNonNull(sync, "sync");
        }

        @Override
        public void perform(Effects effects) {
            effects.scheduleDial(sync);
        }
    }

    /** Send the armed round's first SYNs now. */
    record StartRound(int round) implements IntroductionOutput {
        @Override
        public void perform(Effects effects) {
            effects.startRound(round);
        }
    }

    /** Stop the round under way. */
    record AbandonRound(String reason) implements IntroductionOutput {
        public AbandonRound {
            requireNonNull(reason, "reason");
        }

        @Override
        public void perform(Effects effects) {
            effects.abandonRound(reason);
        }
    }

    /** Close a won connection that is no longer wanted. */
    record CloseWinner() implements IntroductionOutput {
        @Override
        public void perform(Effects effects) {
            effects.closeWinner();
        }
    }

    /** Give the won connection to the chat for its handshake. */
    record HandOver(int round) implements IntroductionOutput {
        @Override
        public void perform(Effects effects) {
            effects.handOver(round);
        }
    }

    /** Close the connection to the rendezvous. */
    record Leave() implements IntroductionOutput {
        @Override
        public void perform(Effects effects) {
            effects.leave();
        }
    }

    /** Connect to the relay with our token. */
    record Splice(String token) implements IntroductionOutput {
        public Splice {
            requireNonNull(token, "token");
        }

        @Override
        public void perform(Effects effects) {
            effects.splice(token);
        }
    }

    /** Give the spliced relay connection to the chat. */
    record HandOverRelay() implements IntroductionOutput {
        @Override
        public void perform(Effects effects) {
            effects.handOverRelay();
        }
    }

    /** Close a relay connection not handed over yet. */
    record AbandonRelay() implements IntroductionOutput {
        @Override
        public void perform(Effects effects) {
            effects.abandonRelay();
        }
    }

    /** End the introduction without a connection. */
    record Fail(Outcome.Failure failure) implements IntroductionOutput {
        public Fail {
            requireNonNull(failure, "failure");
        }

        @Override
        public void perform(Effects effects) {
            effects.fail(failure);
        }
    }
}
