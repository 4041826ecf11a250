package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Role;

class CandidateTest {

    private static final Endpoint OWN_PRIVATE = new Endpoint("10.0.1.2", 8000);
    private static final Endpoint OWN_PUBLIC = new Endpoint("203.0.113.11", 8000);

    @Test
    void dialsThePublicEndpointFirstThenThePrivateOne() {
        var peer = new Message.Peer(new Endpoint("203.0.113.12", 8000), new Endpoint("10.0.2.2", 8000), Role.RESPONDER, null);
        assertThat(Candidate.of(peer, OWN_PRIVATE, OWN_PUBLIC)).containsExactly(
                new Candidate(Candidate.PUBLIC, new Endpoint("203.0.113.12", 8000)),
                new Candidate(Candidate.PRIVATE, new Endpoint("10.0.2.2", 8000)));
    }

    @Test
    void dialsAPublicPeerOnceWhenItsEndpointsAreTheSame() {
        var peer = new Message.Peer(new Endpoint("203.0.113.20", 8000), new Endpoint("203.0.113.20", 8000), Role.RESPONDER, null);
        assertThat(Candidate.of(peer, OWN_PRIVATE, OWN_PUBLIC)).extracting(Candidate::kind).containsExactly("public");
    }

    @Test
    void neverDialsItsOwnLocalOrPublicEndpoint() {
        var samePrivate = new Message.Peer(new Endpoint("203.0.113.12", 8000), OWN_PRIVATE, Role.RESPONDER, null);
        assertThat(Candidate.of(samePrivate, OWN_PRIVATE, OWN_PUBLIC)).extracting(Candidate::kind).containsExactly("public");
        var samePublic = new Message.Peer(OWN_PUBLIC, new Endpoint("10.0.1.3", 8000), Role.RESPONDER, null);
        assertThat(Candidate.of(samePublic, OWN_PRIVATE, OWN_PUBLIC)).extracting(Candidate::kind).containsExactly("private");
    }

    @Test
    void keepsOnlyPrivateCandidatesForPeersBehindTheSameNat() {
        var peer = new Message.Peer(new Endpoint("203.0.113.11", 18054), new Endpoint("10.0.1.3", 8000), Role.RESPONDER, null);
        assertThat(Candidate.privateOnly(Candidate.of(peer, OWN_PRIVATE, OWN_PUBLIC)))
                .containsExactly(new Candidate(Candidate.PRIVATE, new Endpoint("10.0.1.3", 8000)));
    }
}
