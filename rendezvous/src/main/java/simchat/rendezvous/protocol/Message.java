package simchat.rendezvous.protocol;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Every frame of the rendezvous protocol: one JSON object per line, told apart by its {@code type}.
 * See {@code rendezvous/PROTOCOL.md} for the conversation; field checks live in the constructors so
 * that a frame which decodes is also valid.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(Message.Join.class),
    @JsonSubTypes.Type(Message.Meet.class),
    @JsonSubTypes.Type(Message.Joined.class),
    @JsonSubTypes.Type(Message.Peer.class),
    @JsonSubTypes.Type(Message.Ping.class),
    @JsonSubTypes.Type(Message.Pong.class),
    @JsonSubTypes.Type(Message.Sync.class),
    @JsonSubTypes.Type(Message.Result.class),
    @JsonSubTypes.Type(Message.Probe.class),
    @JsonSubTypes.Type(Message.Observed.class),
    @JsonSubTypes.Type(Message.Error.class),
    @JsonSubTypes.Type(Message.RelayRequest.class),
    @JsonSubTypes.Type(Message.Relay.class),
    @JsonSubTypes.Type(Message.Splice.class),
    @JsonSubTypes.Type(Message.Spliced.class),
})
public sealed interface Message {

    /** Longest room code or peer name accepted, in characters. */
    int MAX_TEXT = 64;

    /** A relay token: 128 random bits. */
    Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");

    /**
     * Peer → rendezvous, first frame: create a room ({@code room} absent) or enter an existing one.
     *
     * @param room            the code read out by the other person, or {@code null} to get a fresh one
     * @param privateEndpoint the peer's own local address and fixed port, for peers behind the same NAT
     * @param name            an optional display name shown to the other peer
     * @param relay           true if the peer accepts being relayed when no direct path can work; absent (an
     *                        older peer, or {@code --no-relay}) means never
     */
    @JsonTypeName("join")
    record Join(@Nullable String room,
                @JsonProperty("private") Endpoint privateEndpoint,
                @Nullable String name,
                @Nullable Boolean relay) implements Message {
        @JsonCreator
        public Join {
            checkText(room, "room");
            requireNonNull(privateEndpoint, "private");
            checkText(name, "name");
        }

        /** A join that does not accept relaying. */
        public Join(@Nullable String room, Endpoint privateEndpoint, @Nullable String name) {
            this(room, privateEndpoint, name, null);
        }

        /** True if the peer accepts being relayed. */
        public boolean acceptsRelay() {
            return Boolean.TRUE.equals(relay);
        }
    }

    /**
     * Peer → rendezvous, first frame instead of {@link Join}: two peers that were introduced before meet
     * again, after their connection was lost, in a room named by a secret only the two of them know. The
     * first to arrive creates the room under that name, the second enters it; then it goes on as after a
     * join.
     *
     * @param room            32 lowercase hex digits, derived by both peers from what they exchanged
     * @param privateEndpoint the peer's own local address and fixed port
     * @param name            an optional display name shown to the other peer
     * @param relay           true if the peer accepts being relayed, as in {@link Join}
     */
    @JsonTypeName("meet")
    record Meet(String room,
                @JsonProperty("private") Endpoint privateEndpoint,
                @Nullable String name,
                @Nullable Boolean relay) implements Message {

        private static final Pattern PLACE = Pattern.compile("[0-9a-f]{32}");

        /** A meeting that does not accept relaying. */
        public Meet(String room, Endpoint privateEndpoint, @Nullable String name) {
            this(room, privateEndpoint, name, null);
        }

        /** True if the peer accepts being relayed. */
        public boolean acceptsRelay() {
            return Boolean.TRUE.equals(relay);
        }

        @JsonCreator
        public Meet {
            requireNonNull(room, "room");
            if (!PLACE.matcher(room).matches()) {
                throw new IllegalArgumentException("room: \"" + room + "\" (expected: 32 lowercase hex digits)");
            }
            requireNonNull(privateEndpoint, "private");
            checkText(name, "name");
        }
    }

    /**
     * Rendezvous → peer: the peer is in the room.
     *
     * @param room      the room code to read to the other person
     * @param observed  the peer's address as the rendezvous sees it: its public NAT mapping
     * @param role      the peer's role in the pair
     * @param probePort a second rendezvous port for a {@link Probe} from the same local port, or
     *                  {@code null} if the rendezvous has none
     */
    @JsonTypeName("joined")
    record Joined(String room, Endpoint observed, Role role, @Nullable Integer probePort)
            implements Message {
        public Joined {
            requireNonNull(room, "room");
            requireNonNull(observed, "observed");
            requireNonNull(role, "role");
            if (probePort != null) {
                checkPort(probePort, "probePort");
            }
        }
    }

    /**
     * Rendezvous → peer, once both are in the room: the other peer's candidate endpoints.
     *
     * @param publicEndpoint  the other peer's observed (NAT-mapped) endpoint
     * @param privateEndpoint the other peer's local endpoint, as it declared it
     * @param role            the receiver's own role (repeated from {@link Joined})
     * @param name            the other peer's display name, if it gave one
     * @param relay           true if the rendezvous can relay this pair (it relays, and both peers accept it);
     *                        absent means it cannot
     */
    @JsonTypeName("peer")
    record Peer(@JsonProperty("public") Endpoint publicEndpoint,
                @JsonProperty("private") Endpoint privateEndpoint,
                Role role,
                @Nullable String name,
                @Nullable Boolean relay) implements Message {
        @JsonCreator
        public Peer {
            requireNonNull(publicEndpoint, "public");
            requireNonNull(privateEndpoint, "private");
            requireNonNull(role, "role");
            checkText(name, "name");
        }

        /** The other peer, for a pair the rendezvous cannot relay. */
        public Peer(Endpoint publicEndpoint, Endpoint privateEndpoint, Role role, @Nullable String name) {
            this(publicEndpoint, privateEndpoint, role, name, null);
        }

        /** True if the rendezvous can relay this pair. */
        public boolean relayable() {
            return Boolean.TRUE.equals(relay);
        }
    }

    /** Rendezvous → peer: answer with a {@link Pong} carrying the same {@code seq} at once. */
    @JsonTypeName("ping")
    record Ping(long seq) implements Message {
        public Ping {
            checkSeq(seq);
        }
    }

    /** Peer → rendezvous: the answer to {@link Ping}; used both as keep-alive and to measure RTT. */
    @JsonTypeName("pong")
    record Pong(long seq) implements Message {
        public Pong {
            checkSeq(seq);
        }
    }

    /**
     * Rendezvous → peer: start dialling every candidate of {@link Peer} after {@code delayMillis}
     * (0 = at once), abandoning whatever an earlier round left.
     *
     * @param round       1-{@link Protocol#MAX_ROUNDS}
     * @param delayMillis how long to wait before the first SYN, so that both peers' SYNs cross
     * @param rttMillis   the round-trip time the rendezvous measured to this peer
     */
    @JsonTypeName("sync")
    record Sync(int round, long delayMillis, double rttMillis) implements Message {
        public Sync {
            checkRound(round);
            if (delayMillis < 0) {
                throw new IllegalArgumentException("delayMillis: " + delayMillis + " (expected: >= 0)");
            }
            if (!(rttMillis >= 0)) {
                throw new IllegalArgumentException("rttMillis: " + rttMillis + " (expected: >= 0)");
            }
        }
    }

    /**
     * Peer → rendezvous: how the round went. A failure from either peer starts the next round.
     *
     * @param round   the round of the {@link Sync} this answers
     * @param outcome connected or failed
     * @param via     the candidate that connected, if any
     * @param detail  a short human-readable explanation, if any
     */
    @JsonTypeName("result")
    record Result(int round, Outcome outcome, @Nullable Endpoint via, @Nullable String detail)
            implements Message {
        public Result {
            checkRound(round);
            requireNonNull(outcome, "outcome");
            if (detail != null && detail.length() > 256) {
                throw new IllegalArgumentException(
                        "detail: " + detail.length() + " characters (expected: at most 256)");
            }
        }
    }

    /**
     * Peer → rendezvous, only frame of a probe connection (to {@link Joined#probePort()}, from the
     * same local port): asks for a second observation of the peer's NAT mapping.
     */
    @JsonTypeName("probe")
    record Probe() implements Message {
    }

    /** Rendezvous → peer: the answer to {@link Probe}; the rendezvous then closes the connection. */
    @JsonTypeName("observed")
    record Observed(Endpoint observed) implements Message {
        public Observed {
            requireNonNull(observed, "observed");
        }
    }

    /**
     * Rendezvous → peer, last frame before the rendezvous closes the connection.
     *
     * @param code    one of {@link ErrorCode}, stable for programs
     * @param message a sentence for humans
     */
    @JsonTypeName("error")
    record Error(String code, String message) implements Message {
        public Error {
            requireNonNull(code, "code");
            requireNonNull(message, "message");
        }
    }

    /**
     * Peer → rendezvous, after {@link Peer} said the pair is relayable: no direct path can work from here
     * ({@code detail} says why, in words the other peer is shown too); relay us now.
     */
    @JsonTypeName("relay-request")
    record RelayRequest(String detail) implements Message {
        public RelayRequest {
            requireNonNull(detail, "detail");
            checkDetail(detail);
        }
    }

    /**
     * Rendezvous → peer, then close: connect to the rendezvous' own port again and {@link Splice} with {@code
     * token} within {@link Protocol#RELAY_TOKEN_SECONDS} s; the other peer got a token of its own.
     *
     * @param token  32 lowercase hex digits, this peer's alone and good for one connection
     * @param detail why no direct path can work, for both peers to show
     */
    @JsonTypeName("relay")
    record Relay(String token, String detail) implements Message {
        public Relay {
            checkToken(token);
            requireNonNull(detail, "detail");
            checkDetail(detail);
        }
    }

    /**
     * Peer → rendezvous, only frame of a relay connection: splice me to the other peer of {@code token}'s pair.
     * After {@link Spliced}, every byte either peer sends reaches the other unchanged.
     */
    @JsonTypeName("splice")
    record Splice(String token) implements Message {
        public Splice {
            checkToken(token);
        }
    }

    /** Rendezvous → peer: both peers of the pair are here; from the next byte on the connection is theirs. */
    @JsonTypeName("spliced")
    record Spliced() implements Message {
    }

    private static void checkToken(String token) {
        requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("token: \"" + token + "\" (expected: 32 lowercase hex digits)");
        }
    }

    private static void checkDetail(String detail) {
        if (detail.length() > 512) {
            throw new IllegalArgumentException("detail: " + detail.length() + " characters (expected: at most 512)");
        }
    }

    private static void checkText(@Nullable String value, String field) {
        if (value != null && (value.isBlank() || value.length() > MAX_TEXT)) {
            throw new IllegalArgumentException(
                    field + ": \"" + value + "\" (expected: 1-" + MAX_TEXT + " characters)");
        }
    }

    private static void checkPort(int port, String field) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + ": " + port + " (expected: 1-65535)");
        }
    }

    private static void checkSeq(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: >= 0)");
        }
    }

    private static void checkRound(int round) {
        if (round < 1 || round > Protocol.MAX_ROUNDS) {
            throw new IllegalArgumentException(
                    "round: " + round + " (expected: 1-" + Protocol.MAX_ROUNDS + ")");
        }
    }
}
