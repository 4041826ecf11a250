package simchat.peer.tls;

import java.util.Locale;

/** Why the other peer's key was accepted. */
public enum Trust {
    /** It matches {@code --trust}. */
    PINNED,
    /** It is the key remembered for this endpoint. */
    KNOWN,
    /** First contact with this endpoint: accepted and remembered (trust on first use). */
    NEW,
    /** Accepted without any check. */
    UNVERIFIED,
    /** The peer proved it knows the room code, inside this very TLS session (rendezvous mode). */
    ROOM_CODE;

    /** The lower-case name used in JSON events, with dashes: {@code room-code}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
