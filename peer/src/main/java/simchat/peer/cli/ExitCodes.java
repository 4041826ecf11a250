package simchat.peer.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import simchat.peer.ExitCode;
import simchat.peer.Outcome;

/**
 * The one place where how a run ended becomes an exit code and the words that document it: the {@code --help}
 * list is generated from {@link #documented()}, and a test holds the README's "Exit codes" table to it.
 */
public final class ExitCodes {

    /** One documented exit code; {@code meaning} is Markdown (backticks for options and file names). */
    public record Code(int code, String meaning) {
    }

    static final Code ENDED = new Code(ExitCode.OK,
            "the chat ended normally: `bye` from either side, `/quit`, end of input");
    static final Code INTERNAL = new Code(ExitCode.INTERNAL, "internal error (a bug: please report it)");
    static final Code USAGE = new Code(ExitCode.USAGE,
            "usage error: bad option, unresolvable host, a `--remote` that is this peer itself");
    static final Code GAVE_UP = new Code(ExitCode.GAVE_UP, "`--give-up-after` elapsed before the peers connected");
    static final Code PORT_UNAVAILABLE = new Code(ExitCode.PORT_UNAVAILABLE,
            "the local port is unavailable: another program listens on it or keeps a connection open from it,"
                    + " another `bin/peer` is connected on the same port pair, or another `bin/peer` runs the same chat"
                    + " (its journal is locked); the line names the holder. A port pair held only by a connection in"
                    + " TIME_WAIT is waited for, not exit 4");
    static final Code CONNECTION_LOST = new Code(ExitCode.CONNECTION_LOST,
            "the connection was lost and not restored within `--give-up-after` (without that option a lost"
                    + " connection is dialled again, or met again through the rendezvous, until Ctrl-C); the journal"
                    + " keeps what was not delivered");
    static final Code PROTOCOL = new Code(ExitCode.PROTOCOL_ERROR,
            "protocol error: incompatible protocol version, malformed or oversized frames");
    static final Code PUNCH_IMPOSSIBLE = new Code(ExitCode.PUNCH_IMPOSSIBLE,
            "hole punching impossible (your NAT picks a new port per destination) or three timed rounds failed"
                    + " (rendezvous mode), and no relay: the rendezvous runs without `--relay`, one of you runs with"
                    + " `--no-relay` or `--plaintext` (or an older version), or the relay is full");
    static final Code RENDEZVOUS = new Code(ExitCode.RENDEZVOUS,
            "rendezvous problem: unreachable, unknown or expired room, room full, the other peer left before the"
                    + " connection was made, or the rendezvous' relay did not connect the peers (the other peer did not"
                    + " come within 10 s)");
    static final Code AUTHENTICATION = new Code(ExitCode.AUTHENTICATION_FAILED,
            "authentication failed: the other peer's key is not the `--trust` or the remembered one, it refused our"
                    + " key, the TLS handshake failed, or the room codes differ (one of you mistyped it, or"
                    + " someone is in the middle)");
    static final Code FILES = new Code(ExitCode.IDENTITY_UNAVAILABLE,
            "this peer's files cannot be used: the config directory is not writable, `identity.pem`, `known_peers`"
                    + " or a chat journal is damaged or readable by others, or a journal write failed (e.g. disk full)");
    /** Not an {@link Outcome}: the JVM's own status after SIGINT (128 + 2), once the shutdown hook said bye. */
    static final Code INTERRUPTED = new Code(130,
            "interrupted by SIGINT when not at a terminal (a `bye` is still sent if connected)");

    private static final List<Code> DOCUMENTED = List.of(ENDED, INTERNAL, USAGE, GAVE_UP, PORT_UNAVAILABLE,
            CONNECTION_LOST, PROTOCOL, PUNCH_IMPOSSIBLE, RENDEZVOUS, AUTHENTICATION, FILES, INTERRUPTED);

    private ExitCodes() {
    }

    /** The exit code a run with this outcome ends with, and what it means. */
    public static Code of(Outcome outcome) {
        // Java 17 has no pattern switch: ExitCodesTest checks that every permitted record lands here.
        if (outcome instanceof Outcome.Ended) {
            return ENDED;
        } else if (outcome instanceof Outcome.InternalError) {
            return INTERNAL;
        } else if (outcome instanceof Outcome.UsageError) {
            return USAGE;
        } else if (outcome instanceof Outcome.GaveUp) {
            return GAVE_UP;
        } else if (outcome instanceof Outcome.PortUnavailable) {
            return PORT_UNAVAILABLE;
        } else if (outcome instanceof Outcome.ConnectionLost) {
            return CONNECTION_LOST;
        } else if (outcome instanceof Outcome.ProtocolViolation) {
            return PROTOCOL;
        } else if (outcome instanceof Outcome.PunchImpossible) {
            return PUNCH_IMPOSSIBLE;
        } else if (outcome instanceof Outcome.RendezvousFailed) {
            return RENDEZVOUS;
        } else if (outcome instanceof Outcome.AuthenticationFailed) {
            return AUTHENTICATION;
        } else if (outcome instanceof Outcome.FilesUnusable) {
            return FILES;
        }
        throw new IllegalArgumentException("outcome: " + outcome + " (expected: one of Outcome's records)");
    }

    /** The exit code alone. */
    public static int code(Outcome outcome) {
        return of(outcome).code();
    }

    /** Every documented exit code, in the order the README's table and {@code --help} list them. */
    public static List<Code> documented() {
        return DOCUMENTED;
    }

    /** The {@code --help} exit-code list: code to meaning, in plain text. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (Code c : DOCUMENTED) {
            list.put(String.valueOf(c.code()), c.meaning().replace("`", ""));
        }
        return list;
    }
}
