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
 * @param frameTimeout   a frame must end (newline) within this time of its first byte, so that a
 *                       client dribbling bytes cannot hold a connection by resetting the idle timeout
 * @param maxPendingPerAddress connections from one IP address that may be open without having sent
 *                       {@code join} or {@code probe}; more are refused at once
 * @param relay          what the relay may carry, or {@code null} when the rendezvous does not relay
 */
public record RendezvousConfig(InetSocketAddress address,
                               @Nullable InetSocketAddress probeAddress,
                               Duration roomTtl,
                               Duration idleTimeout,
                               Duration joinTimeout,
                               Duration resultTimeout,
                               Duration frameTimeout,
                               int maxPendingPerAddress,
                               @Nullable RelayLimits relay) {

    /** Default room time-to-live: long enough to read a code to someone over the phone. */
    public static final Duration DEFAULT_ROOM_TTL = Duration.ofMinutes(10);
    /** Default idle timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Default join timeout. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);
    /** Default result timeout: a peer's dial window (5 s) plus slack. */
    public static final Duration DEFAULT_RESULT_TIMEOUT = Duration.ofSeconds(8);
    /** Default frame timeout: real frames are a few hundred bytes and arrive in one segment. */
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default cap on connections per address that have not joined yet: a peer joins within one
     * round trip of connecting, so even a hundred people behind one NAT starting at the same
     * moment stay below it, while one host cannot hold thousands of silent connections.
     */
    public static final int DEFAULT_MAX_PENDING_PER_ADDRESS = 100;

    public RendezvousConfig {
        requireNonNull(address, "address");
        checkPositive(roomTtl, "roomTtl");
        checkPositive(idleTimeout, "idleTimeout");
        checkPositive(joinTimeout, "joinTimeout");
        checkPositive(resultTimeout, "resultTimeout");
        checkPositive(frameTimeout, "frameTimeout");
        if (maxPendingPerAddress < 1) {
            throw new IllegalArgumentException("maxPendingPerAddress: " + maxPendingPerAddress + " (expected: >= 1)");
        }
    }

    /** Defaults for everything but the addresses. */
    public static RendezvousConfig of(InetSocketAddress address, @Nullable InetSocketAddress probeAddress) {
        return new RendezvousConfig(address, probeAddress, DEFAULT_ROOM_TTL, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_JOIN_TIMEOUT, DEFAULT_RESULT_TIMEOUT, DEFAULT_FRAME_TIMEOUT, DEFAULT_MAX_PENDING_PER_ADDRESS, null);
    }

    /** A copy with another room time-to-live. */
    public RendezvousConfig withRoomTtl(Duration ttl) {
        return new RendezvousConfig(address, probeAddress, ttl, idleTimeout, joinTimeout, resultTimeout,
                frameTimeout, maxPendingPerAddress, relay);
    }

    /** A copy with other timeouts. */
    public RendezvousConfig withTimeouts(Duration idle, Duration join, Duration result) {
        return new RendezvousConfig(address, probeAddress, roomTtl, idle, join, result,
                frameTimeout, maxPendingPerAddress, relay);
    }

    /** A copy with another frame timeout. */
    public RendezvousConfig withFrameTimeout(Duration timeout) {
        return new RendezvousConfig(address, probeAddress, roomTtl, idleTimeout, joinTimeout, resultTimeout,
                timeout, maxPendingPerAddress, relay);
    }

    /** A copy with another cap on connections per address that have not joined yet. */
    public RendezvousConfig withMaxPendingPerAddress(int max) {
        return new RendezvousConfig(address, probeAddress, roomTtl, idleTimeout, joinTimeout, resultTimeout,
                frameTimeout, max, relay);
    }

    /** A copy that relays within {@code limits}, or does not relay ({@code null}). */
    public RendezvousConfig withRelay(@Nullable RelayLimits limits) {
        return new RendezvousConfig(address, probeAddress, roomTtl, idleTimeout, joinTimeout, resultTimeout,
                frameTimeout, maxPendingPerAddress, limits);
    }

    private static void checkPositive(Duration value, String name) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
