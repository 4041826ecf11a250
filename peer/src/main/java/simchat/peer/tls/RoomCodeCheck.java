package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.bouncycastle.crypto.CryptoException;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.Message;
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
 *
 * <p>J-PAKE's arithmetic (a tenth of a second per side with the 3072-bit group) runs on the {@code work}
 * executor, one step at a time, and its result comes back on the event loop. Peer frames that arrive
 * meanwhile wait their turn in arrival order; a step finishing after the channel closed writes nothing.
 */
final class RoomCodeCheck extends ChannelDuplexHandler {

    static final String FAILED = AuthenticationException.CODES_DIFFER;

    private enum Step { AWAITING_TLS, AWAITING_ROUND1, AWAITING_ROUND2, AWAITING_CONFIRM, PASSED, FAILED }

    /** What a J-PAKE step, computed off the loop, asks the loop to do. */
    private sealed interface Outcome {
        /** Send our next frame and wait for the peer's next one. */
        record Reply(Message frame) implements Outcome {
        }

        /** The peer proved it knows the code and shares this TLS session. */
        record Passed() implements Outcome {
        }

        /** The peer's proof is wrong. */
        record Refused() implements Outcome {
        }
    }

    /** One J-PAKE step; may throw {@link CryptoException} when the peer's frame does not check out. */
    @FunctionalInterface
    private interface Computation {
        Outcome compute() throws CryptoException;
    }

    private final Supplier<String> code;
    private final Fingerprint ours;
    private final PeerVerifier verifier;
    private final Consumer<ChatEvent> events;
    private final SecureRandom random;
    private final Executor work;
    private final Queue<Object> received = new ArrayDeque<>();
    private PendingWriteQueue held;
    private RoomCodeExchange exchange;
    private CompletableFuture<Outcome> computing;
    private Step step = Step.AWAITING_TLS;

    RoomCodeCheck(Supplier<String> code, Fingerprint ours, PeerVerifier verifier, Consumer<ChatEvent> events,
                  SecureRandom random, Executor work) {
        this.code = requireNonNull(code, "code");
        this.ours = requireNonNull(ours, "ours");
        this.verifier = requireNonNull(verifier, "verifier");
        this.events = requireNonNull(events, "events");
        this.random = requireNonNull(random, "random");
        this.work = requireNonNull(work, "work");
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
            compute(ctx, () -> new Outcome.Reply(exchange.round1()));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received.add(msg);
        takeNext(ctx);
    }

    /** Handles the oldest frame the peer sent, unless a step is still being computed. */
    private void takeNext(ChannelHandlerContext ctx) {
        while (computing == null && step != Step.PASSED && step != Step.FAILED && !received.isEmpty()) {
            Object msg = received.poll();
            try {
                handle(ctx, msg);
            } catch (RuntimeException e) {
                fail(ctx, e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Bye) {
            // The peer gave up on the check: it found our proof wrong, or it is not who the code was for.
            throw new AuthenticationException(FAILED);
        } else if (step == Step.AWAITING_ROUND1 && msg instanceof PakeRound1 round1) {
            step = Step.AWAITING_ROUND2;
            compute(ctx, () -> new Outcome.Reply(exchange.round2(round1)));
        } else if (step == Step.AWAITING_ROUND2 && msg instanceof PakeRound2 round2) {
            step = Step.AWAITING_CONFIRM;
            compute(ctx, () -> new Outcome.Reply(exchange.confirm(round2)));
        } else if (step == Step.AWAITING_CONFIRM && msg instanceof PakeConfirm confirm) {
            compute(ctx, () -> exchange.verify(confirm) ? new Outcome.Passed() : new Outcome.Refused());
        } else {
            throw new ProtocolException("expected " + expected() + ", got " + Json.typeName(msg)
                    + (msg instanceof Hello ? " (the other peer runs a simchat without the room-code check)" : ""));
        }
    }

    /** Runs {@code computation} off the loop; its outcome is acted on back on the loop, if we are still there. */
    private void compute(ChannelHandlerContext ctx, Computation computation) {
        CompletableFuture<Outcome> future = CompletableFuture.supplyAsync(() -> {
            try {
                return computation.compute();
            } catch (CryptoException e) {
                return new Outcome.Refused();
            }
        }, work);
        computing = future;
        future.whenComplete((outcome, failure) -> ctx.executor().execute(() -> {
            if (computing != future) {
                // The channel went away (or the check ended) while we computed: nothing to say any more.
                return;
            }
            computing = null;
            if (failure != null) {
                fail(ctx, failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
            } else {
                act(ctx, outcome);
                takeNext(ctx);
            }
        }));
    }

    private void act(ChannelHandlerContext ctx, Outcome outcome) {
        if (outcome instanceof Outcome.Reply reply) {
            ctx.writeAndFlush(reply.frame());
        } else if (outcome instanceof Outcome.Passed) {
            succeed(ctx);
        } else {
            ctx.writeAndFlush(new Bye("room code check failed"));
            fail(ctx, new AuthenticationException(FAILED));
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        step = Step.FAILED;
        stop();
        ctx.fireExceptionCaught(cause);
    }

    private void succeed(ChannelHandlerContext ctx) {
        step = Step.PASSED;
        events.accept(new ChatEvent.PeerKey(verifier.presented().toString(), Trust.ROOM_CODE.label(), null));
        ctx.pipeline().remove(this);
        // The peer passed our check before we passed its: its hello may have come while we verified.
        if (!received.isEmpty()) {
            for (Object msg; (msg = received.poll()) != null; ) {
                ctx.fireChannelRead(msg);
            }
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The peer found the codes differ while we still computed a step: its bye waits behind that step.
        boolean refused = step != Step.PASSED && step != Step.FAILED && received.stream().anyMatch(Bye.class::isInstance);
        stop();
        if (refused) {
            fail(ctx, new AuthenticationException(FAILED));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (step == Step.PASSED) {
            // Frames the peer sent meanwhile are passed on by succeed, right after this.
            held.removeAndWriteAll();
            ctx.flush();
        } else {
            stop();
            held.removeAndFailAll(new ClosedChannelException());
        }
    }

    /** Forgets a step still being computed and every frame still waiting for its turn. */
    private void stop() {
        if (computing != null) {
            // A step that has not started yet never will; one that has runs out, and its outcome is ignored.
            computing.cancel(false);
            computing = null;
        }
        for (Object msg; (msg = received.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
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
