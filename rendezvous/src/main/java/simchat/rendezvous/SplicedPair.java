package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.buffer.Unpooled;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;

/**
 * Two relay connections of one pair: each {@link Side} waits (not reading) for the other, and once both are
 * there each gets {@code spliced} and its pipeline is cut down to one {@link SpliceHandler}, which passes every
 * byte to the other side. The pair ends when either side closes, when it has carried its byte cap, or when the
 * token lifetime runs out before both came. Confined to the rendezvous' event loop.
 */
final class SplicedPair {

    private static final Logger LOG = LoggerFactory.getLogger(SplicedPair.class);

    /** A spliced connection that carries nothing for this long is dropped: peers ping every 5 s. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private enum State { WAITING, SPLICED, ENDED }

    private final Relay relay;
    private final Set<String> addresses;
    private final long byteCap;
    private Side first;
    private Side second;
    private State state = State.WAITING;
    private long bytes;
    @Nullable private ScheduledFuture<?> expiry;
    private String end = "open";

    SplicedPair(Relay relay, Set<String> addresses, long byteCap) {
        this.relay = requireNonNull(relay, "relay");
        this.addresses = Set.copyOf(addresses);
        this.byteCap = byteCap;
    }

    Side first(String token) {
        first = new Side(token);
        return first;
    }

    Side second(String token) {
        second = new Side(token);
        return second;
    }

    void expireAfter(EventExecutor executor, Duration timeout) {
        expiry = executor.schedule(() -> {
            if (state == State.WAITING) {
                String message = "the other peer did not come to the relay within " + Room.humanize(timeout);
                for (Side side : new Side[] {first, second}) {
                    if (side.channel != null) {
                        SessionHandler.fail(side.channel, ErrorCode.RELAY_TIMEOUT, message);
                    }
                }
                end("tokens expired");
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Counts {@code n} bytes relayed; false (and the pair cut off) once the pair is over its cap.
     */
    boolean carry(int n) {
        bytes += n;
        if (bytes <= byteCap) {
            return true;
        }
        LOG.debug("relay: pair for {} reached its cap of {} bytes; cut off", addresses, byteCap);
        closeBoth("byte cap of " + byteCap + " reached");
        return false;
    }

    /** Closes both connections once what is on the way has been written. */
    void closeBoth(String why) {
        for (Side side : new Side[] {first, second}) {
            if (side.channel != null) {
                side.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
        end(why);
    }

    long bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return end + ", " + bytes + " bytes relayed";
    }

    private void end(String why) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        end = why;
        if (expiry != null) {
            expiry.cancel(false);
        }
        relay.ended(this, addresses, first.token, second.token);
    }

    private void join() {
        state = State.SPLICED;
        if (expiry != null) {
            expiry.cancel(false);
        }
        LOG.debug("relay: spliced {} with {}", first.channel.remoteAddress(), second.channel.remoteAddress());
        first.splice(second);
        second.splice(first);
    }

    /** One peer's relay connection, once it came with its token. */
    final class Side {

        private final String token;
        @Nullable private Channel channel;

        private Side(String token) {
            this.token = requireNonNull(token, "token");
        }

        @Nullable
        Channel channel() {
            return channel;
        }

        SplicedPair pair() {
            return SplicedPair.this;
        }

        /** The connection presented this side's token. */
        void arrive(Channel arrived) {
            if (state != State.WAITING) {
                SessionHandler.fail(arrived, ErrorCode.UNKNOWN_TOKEN, "this relay token was used already");
                return;
            }
            channel = arrived;
            // Nothing is read until the other side is here: the peer sends nothing before spliced.
            arrived.config().setAutoRead(false);
            arrived.closeFuture().addListener(f -> closed());
            Side other = this == first ? second : first;
            if (other.channel != null) {
                join();
            }
        }

        private void closed() {
            if (state == State.SPLICED) {
                closeBoth("a peer closed its connection");
            } else if (state == State.WAITING) {
                end("a peer left before the other came");
            }
        }

        /** Says spliced, then leaves only the idle timeout and the byte pump in the pipeline. */
        private void splice(Side other) {
            Channel ch = requireNonNull(channel, "channel");
            ch.writeAndFlush(new Message.Spliced());
            ChannelPipeline p = ch.pipeline();
            p.replace("idle", "idle", new IdleStateHandler(IDLE_TIMEOUT.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
            p.remove("frame-deadline");
            p.remove("decoder");
            p.remove("encoder");
            p.remove("session");
            p.addAfter("framer", "splice", new SpliceHandler(SplicedPair.this, requireNonNull(other.channel)));
            // Last: whatever the framer holds beyond the splice frame goes to the pump, in order.
            p.remove("framer");
            ch.config().setAutoRead(true);
        }
    }
}
