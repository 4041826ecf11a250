package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The first frame each side sends: who it is, which protocol it speaks, and a random nonce that
 * identifies this run of the peer (it detects a socket connected to itself and breaks ties). The optional
 * {@code epoch} names the sender's stream of chat messages: it stays the same across reconnects and
 * restarts of one chat, so the receiver can drop messages it has already shown by (epoch, seq). The optional
 * {@code features} name what the sender can do beyond chat (e.g. {@code "files"}); absent means none, and names
 * this build does not know are ignored. A frame of a feature is only ever sent to a peer that announced it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hello(int version, String name, String nonce, String epoch, List<String> features) implements Message {

    /** The protocol version this build speaks; peers with another version cannot talk. */
    public static final int PROTOCOL_VERSION = 1;
    /** Sending and receiving files ({@link FileFrame}, {@link FileData}). */
    public static final String FILES = "files";
    private static final int MAX_FEATURES = 32;

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
            if (features.size() > MAX_FEATURES || features.stream().anyMatch(f -> f == null || f.length() > 64)) {
                throw new IllegalArgumentException("features: expected at most " + MAX_FEATURES
                        + " names of at most 64 characters");
            }
            features = List.copyOf(features);
        }
    }

    /** A hello with an epoch and no features. */
    public Hello(int version, String name, String nonce, String epoch) {
        this(version, name, nonce, epoch, null);
    }

    /** A hello without an epoch, as peers before reconnection sent it. */
    public Hello(int version, String name, String nonce) {
        this(version, name, nonce, null, null);
    }

    /** This hello with {@code epoch} as the sender's message stream. */
    public Hello withEpoch(String epoch) {
        return new Hello(version, name, nonce, epoch, features);
    }

    /** This hello announcing {@code features}. */
    public Hello withFeatures(List<String> features) {
        return new Hello(version, name, nonce, epoch, features);
    }

    /** Whether the sender announced {@code feature}. */
    public boolean supports(String feature) {
        return features != null && features.contains(feature);
    }

    /**
     * The sender's message stream: its epoch, or for a peer that sends none, its nonce (one stream per run,
     * so duplicates are still dropped within that run).
     */
    public String stream() {
        return epoch != null ? epoch : "nonce:" + nonce;
    }
}
