package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/** How this peer decides whether the other peer's key is the right one. */
public sealed interface TrustPolicy {

    /** {@code --trust}: exactly this key, nothing else. */
    record Pinned(Fingerprint expected) implements TrustPolicy {
        public Pinned {
            requireNonNull(expected, "expected");
        }
    }

    /** Trust on first use: the key remembered for {@code endpoint}, or any key the first time (then remembered). */
    record OnFirstUse(KnownPeers known, String endpoint) implements TrustPolicy {
        public OnFirstUse {
            requireNonNull(known, "known");
            requireNonNull(endpoint, "endpoint");
        }
    }

    /**
     * Any key, shown for comparing aloud. The connection is encrypted but an active attacker in the middle
     * would go unnoticed.
     */
    record Unverified() implements TrustPolicy {
    }

    /**
     * Rendezvous mode: any key in the TLS handshake, then both peers prove inside TLS that they know the
     * room code and saw the same two keys ({@link RoomCodeCheck}). {@code code} is asked when a connection
     * is set up, because the creator of a room learns its code from the rendezvous only after starting.
     */
    record RoomCode(Supplier<String> code) implements TrustPolicy {
        public RoomCode {
            requireNonNull(code, "code");
        }
    }
}
