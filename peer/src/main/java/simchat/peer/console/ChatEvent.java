package simchat.peer.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import simchat.peer.Outcome;

/** Everything the user is told, rendered as text lines or, with {@code --json}, as JSON lines. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ChatEvent.Dialing.class, name = "dialing"),
        @JsonSubTypes.Type(value = ChatEvent.Progress.class, name = "progress"),
        @JsonSubTypes.Type(value = ChatEvent.Status.class, name = "status"),
        @JsonSubTypes.Type(value = ChatEvent.Connected.class, name = "connected"),
        @JsonSubTypes.Type(value = ChatEvent.MessageReceived.class, name = "message"),
        @JsonSubTypes.Type(value = ChatEvent.Sent.class, name = "sent"),
        @JsonSubTypes.Type(value = ChatEvent.Delivered.class, name = "delivered"),
        @JsonSubTypes.Type(value = ChatEvent.Warning.class, name = "warning"),
        @JsonSubTypes.Type(value = ChatEvent.Info.class, name = "info"),
        @JsonSubTypes.Type(value = ChatEvent.PeerLeft.class, name = "peer-left"),
        @JsonSubTypes.Type(value = ChatEvent.Left.class, name = "left"),
        @JsonSubTypes.Type(value = ChatEvent.Typing.class, name = "typing"),
        @JsonSubTypes.Type(value = ChatEvent.ConnectionLost.class, name = "connection-lost"),
        @JsonSubTypes.Type(value = ChatEvent.Failure.class, name = "error"),
        @JsonSubTypes.Type(value = ChatEvent.Room.class, name = "room"),
        @JsonSubTypes.Type(value = ChatEvent.Nat.class, name = "nat"),
        @JsonSubTypes.Type(value = ChatEvent.Punching.class, name = "punching"),
        @JsonSubTypes.Type(value = ChatEvent.Punched.class, name = "punched"),
        @JsonSubTypes.Type(value = ChatEvent.Relayed.class, name = "relayed"),
        @JsonSubTypes.Type(value = ChatEvent.OwnKey.class, name = "own-key"),
        @JsonSubTypes.Type(value = ChatEvent.PeerKey.class, name = "peer-key"),
        @JsonSubTypes.Type(value = ChatEvent.KeyChanged.class, name = "key-changed"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ChatEvent {

    /** Dialing has started from {@code local} toward {@code remote}. */
    record Dialing(String local, String remote) implements ChatEvent {
    }

    /** Still dialing: attempts so far, milliseconds since the first, how the last attempt ended. */
    record Progress(int attempts, long millis, String last) implements ChatEvent {
    }

    /** Anything else worth a line; {@code verbose} ones are shown only with {@code -v}. */
    record Status(String text, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean verbose) implements ChatEvent {
        public Status(String text) {
            this(text, false);
        }
    }

    /** The simultaneous open completed and the peer said hello. */
    record Connected(String peer, String remote, String local, long millis, int attempts) implements ChatEvent {
    }

    /**
     * A chat message from the peer; {@code time} is the sender's clock in epoch milliseconds; {@code kind} is
     * {@code "action"} for a {@code /me} line, else null. A line the peer sent in {@code parts} (more than one,
     * else 0 and left out of the JSON) is one message: {@code seq} is its last part's, {@code id}, {@code time}
     * and {@code kind} its first part's, {@code text} all of it.
     */
    record MessageReceived(String from, long seq, String id, long time, String text, String kind,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT) int parts) implements ChatEvent {
        /** An ordinary message sent in one piece. */
        public MessageReceived(String from, long seq, String id, long time, String text) {
            this(from, seq, id, time, text, null, 0);
        }

        /** A message of {@code kind} sent in one piece. */
        public MessageReceived(String from, long seq, String id, long time, String text, String kind) {
            this(from, seq, id, time, text, kind, 0);
        }

        /** An ordinary message sent in {@code parts}. */
        public MessageReceived(String from, long seq, String id, long time, String text, int parts) {
            this(from, seq, id, time, text, null, parts);
        }

        /** Whether the peer sent this with {@code /me}. */
        public boolean action() {
            return simchat.peer.wire.Chat.ACTION.equals(kind);
        }
    }

    /**
     * One of our lines was queued for the peer (sent at once if connected); {@link Delivered} with its
     * {@code seq} follows once the peer has shown it. {@code kind} as in {@link MessageReceived}.
     */
    record Sent(long seq, String id, long time, String text, String kind) implements ChatEvent {

        /** Whether the user typed this with {@code /me}. */
        public boolean action() {
            return simchat.peer.wire.Chat.ACTION.equals(kind);
        }
    }

    /** Something the user should notice but that does not end the chat, e.g. an unknown command. */
    record Warning(String text) implements ChatEvent {
    }

    /**
     * The answer to {@code /info}: the connection and the chat's counters. Null fields are unknown (not
     * connected, not measured yet, or plaintext).
     */
    record Info(String peer, String remote, String local, String path, Double rttMillis, String tls,
                String cipherSuite, String ownFingerprint, String peerFingerprint, String trust, long uptimeSeconds,
                Long connectedSeconds, long sent, long received, int queued) implements ChatEvent {
    }

    /** The peer confirmed that our message {@code seq} arrived. */
    record Delivered(long seq) implements ChatEvent {
    }

    /** The peer left on purpose ({@code bye}); {@code reason} is null for an ordinary goodbye. */
    record PeerLeft(String peer, String reason) implements ChatEvent {
    }

    /**
     * This peer left on purpose: {@code reason} is {@code quit} ({@code /quit}), {@code end-of-input} (Ctrl-D, the
     * end of a pipe) or {@code interrupted} (SIGINT); {@code undelivered} lines were not confirmed as delivered.
     */
    record Left(String reason, int undelivered) implements ChatEvent {
    }

    /**
     * The peer's user is typing ({@code active}), or no longer seems to be: a message arrived, nothing came for a
     * while, or the link went. Never a line of its own at a terminal, which shows it where nothing scrolls.
     */
    record Typing(String peer, boolean active) implements ChatEvent {
    }

    /**
     * The link to the peer died without a bye ({@code reason}: reset, closed, silent); the chat goes on
     * and this peer dials again. Lines typed meanwhile are queued.
     */
    record ConnectionLost(String peer, String reason) implements ChatEvent {
    }

    /**
     * Something went wrong and the chat ends with {@code outcome}; the exit code in the JSON line is filled in
     * when it is rendered ({@code {"event":"error","code":N,"message":...}}).
     */
    record Failure(Outcome.Failure outcome) implements ChatEvent {
        public Failure {
            requireNonNull(outcome, "outcome");
        }

        /** What went wrong, in one line for the user. */
        public String message() {
            return outcome.message();
        }
    }

    /**
     * We are in a rendezvous room: its code, whether we created it, our public endpoint as the
     * rendezvous saw it, whether our NAT kept our local port, our role, and whether there is a NAT at all
     * ({@code translated}: the rendezvous saw another address than the one we connected from).
     */
    record Room(String code, boolean created, String observed, boolean portPreserved, String role,
                boolean translated) implements ChatEvent {
    }

    /**
     * What the probe showed about our NAT: the public endpoint a second destination saw; {@code consistent}
     * means the same mapping for both destinations, which hole punching needs.
     */
    record Nat(String observed, String probed, boolean consistent) implements ChatEvent {
    }

    /** A timed round of hole punching starts: dial these candidates after {@code delayMillis}. */
    record Punching(int round, long delayMillis, double rttMillis, java.util.List<String> candidates)
            implements ChatEvent {
    }

    /** The hole punch worked: {@code candidate} (public or private) {@code via} connected in this round. */
    record Punched(String candidate, String via, int round, double rttMillis, long millis) implements ChatEvent {
    }

    /**
     * No direct path could work ({@code why}): the chat goes through the relay at {@code relay}, which carries
     * only the peers' own TLS, with {@code "path":"relay"} for programs.
     */
    record Relayed(String relay, String why, long millis) implements ChatEvent {
        @com.fasterxml.jackson.annotation.JsonProperty("path")
        public String path() {
            return "relay";
        }
    }

    /** This peer's key: its fingerprint for the other person to compare, and where it is stored. */
    record OwnKey(String fingerprint, String file, boolean created) implements ChatEvent {
    }

    /**
     * TLS is up: the other peer's key and why it is trusted ({@code pinned}, {@code known}, {@code new},
     * {@code room-code} or {@code unverified}); {@code endpoint} is the known-peers entry, if one is used.
     */
    record PeerKey(String fingerprint, String trust, String endpoint) implements ChatEvent {
    }

    /**
     * An event of a file transfer ({@code simchat.peer.files.FileEvents}); {@link #line(boolean)} is its text line.
     * Each type names itself for JSON with {@code @JsonTypeName}.
     */
    non-sealed interface FileEvent extends ChatEvent {
        /** The text line, or null when it is shown only with {@code -v} and {@code verbose} is off. */
        String line(boolean verbose);
    }

    /** The peer at {@code endpoint} presented another key than the one remembered in {@code file}. */
    record KeyChanged(String endpoint, String remembered, String presented, String file) implements ChatEvent {
    }
}
