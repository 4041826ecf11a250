package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.bouncycastle.crypto.CryptoException;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.PakeConfirm;
import simchat.peer.wire.PakeRound1;
import simchat.peer.wire.PakeRound2;
import simchat.peer.wire.ProtocolException;
import simchat.rendezvous.protocol.RoomCode;

/**
 * Rendezvous mode, right behind the message codec: once TLS is up, proves with the room code that the
 * peer is the person the code was given to and shares this TLS session ({@link RoomCodeExchange}).
 * Until then it holds back every frame we write (the hello too, only a {@code bye} goes out) and lets no
 * frame of the peer's through; then it reports the peer's key as vouched for by the room code and leaves
 * the pipeline. A failed check ends the chat with an {@link AuthenticationException}.
 */
final class RoomCodeCheck extends ChannelDuplexHandler {

    static final String FAILED = "the other peer does not know the room code (or someone is in the middle)";

    private enum Step { AWAITING_TLS, AWAITING_ROUND1, AWAITING_ROUND2, AWAITING_CONFIRM, PASSED, FAILED }

    private final Supplier<String> code;
    private final Fingerprint ours;
    private final PeerVerifier verifier;
    private final Consumer<ChatEvent> events;
    private final SecureRandom random;
    private PendingWriteQueue held;
    private RoomCodeExchange exchange;
    private Step step = Step.AWAITING_TLS;

    RoomCodeCheck(Supplier<String> code, Fingerprint ours, PeerVerifier verifier, Consumer<ChatEvent> events,
                  SecureRandom random) {
        this.code = requireNonNull(code, "code");
        this.ours = requireNonNull(ours, "ours");
        this.verifier = requireNonNull(verifier, "verifier");
        this.events = requireNonNull(events, "events");
        this.random = requireNonNull(random, "random");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        held = new PendingWriteQueue(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Bye) {
            // A goodbye carries nothing of the chat, and the peer should learn why we close.
            ctx.write(msg, promise);
        } else {
            held.add(msg, promise);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess() && step == Step.AWAITING_TLS) {
            String room = code.get();
            if (room == null) {
                throw new IllegalStateException("connected in rendezvous mode before the room code was known");
            }
            boolean client = ctx.pipeline().get(SslHandler.class).engine().getUseClientMode();
            exchange = new RoomCodeExchange(RoomCode.normalize(room), client, ours, verifier.presented(), random);
            step = Step.AWAITING_ROUND1;
            ctx.writeAndFlush(exchange.round1());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Bye) {
                // The peer gave up on the check: it found our proof wrong, or it is not who the code was for.
                throw new AuthenticationException(FAILED);
            } else if (step == Step.AWAITING_ROUND1 && msg instanceof PakeRound1 round1) {
                step = Step.AWAITING_ROUND2;
                ctx.writeAndFlush(exchange.round2(round1));
            } else if (step == Step.AWAITING_ROUND2 && msg instanceof PakeRound2 round2) {
                step = Step.AWAITING_CONFIRM;
                ctx.writeAndFlush(exchange.confirm(round2));
            } else if (step == Step.AWAITING_CONFIRM && msg instanceof PakeConfirm confirm) {
                if (exchange.verify(confirm)) {
                    succeed(ctx);
                } else {
                    refuse(ctx);
                }
            } else {
                throw new ProtocolException("expected " + expected() + ", got " + Json.typeName(msg)
                        + (msg instanceof Hello ? " (the other peer runs a simchat without the room-code check)" : ""));
            }
        } catch (CryptoException e) {
            refuse(ctx);
        }
    }

    private void refuse(ChannelHandlerContext ctx) {
        step = Step.FAILED;
        ctx.writeAndFlush(new Bye("room code check failed"));
        throw new AuthenticationException(FAILED);
    }

    private void succeed(ChannelHandlerContext ctx) {
        step = Step.PASSED;
        events.accept(new ChatEvent.PeerKey(verifier.presented().toString(), Trust.ROOM_CODE.label(), null));
        ctx.pipeline().remove(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (step == Step.PASSED) {
            held.removeAndWriteAll();
            ctx.flush();
        } else {
            held.removeAndFailAll(new ClosedChannelException());
        }
    }

    private String expected() {
        return switch (step) {
            case AWAITING_TLS -> "the TLS handshake";
            case AWAITING_ROUND1 -> "pake1";
            case AWAITING_ROUND2 -> "pake2";
            case AWAITING_CONFIRM -> "pake-confirm";
            case PASSED, FAILED -> "nothing";
        };
    }
}
