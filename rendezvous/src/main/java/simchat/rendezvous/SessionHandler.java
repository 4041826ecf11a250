package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;
import simchat.rendezvous.protocol.ProtocolException;

/**
 * One connection's conversation: {@code join} or {@code meet} (or {@code probe}, or a relay's {@code splice})
 * first, then pongs, results and relay requests;
 * anything else, and any protocol violation, ends this connection only, with a reason.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Message> {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private final Rooms rooms;
    private final PendingConnections pending;
    private final RendezvousConfig config;

    @Nullable private Member member;
    @Nullable private ScheduledFuture<?> joinDeadline;
    /** Set while this connection counts against its address' cap on connections that have not joined. */
    @Nullable private InetAddress pendingFrom;

    SessionHandler(Rooms rooms, PendingConnections pending, RendezvousConfig config) {
        this.rooms = requireNonNull(rooms, "rooms");
        this.pending = requireNonNull(pending, "pending");
        this.config = requireNonNull(config, "config");
    }

    /** Sends an error frame, stops reading and closes once the frame is written. */
    static void fail(Channel channel, String code, String message) {
        // Stop reading: whatever else this client sent is not worth decoding.
        channel.config().setAutoRead(false);
        channel.writeAndFlush(new Message.Error(code, message)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!pending.admit(from)) {
            LOG.debug("{}: refused, {} connections from this address have not joined yet",
                    ctx.channel().remoteAddress(), pending.maxPerAddress());
            fail(ctx, ErrorCode.TOO_MANY_CONNECTIONS, "too many connections from " + from.getHostAddress()
                    + " that have not joined yet (at most " + pending.maxPerAddress() + ")");
            ctx.fireChannelActive();
            return;
        }
        pendingFrom = from;
        // An absolute deadline, unlike the idle timeout, so that a trickle of bytes cannot hold a
        // connection that never joins.
        joinDeadline = ctx.executor().schedule(() -> {
            joinDeadline = Deadlines.afterNextRead(ctx, () -> fail(ctx, ErrorCode.IDLE_TIMEOUT,
                    "no join within " + Room.humanize(config.joinTimeout())));
        }, config.joinTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) {
        if (!ctx.channel().config().isAutoRead()) {
            return; // already failing; frames decoded from the same read are dropped
        }
        if (member == null) {
            if (message instanceof Message.Join join) {
                endPending();
                member = rooms.join(ctx.channel(), observed(ctx), join, System.nanoTime());
            } else if (message instanceof Message.Meet meet) {
                endPending();
                member = rooms.meet(ctx.channel(), observed(ctx), meet, System.nanoTime());
            } else if (message instanceof Message.Splice splice) {
                endPending();
                Relay relay = rooms.relay();
                if (relay == null) {
                    fail(ctx, ErrorCode.RELAY_UNAVAILABLE, "this rendezvous does not relay");
                } else {
                    relay.splice(ctx.channel(), splice.token());
                }
            } else if (message instanceof Message.Probe) {
                endPending();
                ctx.writeAndFlush(new Message.Observed(observed(ctx))).addListener(ChannelFutureListener.CLOSE);
            } else {
                unexpected(ctx, message, "before join");
            }
            return;
        }
        Room room = requireNonNull(member.room, "room");
        if (message instanceof Message.Pong pong) {
            room.onPong(member, pong.seq());
        } else if (message instanceof Message.Result result) {
            room.onResult(member, result);
        } else if (message instanceof Message.RelayRequest request) {
            room.onRelayRequest(member, request);
        } else {
            unexpected(ctx, message, "after join");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE && member != null) {
                member.keepAlive();
            } else if (idle.state() == IdleState.READER_IDLE) {
                fail(ctx, ErrorCode.IDLE_TIMEOUT, "nothing received for " + Room.humanize(config.idleTimeout()));
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endPending();
        if (member != null) {
            requireNonNull(member.room, "room").onLeave(member);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolException violation) {
            LOG.debug("{}: {}: {}", ctx.channel().remoteAddress(), violation.code(), violation.getMessage());
            fail(ctx, violation.code(), violation.getMessage());
        } else if (cause instanceof IOException) {
            ctx.close(); // resets and broken pipes are the other side's business
        } else {
            LOG.warn("{}: unexpected {}", ctx.channel().remoteAddress(), cause.toString());
            fail(ctx, ErrorCode.INTERNAL_ERROR, "internal error");
        }
    }

    private void unexpected(ChannelHandlerContext ctx, Message message, String when) {
        String type = message.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        fail(ctx, ErrorCode.UNEXPECTED_MESSAGE, "\"" + type + "\" is not expected " + when);
    }

    private static void fail(ChannelHandlerContext ctx, String code, String message) {
        fail(ctx.channel(), code, message);
    }

    private static Endpoint observed(ChannelHandlerContext ctx) {
        return Endpoint.of((InetSocketAddress) ctx.channel().remoteAddress());
    }

    /** The connection joined, probed or closed: no join deadline, no longer counted as pending. */
    private void endPending() {
        if (joinDeadline != null) {
            joinDeadline.cancel(false);
            joinDeadline = null;
        }
        if (pendingFrom != null) {
            pending.release(pendingFrom);
            pendingFrom = null;
        }
    }
}
