package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers this peer's one key and certificate to TLS, in either role. Netty's {@code keyManager(key, cert)}
 * would first wrap them in a PKCS#12 key store, whose key encryption (PBKDF2, 10,000 rounds) took seconds
 * in a freshly started JVM on a busy machine: long enough for the other peer to give up on our hello.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "simchat";

    private final LocalIdentity identity;
    private final String keyType;

    IdentityKeyManager(LocalIdentity identity) {
        this.identity = requireNonNull(identity, "identity");
        // JSSE asks for "EC"; a key read back by another provider may call itself "ECDSA".
        this.keyType = identity.key().getAlgorithm().equals("ECDSA") ? "EC" : identity.key().getAlgorithm();
    }

    private String aliasFor(String... keyTypes) {
        return keyTypes != null && Arrays.asList(keyTypes).contains(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {identity.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? identity.key() : null;
    }
}
