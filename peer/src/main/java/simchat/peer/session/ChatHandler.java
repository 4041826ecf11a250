package simchat.peer.session;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import simchat.peer.Outcome;
import simchat.peer.link.Link;
import simchat.peer.tls.AuthenticationException;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Limits;
import simchat.peer.wire.ProtocolException;
import simchat.peer.wire.Typing;

/** Connects one channel to the {@link ChatSession}: the last handler of the pipeline. */
final class ChatHandler extends ChannelInboundHandlerAdapter {

    private final ChatSession session;
    private final Link link;
    private boolean identified;
    private boolean failed;

    ChatHandler(ChatSession session, Link link) {
        this.session = requireNonNull(session, "session");
        this.link = requireNonNull(link, "link");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof PeerIdentified identified) {
            this.identified = true;
            session.attach(link, identified.hello());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Chat chat) {
            session.received(chat);
        } else if (msg instanceof Ack ack) {
            session.acknowledged(ack.seq());
        } else if (msg instanceof Typing) {
            session.peerTyping();
        } else if (msg instanceof Bye bye) {
            failed = true;
            session.peerSaidBye(bye.reason());
        } else {
            throw new ProtocolException("unexpected " + Frames.typeOf(msg) + " after the handshake");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        ProtocolException protocol = protocolError(cause);
        if (protocol != null) {
            ctx.writeAndFlush(new Bye("protocol error: " + protocol.getMessage()));
            fail(ctx, new Outcome.ProtocolViolation("closing the connection: " + protocol.getMessage()));
        } else if (cause instanceof AuthenticationException refused) {
            fail(ctx, new Outcome.AuthenticationFailed(refused.getMessage()));
        } else if (cause instanceof Heartbeat.PeerSilent) {
            lost(ctx, session.peerName() + " sent nothing for " + PeerPipeline.HEARTBEAT_TIMEOUT.toSeconds() + " s");
        } else if (cause instanceof IOException) {
            lost(ctx, String.valueOf(cause.getMessage()));
        } else if (cause instanceof UncheckedIOException journal) {
            // The journal could not keep what arrived (e.g. a full disk): the chat cannot go on safely.
            fail(ctx, new Outcome.FilesUnusable(String.valueOf(journal.getMessage())));
        } else {
            fail(ctx, new Outcome.InternalError("internal error: " + cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!failed) {
            failed = true;
            lost(ctx, "closed by " + session.peerName() + " without bye");
        }
    }

    /** The link died without a bye: before the hello its connector tries again, after it the session decides. */
    private void lost(ChannelHandlerContext ctx, String reason) {
        if (!identified) {
            ChatSession.closeAbortively(ctx.channel());
            link.lostBeforeHello().run();
            return;
        }
        session.lost(ctx.channel(), reason);
        ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, Outcome.Failure failure) {
        session.failed(failure);
        ctx.close();
    }

    private static ProtocolException protocolError(Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException p) {
            return p;
        }
        if (cause instanceof ProtocolException p) {
            return p;
        }
        if (cause instanceof TooLongFrameException) {
            return new ProtocolException("frame longer than " + Limits.MAX_FRAME_BYTES + " bytes");
        }
        return null;
    }
}
