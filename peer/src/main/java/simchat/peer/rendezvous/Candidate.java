package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;

/**
 * One endpoint at which the other peer may be reached: its public (NAT-mapped) or its private
 * (local) endpoint.
 *
 * @param kind     {@code "public"} or {@code "private"}
 * @param endpoint where to dial
 */
record Candidate(String kind, Endpoint endpoint) {

    static final String PUBLIC = "public";
    static final String PRIVATE = "private";

    Candidate {
        requireNonNull(kind, "kind");
        requireNonNull(endpoint, "endpoint");
    }

    /**
     * The other peer's candidates, public first, without duplicates and without any endpoint that is
     * this peer itself (its own local or public endpoint: dialling it would connect to itself, or
     * hairpin through our own NAT).
     */
    static List<Candidate> of(Message.Peer peer, Endpoint ownPrivate, Endpoint ownPublic) {
        List<Candidate> all = new ArrayList<>();
        for (Candidate c : List.of(new Candidate(PUBLIC, peer.publicEndpoint()),
                new Candidate(PRIVATE, peer.privateEndpoint()))) {
            boolean seen = all.stream().anyMatch(o -> o.endpoint.equals(c.endpoint));
            if (!seen && !c.endpoint.equals(ownPrivate) && !c.endpoint.equals(ownPublic)) {
                all.add(c);
            }
        }
        return all;
    }

    /** Only the private candidates: for two peers behind the same NAT when it maps ports per destination. */
    static List<Candidate> privateOnly(List<Candidate> candidates) {
        return candidates.stream().filter(c -> c.kind.equals(PRIVATE)).toList();
    }

    @Override
    public String toString() {
        return endpoint + " (" + kind + ")";
    }
}
