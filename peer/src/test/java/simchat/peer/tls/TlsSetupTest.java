package simchat.peer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.Test;

/** The TLS set-up of one run, apart from any connection. */
class TlsSetupTest {

    @Test
    void theWarmUpCompletesAWholeHandshakeWithItself() {
        TlsSetup setup = new TlsSetup(LocalIdentity.generate(), new TrustPolicy.Unverified(), event -> { });

        assertThatCode(setup::warmUp).as("a TLS 1.3 handshake between two in-memory engines").doesNotThrowAnyException();
    }

    @Test
    void recordsBetweenInMemoryEnginesArriveWhole() throws Exception {
        TlsSetup setup = new TlsSetup(LocalIdentity.generate(), new TrustPolicy.Unverified(), event -> { });
        SSLEngine[] engines = setup.inMemoryPair();

        assertThat(InMemoryHandshake.exchange(engines[0], engines[1], 100, 512)).isEqualTo(100 * 512);
        assertThat(InMemoryHandshake.exchange(engines[1], engines[0], 100, 512)).isEqualTo(100 * 512);
    }
}
