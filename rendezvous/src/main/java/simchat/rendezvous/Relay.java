package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Nullable;

/**
 * The relay, the last resort of two peers whose hole punch cannot work: a room that both peers of which accept
 * relaying {@linkplain #issue issues} each a token of its own; each peer then opens one more connection to the
 * rendezvous' port and {@linkplain #splice splices} with its token, and once both are there, the two connections
 * are joined byte for byte ({@link SplicedPair}). What goes through is the peers' own TLS and room-code check, so
 * the relay sees only ciphertext. Within {@link RelayLimits}: pairs at once in all and per address, bytes per
 * pair, and a token lifetime. Confined to the rendezvous' one event loop, like the rooms.
 */
final class Relay {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final RelayLimits limits;
    private final EventExecutor executor;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SplicedPair.Side> byToken = new HashMap<>();
    private final Map<String, Integer> pairsByAddress = new HashMap<>();
    private int pairs;

    Relay(RelayLimits limits, EventExecutor executor) {
        this.limits = requireNonNull(limits, "limits");
        this.executor = requireNonNull(executor, "executor");
    }

    /** Two tokens, one per peer of a pair, or why the relay cannot take the pair. */
    sealed interface Issue {
    }

    /** The tokens: {@code first}'s for the first peer, {@code second}'s for the second. */
    record Tokens(String first, String second) implements Issue {
    }

    /** Refused: over a limit; {@code message} says which. */
    record Refused(String message) implements Issue {
    }

    /**
     * Issues two tokens for peers whose public addresses are {@code firstAddress} and {@code secondAddress}, good
     * for one splice each within the token lifetime; the pair counts against the limits until it ends.
     */
    Issue issue(String firstAddress, String secondAddress) {
        if (pairs >= limits.maxPairs()) {
            return new Refused("the relay carries " + pairs + " pairs already (at most " + limits.maxPairs() + ")");
        }
        Set<String> addresses = new LinkedHashSet<>(java.util.List.of(firstAddress, secondAddress));
        for (String address : addresses) {
            if (pairsByAddress.getOrDefault(address, 0) >= limits.pairsPerAddress()) {
                return new Refused("the relay carries " + limits.pairsPerAddress() + " pairs from " + address
                        + " already (at most " + limits.pairsPerAddress() + " per address)");
            }
        }
        pairs++;
        addresses.forEach(a -> pairsByAddress.merge(a, 1, Integer::sum));
        SplicedPair pair = new SplicedPair(this, addresses, limits.bytesPerPair());
        String first = token();
        String second = token();
        byToken.put(first, pair.first(first));
        byToken.put(second, pair.second(second));
        pair.expireAfter(executor, limits.tokenTimeout());
        LOG.debug("relay: pair issued for {} ({} of {} pairs)", addresses, pairs, limits.maxPairs());
        return new Tokens(first, second);
    }

    /**
     * A relay connection presented {@code token}: it waits for the other peer of the pair, or the two are joined
     * now. An unknown or used token ends the connection with a reason.
     */
    void splice(Channel channel, String token) {
        SplicedPair.Side side = byToken.remove(token);
        if (side == null) {
            LOG.debug("{}: unknown relay token", channel.remoteAddress());
            SessionHandler.fail(channel, ErrorCode.UNKNOWN_TOKEN, "no such relay token (mistyped, expired or used)");
            return;
        }
        side.arrive(channel);
    }

    /** A pair ended (both connections closed, or it expired): it no longer counts against the limits. */
    void ended(SplicedPair pair, Set<String> addresses, @Nullable String... tokens) {
        for (String token : tokens) {
            if (token != null) {
                byToken.remove(token);
            }
        }
        pairs--;
        addresses.forEach(a -> pairsByAddress.computeIfPresent(a, (k, n) -> n == 1 ? null : n - 1));
        LOG.debug("relay: pair for {} ended ({}), {} pairs left", addresses, pair, pairs);
    }

    /** Pairs issued and not yet ended; for tests. */
    int pairs() {
        return pairs;
    }

    private String token() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
