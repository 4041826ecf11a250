package simchat.peer.session;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import simchat.peer.Outcome;
import simchat.peer.files.FilesHandler;
import simchat.peer.files.Transfers;
import simchat.peer.link.Link;
import simchat.peer.link.LinkSink;
import simchat.peer.tls.TlsSetup;
import simchat.peer.wire.FileDataEncoder;
import simchat.peer.wire.FileDataSplitter;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Limits;
import simchat.peer.wire.MessageDecoder;
import simchat.peer.wire.MessageEncoder;

/**
 * Builds the pipeline of a connected channel, top-down: TLS (unless plaintext), framing, JSON codec,
 * the room-code check (rendezvous mode), heartbeat, hello, chat. As the {@link LinkSink} of a connector it
 * takes over every link the connector finds, and ends the chat when the connector has none left.
 */
public final class PeerPipeline implements LinkSink {

    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);
    /** How long a peer may take to say hello once connected. */
    public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The same when starttls and a TLS handshake come first: a freshly started JVM's first TLS handshake took
     * more than 10 s on a busy machine (two cores, load 16), though the peers were alive and well.
     */
    public static final Duration ENCRYPTED_HELLO_TIMEOUT = Duration.ofSeconds(30);

    private final Hello ours;
    private final ChatSession session;
    private final TlsSetup tls;
    private final Transfers files;

    /** A plaintext pipeline (for {@code --plaintext}). */
    public PeerPipeline(Hello ours, ChatSession session) {
        this(ours, session, null);
    }

    /** An encrypted pipeline, or a plaintext one when {@code tls} is null. */
    public PeerPipeline(Hello ours, ChatSession session, TlsSetup tls) {
        this(ours, session, tls, null);
    }

    /** The same, sending and receiving files through {@code files} (null: no file transfers). */
    public PeerPipeline(Hello ours, ChatSession session, TlsSetup tls, Transfers files) {
        this.ours = requireNonNull(ours, "ours");
        this.session = requireNonNull(session, "session");
        this.tls = tls;
        this.files = files;
    }

    /** Installs the handlers on the link's channel and starts reading from it. */
    @Override
    public void offer(Link link) {
        install(link);
        link.channel().config().setAutoRead(true);
    }

    @Override
    public void noMoreLinks(Outcome.Failure why) {
        session.abandon(why);
    }

    /**
     * Installs the handlers on a channel nobody dialled (tests, in-process pairs); {@code lostBeforeHello} runs
     * if it dies before the peer said hello.
     */
    public void install(Channel channel, Runnable lostBeforeHello) {
        install(new Link(channel, 0, Duration.ZERO, lostBeforeHello));
    }

    private void install(Link link) {
        ChannelPipeline p = link.channel().pipeline();
        FileDataSplitter splitter = new FileDataSplitter();
        if (files != null) {
            // Binary file data out of the byte stream, once both peers announced files; lines pass on.
            p.addLast("file-data", splitter);
        }
        // Newline-delimited frames with a hard size limit; one decoder per channel (it holds state).
        p.addLast("framing", new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true));
        // Strict UTF-8 JSON <-> Message records.
        p.addLast("decoder", MessageDecoder.INSTANCE);
        p.addLast("encoder", MessageEncoder.INSTANCE);
        if (files != null) {
            p.addLast("file-data-encoder", FileDataEncoder.INSTANCE);
        }
        if (tls != null) {
            // In front: a plaintext starttls line picks the TLS roles, then TLS 1.3 carries everything.
            // Behind the codec, in rendezvous mode: the room code must vouch for the peer before any frame.
            tls.install(p);
        }
        // Ping when we are quiet, give up on a peer that is silent for too long.
        p.addLast("idle", new IdleStateHandler(HEARTBEAT_TIMEOUT.toMillis(), HEARTBEAT_INTERVAL.toMillis(), 0,
                TimeUnit.MILLISECONDS));
        p.addLast("heartbeat", new Heartbeat(session::roundTrip));
        // Both sides say hello first; this handler removes itself once the peer's hello checks out.
        p.addLast("handshake", new Handshake(ours,
                (tls != null ? ENCRYPTED_HELLO_TIMEOUT : HELLO_TIMEOUT).toMillis()));
        if (files != null) {
            // File frames to the chat's transfers; chat and acks are written directly, never behind them.
            p.addLast("files", new FilesHandler(files, splitter));
        }
        // The chat itself.
        p.addLast("chat", new ChatHandler(session, link));
    }
}
