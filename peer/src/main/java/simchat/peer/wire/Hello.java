package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The first frame each side sends: who it is, which protocol it speaks, and a random nonce that
 * identifies this run of the peer (it detects a socket connected to itself and breaks ties). The optional
 * {@code epoch} names the sender's stream of chat messages: it stays the same across reconnects and
 * restarts of one chat, so the receiver can drop messages it has already shown by (epoch, seq). The optional
 * {@code features} name the capabilities the sender understands ({@link Features}); absent means none, and
 * names this build does not know are ignored.
 *
 * <p>The optional {@code host} is the sender's host name (from its kernel, not DNS). The receiver shows it after
 * the name only when both peers have the same name (two people called alice, or one user on two machines), so
 * that a default name can be short. Older peers ignore it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hello(int version, String name, String nonce, String epoch, String host, List<String> features)
        implements Message {

    /** The protocol version this build speaks; peers with another version cannot talk. */
    public static final int PROTOCOL_VERSION = 1;

    public Hello {
        requireNonNull(name, "name");
        requireNonNull(nonce, "nonce");
        if (name.length() > Limits.MAX_NAME_CHARS) {
            throw new IllegalArgumentException(
                    "name: " + name.length() + " characters (expected: at most " + Limits.MAX_NAME_CHARS + ")");
        }
        if (nonce.isEmpty() || nonce.length() > 64) {
            throw new IllegalArgumentException("nonce: " + nonce.length() + " characters (expected: 1-64)");
        }
        if (epoch != null && (epoch.isEmpty() || epoch.length() > 64)) {
            throw new IllegalArgumentException("epoch: " + epoch.length() + " characters (expected: 1-64)");
        }
        if (features != null) {
            if (features.size() > Features.MAX_FEATURES) {
                throw new IllegalArgumentException(
                        "features: " + features.size() + " names (expected: at most " + Features.MAX_FEATURES + ")");
            }
            for (String feature : features) {
                if (feature == null || feature.isEmpty() || feature.length() > Features.MAX_NAME_CHARS) {
                    throw new IllegalArgumentException("features: a name of " + (feature == null ? "null"
                            : feature.length() + " characters") + " (expected: 1-" + Features.MAX_NAME_CHARS + ")");
                }
            }
            features = List.copyOf(features);
        }
        if (host != null && (host.isEmpty() || host.length() > Limits.MAX_NAME_CHARS)) {
            throw new IllegalArgumentException("host: " + host.length() + " characters (expected: 1-"
                    + Limits.MAX_NAME_CHARS + ")");
        }
    }

    /** A hello without an epoch, as peers before reconnection sent it. */
    public Hello(int version, String name, String nonce) {
        this(version, name, nonce, null, null, null);
    }

    /** A hello that announces no features, as peers before them sent it. */
    public Hello(int version, String name, String nonce, String epoch) {
        this(version, name, nonce, epoch, null, null);
    }

    /** A hello with an epoch and {@code features}, without a host name. */
    public Hello(int version, String name, String nonce, String epoch, List<String> features) {
        this(version, name, nonce, epoch, null, features);
    }

    /** A hello with an epoch and a host name, announcing no features. */
    public Hello(int version, String name, String nonce, String epoch, String host) {
        this(version, name, nonce, epoch, host, null);
    }

    /** This hello with {@code epoch} as the sender's message stream. */
    public Hello withEpoch(String epoch) {
        return new Hello(version, name, nonce, epoch, host, features);
    }

    /** This hello announcing {@code features}. */
    public Hello withFeatures(List<String> features) {
        return new Hello(version, name, nonce, epoch, host, features);
    }

    /** Whether the sender announced {@code feature}. */
    public boolean supports(String feature) {
        return features != null && features.contains(feature);
    }

    /** This hello with {@code host} as the sender's host name. */
    public Hello withHost(String host) {
        return new Hello(version, name, nonce, epoch, host, features);
    }

    /**
     * How the receiver of {@code theirs} shows that peer, when this is its own hello: the name, with the host added
     * when both peers have the same name and its host is known.
     */
    public String displayNameOf(Hello theirs) {
        return theirs.name().equals(name) && theirs.host() != null ? theirs.name() + "@" + theirs.host() : theirs.name();
    }

    /**
     * The sender's message stream: its epoch, or for a peer that sends none, its nonce (one stream per run,
     * so duplicates are still dropped within that run).
     */
    public String stream() {
        return epoch != null ? epoch : "nonce:" + nonce;
    }
}
