package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

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
     * Any key, shown for comparing aloud: only until the rendezvous' room code authenticates peers. The
     * connection is encrypted but an active attacker in the middle would go unnoticed.
     */
    record Unverified() implements TrustPolicy {
    }
}
