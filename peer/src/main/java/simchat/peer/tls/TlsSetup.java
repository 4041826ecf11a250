package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Json;
import simchat.peer.wire.Message;
import simchat.peer.wire.StartTls;

/**
 * Encryption for every connection of one run: TLS 1.3 only, both sides present their certificate, and
 * the peer's key is checked by the {@link TrustPolicy}. There is no client or server in a simultaneous
 * open, so a plaintext {@code starttls} exchange picks the roles first ({@link StartTlsHandler}). What
 * would make the event loop wait (TLS's handshake tasks with the trust decision, the {@code known_peers}
 * file, J-PAKE) runs on a small executor of its own.
 */
public final class TlsSetup {

    private static final String TLS_1_3 = "TLSv1.3";
    /**
     * Chat frames and acks the warm-up sends through its in-memory TLS: enough for the JSON codec and
     * AES-GCM to be loaded and compiled, a few milliseconds of one core.
     */
    private static final int WARM_UP_FRAMES = 300;

    private final LocalIdentity identity;
    private final TrustPolicy policy;
    private final Consumer<ChatEvent> events;
    private final Executor work;
    private final SecureRandom random;
    private final IdentityKeyManager keys;
    private final AtomicBoolean recordsWarmedUp = new AtomicBoolean();

    public TlsSetup(LocalIdentity identity, TrustPolicy policy, Consumer<ChatEvent> events) {
        this(identity, policy, events, OffLoop.newExecutor(), new SecureRandom());
    }

    /** {@code work} runs what the event loop must not wait for; {@code random} feeds nonces and J-PAKE. */
    TlsSetup(LocalIdentity identity, TrustPolicy policy, Consumer<ChatEvent> events, Executor work,
             SecureRandom random) {
        this.identity = requireNonNull(identity, "identity");
        this.policy = requireNonNull(policy, "policy");
        this.events = requireNonNull(events, "events");
        this.work = requireNonNull(work, "work");
        this.random = requireNonNull(random, "random");
        this.keys = new IdentityKeyManager(identity);
    }

    public LocalIdentity identity() {
        return identity;
    }

    public TrustPolicy policy() {
        return policy;
    }

    /**
     * Puts the TLS prologue in front of {@code pipeline}, so that everything behind it travels encrypted,
     * and with a {@link TrustPolicy.RoomCode} the room-code check at its end: call it once the message
     * codec is in place and before anything that sends frames.
     */
    public void install(ChannelPipeline pipeline) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        // A fresh verifier per connection: it remembers which key this connection's peer presented.
        PeerVerifier verifier = new PeerVerifier(policy);
        pipeline.addFirst("tls-outcome", new TlsOutcome(verifier, identity.fingerprint(), events, work));
        pipeline.addFirst("starttls", new StartTlsHandler(HexFormat.of().formatHex(nonce),
                client -> newHandler(pipeline, verifier, client)));
        if (policy instanceof TrustPolicy.RoomCode room) {
            pipeline.addLast("room-code", new RoomCodeCheck(room.code(), identity.fingerprint(), verifier, events,
                    random, work));
        }
    }

    /** Records of the record warm-up, each way (a system property for benchmarks: 0 turns it off). */
    private static final int WARM_UP_RECORDS = Integer.getInteger("simchat.warmUpRecords", 6_000);
    private static final int WARM_UP_RECORD_BYTES = 512;

    /**
     * Runs one TLS handshake between two in-memory engines with our identity, and a few chat frames through
     * it. A JVM that has never done TLS loads and compiles a great deal on its first handshake: seconds on a
     * busy machine, enough for the other peer to give up waiting for our hello, and the first messages after
     * it would be several times slower than later ones. In direct mode it runs on a thread of its own while
     * the first SYNs fly ({@link #warmUpInBackground}); in rendezvous mode before the peer dials, where the
     * rendezvous times the dial to the millisecond.
     */
    public void warmUpQuietly() {
        try {
            warmUp();
        } catch (SSLException | RuntimeException e) {
            // Only a head start: whatever fails here fails again, and is reported, on the real connection.
        }
    }

    /**
     * {@link #warmUpQuietly} on a daemon thread of its own, started now. Connections do not wait for it: one
     * that comes first runs its handshake beside it, which costs no more than the cold handshake it replaces.
     */
    public Thread warmUpInBackground() {
        Thread thread = new Thread(this::warmUpQuietly, "peer-tls-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** One starttls line, one whole TLS handshake with ourselves and chat frames through it, in memory. */
    void warmUp() throws SSLException {
        Json.parse(Json.format(new StartTls("00")));
        SSLEngine[] engines = inMemoryPair();
        for (int i = 1; i <= WARM_UP_FRAMES; i++) {
            InMemoryHandshake.send(engines[0], engines[1], frame(new Chat("warm-up", i, i, "warming up")));
            InMemoryHandshake.send(engines[0], engines[1], frame(new Ack(i)));
        }
    }

    /**
     * Sends records both ways between two in-memory engines, once per run, on a thread of its own, after the
     * first real handshake (so that it takes no CPU from dialing or the handshake). AES-GCM runs as Java
     * bytecode until the JIT has compiled it with the processor's AES and carry-less multiply instructions,
     * and a record is few calls but long loops, so a cold JVM enciphered about 11 MB/s: the first 100,000
     * pasted lines (6 MB of text, more as JSON) cost about a second on each side. Some thousands of small
     * records get it compiled; then 2 MB take well under a millisecond.
     */
    private void warmUpRecordsOnce() {
        if (WARM_UP_RECORDS == 0 || !recordsWarmedUp.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                SSLEngine[] engines = inMemoryPair();
                InMemoryHandshake.exchange(engines[0], engines[1], WARM_UP_RECORDS, WARM_UP_RECORD_BYTES);
                InMemoryHandshake.exchange(engines[1], engines[0], WARM_UP_RECORDS, WARM_UP_RECORD_BYTES);
            } catch (SSLException | RuntimeException e) {
                // Only a head start: the chat's own records work the same, just slower at first.
            }
        }, "tls-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** A client and a server engine with our identity, their handshake done in memory. */
    SSLEngine[] inMemoryPair() throws SSLException {
        PeerVerifier anyKey = new PeerVerifier(new TrustPolicy.Unverified());
        SSLEngine client = newContext(anyKey, true).newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine server = newContext(anyKey, false).newEngine(ByteBufAllocator.DEFAULT);
        InMemoryHandshake.run(client, server);
        return new SSLEngine[] {client, server};
    }

    /** A frame as the codec writes it, after a round trip through the codec. */
    private static byte[] frame(Message message) {
        return (Json.format(Json.parse(Json.format(message))) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private SslHandler newHandler(ChannelPipeline pipeline, PeerVerifier verifier, boolean client) {
        // The engine's delegated tasks hold the handshake's signatures and the trust manager, which may read
        // known_peers: they run off the event loop, and the handler resumes the handshake on the loop.
        SslHandler handler = newContext(verifier, client).newHandler(pipeline.channel().alloc(), work);
        handler.handshakeFuture().addListener(done -> {
            if (done.isSuccess()) {
                warmUpRecordsOnce();
            }
        });
        // One deadline for starttls, TLS and hello together: the chat pipeline's hello timeout.
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    private SslContext newContext(PeerVerifier verifier, boolean client) {
        try {
            SslContextBuilder builder = client
                    ? SslContextBuilder.forClient().keyManager(keys)
                    : SslContextBuilder.forServer(keys).clientAuth(ClientAuth.REQUIRE);
            return builder
                    .sslProvider(SslProvider.JDK)
                    .protocols(TLS_1_3)
                    .trustManager(verifier)
                    // Peers have no host names: the pinned or remembered key is the identity.
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS 1.3: " + e.getMessage(), e);
        }
    }
}
