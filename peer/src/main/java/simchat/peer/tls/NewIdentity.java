package simchat.peer.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a new {@link LocalIdentity} and its PEM text, with BouncyCastle: a class of its own so that a peer
 * whose identity exists never loads BouncyCastle (outside rendezvous mode).
 */
final class NewIdentity {

    /** RFC 5280's "no well-defined expiration date": trust rests on the pinned key, not on dates. */
    private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private NewIdentity() {
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

    /** The identity as {@link LocalIdentity#load} reads it: its PKCS#8 key, then its certificate. */
    static String toPem(LocalIdentity identity) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(identity.key(), null));
            writer.writeObject(identity.certificate());
        }
        return text.toString();
    }
}
