package simchat.rendezvous.protocol;

/**
 * The {@code code} values of {@link Message.Error}; after sending one the rendezvous closes the
 * connection.
 */
public final class ErrorCode {
    /** The frame is not valid UTF-8 JSON of a known message type, or a field is invalid. */
    public static final String BAD_REQUEST = "bad-request";
    /** A frame exceeded {@link Protocol#MAX_FRAME_BYTES}. */
    public static final String FRAME_TOO_LONG = "frame-too-long";
    /** A frame was started but not ended (newline) within the frame timeout: a slow or stuck sender. */
    public static final String FRAME_TIMEOUT = "frame-timeout";
    /** Too many connections from the same address have not joined yet. */
    public static final String TOO_MANY_CONNECTIONS = "too-many-connections";
    /** A well-formed message that is not allowed in the connection's current state. */
    public static final String UNEXPECTED_MESSAGE = "unexpected-message";
    /** {@code join} named a room that does not exist (mistyped, expired or already finished). */
    public static final String UNKNOWN_ROOM = "unknown-room";
    /** {@code join} named a room that already has two peers. */
    public static final String ROOM_FULL = "room-full";
    /** Nobody joined the room within the room time-to-live. */
    public static final String ROOM_EXPIRED = "room-expired";
    /** Nothing was received for too long (no {@code join}, or no {@code pong} to keep-alives). */
    public static final String IDLE_TIMEOUT = "idle-timeout";
    /** The other peer disconnected before the hole punch completed. */
    public static final String PEER_LEFT = "peer-left";
    /** All rounds of the hole punch failed. */
    public static final String PUNCH_FAILED = "punch-failed";
    /** A relay was asked for, but the rendezvous does not relay this pair (off, or a peer does not accept it). */
    public static final String RELAY_UNAVAILABLE = "relay-unavailable";
    /** The relay is at its limit of pairs (in all, or from these addresses). */
    public static final String RELAY_FULL = "relay-full";
    /** {@code splice} named a token that was never issued, has expired or was used already. */
    public static final String UNKNOWN_TOKEN = "unknown-token";
    /** The other peer did not splice within the token's lifetime. */
    public static final String RELAY_TIMEOUT = "relay-timeout";
    /** The rendezvous failed unexpectedly. */
    public static final String INTERNAL_ERROR = "internal-error";

    private ErrorCode() {
    }
}
