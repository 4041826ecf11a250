package simchat.peer;

/** The documented exit codes of {@code bin/peer}. */
public final class ExitCode {

    /** The chat ended normally: this side or the peer said bye (also {@code /quit}, end of input). */
    public static final int OK = 0;
    /** An unexpected internal error; please report it. */
    public static final int INTERNAL = 1;
    /** Bad arguments: unknown option, bad port or address, unresolvable host, a peer dialing itself. */
    public static final int USAGE = 2;
    /** {@code --give-up-after} elapsed before the peers connected. */
    public static final int GAVE_UP = 3;
    /** The fixed local port could not be bound (in use by a listening program, or not permitted). */
    public static final int PORT_UNAVAILABLE = 4;
    /**
     * The connection was lost (reset, closed without bye, or the peer went silent) and not restored within
     * {@code --give-up-after}; without that option a lost connection is dialled again until interrupted.
     */
    public static final int CONNECTION_LOST = 5;
    /** The other side broke the protocol: incompatible version, malformed or oversized frames. */
    public static final int PROTOCOL_ERROR = 6;
    /**
     * Hole punching cannot work or did not: this peer's NAT picks a new public port for every
     * destination (symmetric or port-randomising NAT), or three timed rounds failed.
     */
    public static final int PUNCH_IMPOSSIBLE = 7;
    /**
     * The rendezvous could not introduce the peers: unreachable, unknown or expired room, room full,
     * the other peer left before the hole punch ended, or the rendezvous broke the protocol.
     */
    public static final int RENDEZVOUS = 8;
    /**
     * The peers could not authenticate each other: the other peer's key is not the one pinned with
     * {@code --trust} or remembered for its address, the other peer refused ours, the TLS handshake failed,
     * or (rendezvous mode) the other peer does not know the room code, or someone is in the middle.
     */
    public static final int AUTHENTICATION_FAILED = 9;
    /**
     * This peer's own files cannot be used: the config directory is not writable, or {@code identity.pem},
     * {@code known_peers} or a chat journal is damaged or readable by others, or the chat's journal cannot be
     * written mid-chat (a full disk).
     */
    public static final int IDENTITY_UNAVAILABLE = 10;

    private ExitCode() {
    }
}
