package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import simchat.peer.console.ChatEvent;

/**
 * Sits right behind TLS and turns how the handshake ended into words: the peer's key and why it is
 * trusted, or an {@link AuthenticationException} naming both keys when either side refused the other.
 *
 * <p>In TLS 1.3 the client finishes its handshake before the server has checked the client's
 * certificate, so a refusal can arrive as an alert after our handshake succeeded. The peer only sends
 * data once it accepted us, so this handler keeps translating alerts until the first data arrives.
 *
 * <p>A key met for the first time is written to {@code known_peers} (under its file lock, which another
 * peer process may hold) on the {@code work} executor. Meanwhile the pipeline pauses: the handshake's
 * completion and whatever the peer sent wait here, in order, and go on once the key is remembered.
 */
final class TlsOutcome extends ChannelInboundHandlerAdapter {

    private final PeerVerifier verifier;
    private final Fingerprint ours;
    private final Consumer<ChatEvent> events;
    private final Executor work;
    private final Queue<Object> paused = new ArrayDeque<>();
    private CompletableFuture<Void> remembering;
    private boolean reported;

    TlsOutcome(PeerVerifier verifier, Fingerprint ours, Consumer<ChatEvent> events, Executor work) {
        this.verifier = requireNonNull(verifier, "verifier");
        this.ours = requireNonNull(ours, "ours");
        this.events = requireNonNull(events, "events");
        this.work = requireNonNull(work, "work");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            exceptionCaught(ctx, done.cause());
        } else if (evt instanceof SslHandshakeCompletionEvent && verifier.remembersOnConfirm()) {
            remember(ctx, evt);
            return;
        } else if (evt instanceof SslHandshakeCompletionEvent) {
            reportKey();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Writes the new key down off the loop, then lets {@code handshakeDone} and what waited go on. */
    private void remember(ChannelHandlerContext ctx, Object handshakeDone) {
        // Reading pauses too, so that a peer cannot make us queue without bound meanwhile.
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<Void> future = CompletableFuture.runAsync(() -> {
            try {
                verifier.confirmed();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, work);
        remembering = future;
        future.whenComplete((ignored, failure) -> ctx.executor().execute(() -> {
            if (remembering != future) {
                // The channel closed while we wrote: nobody is left to tell.
                return;
            }
            remembering = null;
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (cause != null) {
                String why = cause instanceof UncheckedIOException io ? io.getCause().getMessage() : cause.toString();
                events.accept(new ChatEvent.Status("cannot remember the peer's key: " + why));
            }
            reportKey();
            ctx.fireUserEventTriggered(handshakeDone);
            ctx.channel().config().setAutoRead(true);
            if (!paused.isEmpty()) {
                // The peer sent data, so it accepted our key: nothing left to translate.
                List<Object> waiting = new ArrayList<>(paused);
                paused.clear();
                ctx.pipeline().remove(this);
                waiting.forEach(ctx::fireChannelRead);
                ctx.fireChannelReadComplete();
            }
        }));
    }

    private void reportKey() {
        if (!(verifier.policy() instanceof TrustPolicy.RoomCode)) {
            // With a room code the key is reported once the code check vouched for it.
            events.accept(new ChatEvent.PeerKey(verifier.presented().toString(), verifier.trust().label(),
                    endpoint()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (remembering != null) {
            paused.add(msg);
            return;
        }
        // The peer sends data only after it accepted our key: nothing left to translate.
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (remembering == null) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        forget();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        forget();
    }

    /** Drops a pending write-down that has not started and the data that waited for it. */
    private void forget() {
        if (remembering != null) {
            remembering.cancel(false);
            remembering = null;
        }
        for (Object msg; (msg = paused.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        AuthenticationException refused = reported ? null : translate(cause);
        if (refused != null) {
            reported = true;
            ctx.fireExceptionCaught(refused);
        } else if (!reported) {
            ctx.fireExceptionCaught(cause);
        }
    }

    private AuthenticationException translate(Throwable cause) {
        SSLException tls = find(cause);
        if (tls == null) {
            return null;
        }
        if (verifier.presented() != null && verifier.trust() == null) {
            return weRefused();
        }
        String message = String.valueOf(tls.getMessage());
        if (message.contains("fatal alert")) {
            String alert = message.substring(message.indexOf("fatal alert") + "fatal alert".length())
                    .replaceFirst("^[:\\s]+", "");
            if (alert.startsWith("bad_certificate") || alert.startsWith("certificate_unknown")
                    || alert.startsWith("certificate_required") || alert.startsWith("unsupported_certificate")
                    || alert.startsWith("access_denied")) {
                return new AuthenticationException("the other peer refused this peer's key (" + alert + "): it expects"
                        + " another key for this address; this peer's fingerprint is " + ours
                        + ", compare it aloud with the other person");
            }
        }
        if (tls instanceof SSLHandshakeException) {
            return new AuthenticationException("TLS handshake failed: " + message);
        }
        return null;
    }

    private AuthenticationException weRefused() {
        TrustPolicy policy = verifier.policy();
        if (policy instanceof TrustPolicy.Pinned pinned) {
            return new AuthenticationException("refusing the connection: the other peer's key is "
                    + verifier.presented() + " but --trust expects " + pinned.expected()
                    + "; a mistyped fingerprint, or someone in the middle");
        }
        if (policy instanceof TrustPolicy.OnFirstUse tofu && verifier.remembered().isPresent()) {
            events.accept(new ChatEvent.KeyChanged(tofu.endpoint(), verifier.remembered().get().toString(),
                    verifier.presented().toString(), tofu.known().dir().knownPeersFile().toString()));
            return new AuthenticationException("refusing the connection: the key of " + tofu.endpoint()
                    + " has changed (see the warning above)");
        }
        return new AuthenticationException("refusing the connection: cannot check the other peer's key "
                + verifier.presented());
    }

    private String endpoint() {
        return verifier.policy() instanceof TrustPolicy.OnFirstUse tofu ? tofu.endpoint() : null;
    }

    /** The TLS failure behind {@code cause}, unless it is only the connection going away. */
    private static SSLException find(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
                return name.contains("closed") ? null : ssl;
            }
        }
        return null;
    }
}
