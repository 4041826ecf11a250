package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The TLS set-up of one run, apart from any connection. */
class TlsSetupTest {

    @Test
    void theWarmUpCompletesAWholeHandshakeWithItself() {
        TlsSetup setup = new TlsSetup(LocalIdentity.generate(), new TrustPolicy.Unverified(), event -> { });

        assertThatCode(setup::warmUp).as("a TLS 1.3 handshake between two in-memory engines").doesNotThrowAnyException();
    }
}
