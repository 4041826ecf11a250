package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How much the relay may carry ({@code bin/rendezvous --relay}): pairs spliced (or about to be) at once, in all
 * and per public address, and bytes per pair in both directions together. The relay is the last resort of two
 * peers whose hole punch cannot work, and costs its operator bandwidth: a pair that reaches its byte cap is cut
 * off, and a pair beyond the caps is refused.
 *
 * @param maxPairs        pairs at once, in all
 * @param pairsPerAddress pairs at once in which a peer has this public IP address
 * @param bytesPerPair    bytes one pair may have relayed, both directions together
 * @param tokenTimeout    how long both peers have to present their tokens after the rendezvous issued them
 */
public record RelayLimits(int maxPairs, int pairsPerAddress, long bytesPerPair, Duration tokenTimeout) {

    /** Default pairs at once: a chat is a few bytes a second, so the bandwidth is not what limits. */
    public static final int DEFAULT_MAX_PAIRS = 256;
    /** Default pairs at once per public address: a household or an office, not a botnet. */
    public static final int DEFAULT_PAIRS_PER_ADDRESS = 8;
    /** Default bytes per pair: far more than a day's chat, far less than a file transfer. */
    public static final long DEFAULT_BYTES_PER_PAIR = 64L << 20;
    /** Default token lifetime (the protocol's {@code RELAY_TOKEN_SECONDS}). */
    public static final Duration DEFAULT_TOKEN_TIMEOUT =
            Duration.ofSeconds(simchat.rendezvous.protocol.Protocol.RELAY_TOKEN_SECONDS);

    public RelayLimits {
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs: " + maxPairs + " (expected: >= 1)");
        }
        if (pairsPerAddress < 1) {
            throw new IllegalArgumentException("pairsPerAddress: " + pairsPerAddress + " (expected: >= 1)");
        }
        if (bytesPerPair < 1) {
            throw new IllegalArgumentException("bytesPerPair: " + bytesPerPair + " (expected: >= 1)");
        }
        requireNonNull(tokenTimeout, "tokenTimeout");
        if (tokenTimeout.isNegative() || tokenTimeout.isZero()) {
            throw new IllegalArgumentException("tokenTimeout: " + tokenTimeout + " (expected: > 0)");
        }
    }

    /** The defaults. */
    public static RelayLimits defaults() {
        return new RelayLimits(DEFAULT_MAX_PAIRS, DEFAULT_PAIRS_PER_ADDRESS, DEFAULT_BYTES_PER_PAIR,
                DEFAULT_TOKEN_TIMEOUT);
    }

    /** A copy with other caps on pairs and bytes. */
    public RelayLimits with(int pairs, long bytes) {
        return new RelayLimits(pairs, Math.min(pairsPerAddress, pairs), bytes, tokenTimeout);
    }

    /** A copy with another cap per address. */
    public RelayLimits withPairsPerAddress(int perAddress) {
        return new RelayLimits(maxPairs, perAddress, bytesPerPair, tokenTimeout);
    }

    /** A copy with another token lifetime. */
    public RelayLimits withTokenTimeout(Duration timeout) {
        return new RelayLimits(maxPairs, pairsPerAddress, bytesPerPair, timeout);
    }
}
