package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This peer's long-lived identity: an EC P-256 key pair and a self-signed certificate that carries the
 * public key into TLS. Nothing but the key matters; peers compare its {@link Fingerprint}.
 */
public record LocalIdentity(PrivateKey key, X509Certificate certificate) {

    /** One PEM block (RFC 7468): its label and its base64 body. */
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    public LocalIdentity {
        requireNonNull(key, "key");
        requireNonNull(certificate, "certificate");
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(certificate.getPublicKey());
    }

    /** Loads the identity from {@code dir}, creating it (0600) on first use. */
    public static LocalIdentity loadOrCreate(ConfigDir dir) throws IOException {
        synchronized (LocalIdentity.class) {
            if (Files.exists(dir.identityFile())) {
                return load(dir);
            }
            LocalIdentity fresh = generate();
            if (dir.createPrivately(dir.identityFile(), NewIdentity.toPem(fresh))) {
                return fresh;
            }
            // Another peer process of this user created it at the same moment: both must be that one identity.
            return load(dir);
        }
    }

    static LocalIdentity load(ConfigDir dir) throws IOException {
        String pem = dir.readPrivate(dir.identityFile());
        // Parsed with the JDK alone: BouncyCastle costs a cold JVM tens of milliseconds of class loading, and the
        // identity is loaded on every start; BouncyCastle is only needed to create one (and for rendezvous mode).
        PrivateKey key = null;
        X509Certificate certificate = null;
        try {
            Matcher block = PEM_BLOCK.matcher(pem);
            while (block.find()) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                if (block.group(1).equals("PRIVATE KEY")) {
                    key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
                } else if (block.group(1).equals("CERTIFICATE")) {
                    certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(dir.identityFile() + " is damaged (" + e.getMessage() + "): move it away to create"
                    + " a new identity; peers who know the old one will then see a changed key");
        }
        if (key == null || certificate == null) {
            throw new IOException(dir.identityFile() + " lacks its " + (key == null ? "private key" : "certificate")
                    + ": move it away to create a new identity");
        }
        return new LocalIdentity(key, certificate);
    }

    /** A new identity, in memory (BouncyCastle makes its certificate). */
    static LocalIdentity generate() {
        return NewIdentity.generate();
    }
}
