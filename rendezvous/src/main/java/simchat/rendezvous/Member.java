package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.Arrays;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;
import simchat.rendezvous.protocol.Outcome;
import simchat.rendezvous.protocol.Role;

/** One peer in a room: its connection, its endpoints and what the current round knows about it. */
final class Member {

    /** RTT samples per round; the smallest counts (see {@link #rttNanos()}). */
    static final int RTT_SAMPLES = 3;

    final Channel channel;
    final Endpoint observed;
    final Endpoint privateEndpoint;
    @Nullable final String name;
    final Role role;
    /** The peer accepts being relayed when no direct path can work. */
    final boolean acceptsRelay;
    /** Set once, right after construction, by {@link Rooms}. */
    @Nullable Room room;

    private long nextSeq;
    private long measuringSeq = -1;
    private long pingSentNanos;
    private final long[] rttNanos = new long[RTT_SAMPLES];
    private int samples;
    @Nullable private Outcome outcome;

    Member(Channel channel, Endpoint observed, Endpoint privateEndpoint, @Nullable String name, Role role) {
        this(channel, observed, privateEndpoint, name, role, false);
    }

    Member(Channel channel, Endpoint observed, Endpoint privateEndpoint, @Nullable String name, Role role,
           boolean acceptsRelay) {
        this.acceptsRelay = acceptsRelay;
        this.channel = requireNonNull(channel, "channel");
        this.observed = requireNonNull(observed, "observed");
        this.privateEndpoint = requireNonNull(privateEndpoint, "privateEndpoint");
        this.name = name;
        this.role = requireNonNull(role, "role");
    }

    ChannelFuture send(Message message) {
        return channel.writeAndFlush(message);
    }

    /** Sends the error frame and closes the connection after it is written. */
    void fail(String code, String message) {
        SessionHandler.fail(channel, code, message);
    }

    /** A ping that only keeps the connection alive; its pong is not an RTT sample. */
    void keepAlive() {
        send(new Message.Ping(nextSeq++));
    }

    /** Forgets the last round and sends the first measuring ping of a new one. */
    void startMeasuring() {
        samples = 0;
        outcome = null;
        measuringPing();
    }

    /**
     * Records a pong.
     *
     * @return true if this pong completed the RTT samples of the round
     */
    boolean onPong(long seq, long nowNanos) {
        if (seq != measuringSeq) {
            return false; // a keep-alive, or a ping from an earlier round
        }
        measuringSeq = -1;
        rttNanos[samples++] = nowNanos - pingSentNanos;
        if (samples < RTT_SAMPLES) {
            measuringPing();
            return false;
        }
        return true;
    }

    boolean measured() {
        return samples == RTT_SAMPLES;
    }

    /**
     * The smallest RTT sample of this round. A busy or freshly started peer answers pings late, and
     * queues on the way only ever add delay, so the smallest sample is the nearest to the path's own
     * round trip, which is what the sync's timing needs (as NTP keeps its lowest-delay sample); the
     * median still counts a peer that answered two of three pings late, which skewed the dial by tens
     * of milliseconds in the NAT lab.
     */
    long rttNanos() {
        return Arrays.stream(rttNanos, 0, samples).min().orElseThrow();
    }

    @Nullable
    Outcome outcome() {
        return outcome;
    }

    void outcome(Outcome outcome) {
        this.outcome = outcome;
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(java.util.Locale.ROOT) + " " + observed;
    }

    private void measuringPing() {
        measuringSeq = nextSeq++;
        pingSentNanos = System.nanoTime();
        send(new Message.Ping(measuringSeq));
    }
}
