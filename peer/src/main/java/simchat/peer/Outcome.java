package simchat.peer;

import static java.util.Objects.requireNonNull;

/**
 * How a run of the chat ended, as a value: the chat's core reports one of these and only the command line
 * (the edge) turns it into an exit code and words ({@code simchat.peer.cli.ExitCodes}).
 */
public sealed interface Outcome {

    /** The chat ended on purpose: a bye from either side, {@code /quit}, end of input, or quitting while dialing. */
    record Ended() implements Outcome {
    }

    /** Something kept the chat from going on; {@link #message()} says what, in one line for the user. */
    sealed interface Failure extends Outcome {
        String message();
    }

    /** A bug: an unexpected exception. */
    record InternalError(String message) implements Failure {
        public InternalError {
            requireNonNull(message, "message");
        }
    }

    /** The command line cannot work: an unresolvable host, a peer dialing itself. */
    record UsageError(String message) implements Failure {
        public UsageError {
            requireNonNull(message, "message");
        }
    }

    /** {@code --give-up-after} elapsed before the first connection. */
    record GaveUp(String message) implements Failure {
        public GaveUp {
            requireNonNull(message, "message");
        }
    }

    /** The local port or port pair is taken (another program, another peer process on the same chat). */
    record PortUnavailable(String message) implements Failure {
        public PortUnavailable {
            requireNonNull(message, "message");
        }
    }

    /** The connection was lost and not restored within {@code --give-up-after} (or cannot be restored). */
    record ConnectionLost(String message) implements Failure {
        public ConnectionLost {
            requireNonNull(message, "message");
        }
    }

    /** The other side broke the protocol: incompatible version, malformed or oversized frames. */
    record ProtocolViolation(String message) implements Failure {
        public ProtocolViolation {
            requireNonNull(message, "message");
        }
    }

    /** Hole punching cannot work from here (symmetric NAT) or failed in every round. */
    record PunchImpossible(String message) implements Failure {
        public PunchImpossible {
            requireNonNull(message, "message");
        }
    }

    /** The rendezvous could not introduce the peers: unreachable, unknown or expired room, room full, peer left. */
    record RendezvousFailed(String message) implements Failure {
        public RendezvousFailed {
            requireNonNull(message, "message");
        }
    }

    /** The peers could not authenticate each other (key, room code, TLS handshake). */
    record AuthenticationFailed(String message) implements Failure {
        public AuthenticationFailed {
            requireNonNull(message, "message");
        }
    }

    /** This peer's own files (config directory, identity, known peers, chat journal) cannot be used. */
    record FilesUnusable(String message) implements Failure {
        public FilesUnusable {
            requireNonNull(message, "message");
        }
    }
}
