package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import simchat.rendezvous.protocol.Endpoint;

/** The NAT check's verdict, from the two endpoints the rendezvous' ports saw and where the other peer is. */
class NatVerdictTest {

    private static final Endpoint OBSERVED = new Endpoint("198.51.100.7", 8000);
    private static final Endpoint ELSEWHERE = new Endpoint("203.0.113.9", 8000);

    @Test
    void aNatThatShowsBothPortsTheSameEndpointLetsEveryCandidateBeDialled() {
        NatVerdict verdict = new NatVerdict(OBSERVED, OBSERVED);
        assertThat(verdict.consistent()).isTrue();
        assertThat(verdict.reach(ELSEWHERE)).isEqualTo(NatVerdict.Reach.EVERY_CANDIDATE);
    }

    @Test
    void aNatThatTranslatesThePortButKeepsOneMappingIsConsistentToo() {
        Endpoint translated = new Endpoint("198.51.100.7", 41_312);
        NatVerdict verdict = new NatVerdict(translated, translated);
        assertThat(verdict.consistent()).isTrue();
        assertThat(verdict.reach(ELSEWHERE)).isEqualTo(NatVerdict.Reach.EVERY_CANDIDATE);
        assertThat(NatVerdict.portPreserved(translated, 8000)).isFalse();
    }

    @Test
    void aNatThatShowsTheProbePortAnotherPortIsSymmetricAndCannotReachAPeerElsewhere() {
        NatVerdict verdict = new NatVerdict(OBSERVED, new Endpoint("198.51.100.7", 18_054));
        assertThat(verdict.consistent()).isFalse();
        assertThat(verdict.reach(ELSEWHERE)).isEqualTo(NatVerdict.Reach.NONE);
    }

    @Test
    void aNatThatShowsTheProbePortAnotherAddressIsSymmetricToo() {
        NatVerdict verdict = new NatVerdict(OBSERVED, new Endpoint("198.51.100.8", 8000));
        assertThat(verdict.consistent()).isFalse();
        assertThat(verdict.reach(ELSEWHERE)).isEqualTo(NatVerdict.Reach.NONE);
    }

    @Test
    void behindASymmetricNatAPeerWithTheSamePublicAddressIsReachedAtItsPrivateEndpointOnly() {
        NatVerdict verdict = new NatVerdict(OBSERVED, new Endpoint("198.51.100.7", 18_054));
        assertThat(verdict.reach(new Endpoint("198.51.100.7", 23_456))).isEqualTo(NatVerdict.Reach.PRIVATE_ONLY);
    }

    @Test
    void thePortIsPreservedWhenTheRendezvousSawTheLocalPort() {
        assertThat(NatVerdict.portPreserved(OBSERVED, 8000)).isTrue();
        assertThat(NatVerdict.portPreserved(OBSERVED, 8001)).isFalse();
    }
}
