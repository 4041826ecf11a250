package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * This peer's long-lived identity: an EC P-256 key pair and a self-signed certificate that carries the
 * public key into TLS. Nothing but the key matters; peers compare its {@link Fingerprint}.
 */
public record LocalIdentity(PrivateKey key, X509Certificate certificate) {

    /** RFC 5280's "no well-defined expiration date": trust rests on the pinned key, not on dates. */
    private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

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
            if (dir.createPrivately(dir.identityFile(), fresh.toPem())) {
                return fresh;
            }
            // Another peer process of this user created it at the same moment: both must be that one identity.
            return load(dir);
        }
    }

    static LocalIdentity load(ConfigDir dir) throws IOException {
        String pem = dir.readPrivate(dir.identityFile());
        PrivateKey key = null;
        X509Certificate certificate = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    key = new JcaPEMKeyConverter().getPrivateKey(info);
                } else if (o instanceof X509CertificateHolder holder) {
                    certificate = new JcaX509CertificateConverter().getCertificate(holder);
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IOException(dir.identityFile() + " is damaged (" + e.getMessage() + "): move it away to create"
                    + " a new identity; peers who know the old one will then see a changed key");
        }
        if (key == null || certificate == null) {
            throw new IOException(dir.identityFile() + " lacks its " + (key == null ? "private key" : "certificate")
                    + ": move it away to create a new identity");
        }
        return new LocalIdentity(key, certificate);
    }

    static LocalIdentity generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            // The name is not secret (TLS 1.3 encrypts certificates) but says nothing about the user either.
            X500Name subject = new X500Name("CN=simchat peer");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(NO_EXPIRY), subject, pair.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new LocalIdentity(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a P-256 identity: " + e.getMessage(), e);
        }
    }

    private String toPem() throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
            writer.writeObject(certificate);
        }
        return text.toString();
    }
}
