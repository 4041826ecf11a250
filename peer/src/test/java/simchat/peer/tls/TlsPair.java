package simchat.peer.tls;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import simchat.peer.console.ChatEvent;
import simchat.peer.session.ChatSession;
import simchat.peer.session.PeerPipeline;
import simchat.peer.wire.Hello;

/**
 * Two peers' whole pipelines on two {@link EmbeddedChannel}s, wired back to back: {@link #pump()} carries
 * every written byte to the other side (and records it, as a packet capture would) until both are quiet.
 */
final class TlsPair implements AutoCloseable {

    final Side alice;
    final Side bob;
    /** Everything that crossed the "wire", both directions, in order. */
    final StringBuilder wire = new StringBuilder();

    TlsPair(Side alice, Side bob) {
        this.alice = alice;
        this.bob = bob;
    }

    /** One peer: {@code tls} null means {@code --plaintext}. */
    static Side side(String name, String nonce, TrustPolicy policy, LocalIdentity identity) {
        // Work meant for other threads runs at once: an embedded channel belongs to the test's thread.
        return new Side(name, nonce, policy, identity, Runnable::run);
    }

    /** One peer whose off-loop work goes to {@code work}, which must run it on the test's thread. */
    static Side side(String name, String nonce, TrustPolicy policy, LocalIdentity identity, Executor work) {
        return new Side(name, nonce, policy, identity, work);
    }

    /** Moves bytes both ways until nothing is left; {@code coalesce} delivers each burst as one buffer. */
    void pump(boolean coalesce) {
        boolean moved = true;
        for (int rounds = 0; moved && rounds < 100; rounds++) {
            moved = carry(alice, bob, coalesce) | carry(bob, alice, coalesce);
        }
    }

    void pump() {
        pump(false);
    }

    private boolean carry(Side from, Side to, boolean coalesce) {
        settle(from);
        List<ByteBuf> burst = new java.util.ArrayList<>();
        for (ByteBuf buf; (buf = from.channel.readOutbound()) != null; ) {
            wire.append(buf.toString(StandardCharsets.ISO_8859_1));
            burst.add(buf);
        }
        if (burst.isEmpty()) {
            return false;
        }
        if (!to.channel.isOpen()) {
            burst.forEach(ByteBuf::release);
            return false;
        }
        // Not writeInbound(): it rethrows what the pipeline already reported, and refusals are expected here.
        if (coalesce) {
            to.channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(burst.toArray(ByteBuf[]::new)));
        } else {
            burst.forEach(b -> to.channel.pipeline().fireChannelRead(b));
        }
        to.channel.pipeline().fireChannelReadComplete();
        settle(to);
        return true;
    }

    /**
     * Runs pending tasks. An embedded channel tears its pipeline down the moment it is closed, so after
     * a refusal TLS's own report of the failure reaches the tail, which records it; a real channel
     * deregisters later, and the chat handler has it. Only the session's events matter here.
     */
    private static void settle(Side side) {
        side.channel.runPendingTasks();
        try {
            side.channel.checkException();
        } catch (Exception reportedAfterClose) {
            side.lateExceptions.add(reportedAfterClose);
        }
    }

    @Override
    public void close() {
        alice.channel.finishAndReleaseAll();
        bob.channel.finishAndReleaseAll();
    }

    /** One end: its channel, session and every event it reported. */
    static final class Side {
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ChatSession session = new ChatSession(channel.eventLoop(), events::add);
        final LocalIdentity identity;
        final List<Throwable> lateExceptions = new CopyOnWriteArrayList<>();
        boolean lostBeforeHello;

        private Side(String name, String nonce, TrustPolicy policy, LocalIdentity identity, Executor work) {
            this.identity = identity;
            TlsSetup tls = policy == null ? null
                    : new TlsSetup(identity, policy, events::add, work, new SecureRandom());
            Hello hello = new Hello(Hello.PROTOCOL_VERSION, name, nonce);
            // The embedded channel is active at once: install as the dialer's caller does.
            new PeerPipeline(hello, session, tls).install(channel, () -> lostBeforeHello = true);
        }

        boolean isTlsClient() {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            return tls != null && tls.engine().getUseClientMode();
        }

        <T extends ChatEvent> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        String failure() {
            return events(ChatEvent.Failure.class).stream().map(ChatEvent.Failure::message).findFirst()
                    .orElse("(no failure; events: " + events + ")");
        }
    }

}
