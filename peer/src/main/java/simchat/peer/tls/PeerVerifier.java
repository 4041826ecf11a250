package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of one connection. Certificates, names and dates mean nothing here: the peer's
 * public key is checked against the {@link TrustPolicy}, and TLS itself proves that the peer holds the
 * matching private key. Both TLS roles call it, since both sides present a certificate. The engine
 * calls it from a delegated task, which {@link TlsSetup} runs off the event loop: looking up
 * {@code known_peers} reads a file.
 */
final class PeerVerifier extends X509ExtendedTrustManager {

    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final TrustPolicy policy;
    // Set by TLS's delegated tasks off the event loop, read on it once the handshake is over.
    private volatile Fingerprint presented;
    private volatile Trust trust;
    private volatile Optional<Fingerprint> remembered = Optional.empty();

    PeerVerifier(TrustPolicy policy) {
        this.policy = requireNonNull(policy, "policy");
    }

    /** The peer's key, once it presented one. */
    Fingerprint presented() {
        return presented;
    }

    /** Why the key was accepted, or null if it was not (yet). */
    Trust trust() {
        return trust;
    }

    /** The key remembered for the endpoint when it differs from the presented one. */
    Optional<Fingerprint> remembered() {
        return remembered;
    }

    TrustPolicy policy() {
        return policy;
    }

    /** Whether {@link #confirmed} has a key to write down: first contact under trust on first use. */
    boolean remembersOnConfirm() {
        return trust == Trust.NEW && policy instanceof TrustPolicy.OnFirstUse;
    }

    /**
     * The handshake succeeded: a key seen for the first time is remembered from now on. It reads and
     * writes {@code known_peers} under its file lock, so it must not run on an event loop.
     */
    void confirmed() throws IOException {
        if (remembersOnConfirm()) {
            TrustPolicy.OnFirstUse tofu = (TrustPolicy.OnFirstUse) policy;
            tofu.known().remember(tofu.endpoint(), presented);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the peer presented no certificate");
        }
        presented = Fingerprint.of(chain[0].getPublicKey());
        if (policy instanceof TrustPolicy.Pinned pinned) {
            if (!pinned.expected().equals(presented)) {
                throw new CertificateException("key " + presented + " is not the pinned " + pinned.expected());
            }
            trust = Trust.PINNED;
        } else if (policy instanceof TrustPolicy.OnFirstUse tofu) {
            Optional<Fingerprint> known;
            try {
                known = tofu.known().lookup(tofu.endpoint());
            } catch (IOException e) {
                throw new CertificateException("cannot read " + tofu.known().dir().knownPeersFile() + ": "
                        + e.getMessage(), e);
            }
            if (known.isPresent() && !known.get().equals(presented)) {
                remembered = known;
                throw new CertificateException("key " + presented + " is not the remembered " + known.get());
            }
            trust = known.isPresent() ? Trust.KNOWN : Trust.NEW;
        } else {
            // Unverified, or RoomCode: then RoomCodeCheck authenticates the key once TLS is up.
            trust = Trust.UNVERIFIED;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // No CA list in the CertificateRequest: any self-signed certificate may be offered.
        return NONE;
    }
}
