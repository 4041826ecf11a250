package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import simchat.rendezvous.protocol.Nullable;

/**
 * Everything the rendezvous needs to run.
 *
 * @param address        where to accept peers; port 0 picks a free port
 * @param probeAddress   a second port for NAT-mapping probes, or {@code null} for none
 * @param roomTtl        how long a room waits for its second peer
 * @param idleTimeout    a joined connection that sends nothing for this long is dropped; the
 *                       rendezvous sends a keep-alive ping after a third of it
 * @param joinTimeout    a connection must send {@code join} (or {@code probe}) within this time
 * @param resultTimeout  how long to wait for both peers' results after {@code sync}
 */
public record RendezvousConfig(InetSocketAddress address,
                               @Nullable InetSocketAddress probeAddress,
                               Duration roomTtl,
                               Duration idleTimeout,
                               Duration joinTimeout,
                               Duration resultTimeout) {

    /** Default room time-to-live: long enough to read a code to someone over the phone. */
    public static final Duration DEFAULT_ROOM_TTL = Duration.ofMinutes(10);
    /** Default idle timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Default join timeout. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);
    /** Default result timeout: a peer's dial window (5 s) plus slack. */
    public static final Duration DEFAULT_RESULT_TIMEOUT = Duration.ofSeconds(8);

    public RendezvousConfig {
        requireNonNull(address, "address");
        checkPositive(roomTtl, "roomTtl");
        checkPositive(idleTimeout, "idleTimeout");
        checkPositive(joinTimeout, "joinTimeout");
        checkPositive(resultTimeout, "resultTimeout");
    }

    /** Defaults for everything but the addresses. */
    public static RendezvousConfig of(InetSocketAddress address, @Nullable InetSocketAddress probeAddress) {
        return new RendezvousConfig(address, probeAddress, DEFAULT_ROOM_TTL, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_JOIN_TIMEOUT, DEFAULT_RESULT_TIMEOUT);
    }

    /** A copy with another room time-to-live. */
    public RendezvousConfig withRoomTtl(Duration ttl) {
        return new RendezvousConfig(address, probeAddress, ttl, idleTimeout, joinTimeout, resultTimeout);
    }

    /** A copy with other timeouts. */
    public RendezvousConfig withTimeouts(Duration idle, Duration join, Duration result) {
        return new RendezvousConfig(address, probeAddress, roomTtl, idle, join, result);
    }

    private static void checkPositive(Duration value, String name) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
