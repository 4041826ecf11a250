package simchat.peer.dial;

import static java.util.Objects.requireNonNull;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Promise;

/**
 * Connects a fixed local port to a fixed remote endpoint by TCP simultaneous open: it only ever calls
 * {@code connect}, retrying refused or unanswered attempts with a new channel bound to the same port
 * (SO_REUSEADDR), paced by {@link DialPacing}. Nothing listens.
 *
 * <p>Attempt channels carry no handlers and do not read; the caller's {@code onConnected} callback
 * installs the real pipeline on the event loop before the first byte is read, so nothing sent by the
 * other side right after the handshake is lost.
 */
public final class Dialer {

    /**
     * How long one attempt waits for an answer. When the far side drops SYNs silently (a NAT or firewall)
     * the socket stays in SYN_SENT and the kernel retransmits at 1, 3 and 7 s: a wide-open window for the
     * other peer's SYN at the cost of a handful of SYNs.
     */
    static final int ATTEMPT_TIMEOUT_MILLIS = 10_000;

    /** How often the {@link KnockDetector} samples the kernel's reset counter while we pace. */
    static final long KNOCK_POLL_MILLIS = 10;

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final ChannelHandler NO_HANDLER = new Inert();

    private final EventLoop loop;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final DialPacing pacing;
    private final DialListener listener;
    private final RandomGenerator random;
    private final KnockDetector knocks;
    private final boolean remoteOnThisHost;
    private final Bootstrap bootstrap;
    private final Promise<Connected> result;

    private long startNanos;
    private long eagerUntilNanos;
    private long knockCooldownUntilNanos;
    private int attempts;
    private int refusedSincePoll;
    private AttemptOutcome lastOutcome;
    private ScheduledFuture<?> progressTask;
    private ScheduledFuture<?> knockTask;
    private ScheduledFuture<?> nextAttempt;
    private Channel pending;

    public Dialer(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, DialPacing pacing,
                  KnockDetector knocks, DialListener listener, RandomGenerator random) {
        this.loop = requireNonNull(loop, "loop");
        this.local = requireNonNull(local, "local");
        this.remote = requireNonNull(remote, "remote");
        this.pacing = requireNonNull(pacing, "pacing");
        this.listener = requireNonNull(listener, "listener");
        this.random = requireNonNull(random, "random");
        this.knocks = requireNonNull(knocks, "knocks");
        this.remoteOnThisHost = Endpoints.isOnThisHost(remote.getAddress());
        this.bootstrap = new Bootstrap()
                .group(loop)
                // A socket of the remote's own family: no IPv4-mapped IPv6 addresses in diagnostics.
                .channelFactory(() -> new NioSocketChannel(SelectorProvider.provider(),
                        remote.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6
                                : InternetProtocolFamily.IPv4))
                .localAddress(local)
                // Every attempt binds the same port while earlier sockets may still be closing.
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, ATTEMPT_TIMEOUT_MILLIS)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(NO_HANDLER);
        this.result = loop.newPromise();
    }

    /** The outcome: the connected channel with the dialing figures, or a {@link DialFailedException}. */
    public Promise<Connected> result() {
        return result;
    }

    /** Starts dialing; the callback sees each connected channel before it reads anything. */
    public Promise<Connected> start() {
        loop.execute(() -> {
            startNanos = System.nanoTime();
            eagerUntilNanos = startNanos + pacing.eagerPhase().toNanos();
            long every = PROGRESS_EVERY.toNanos();
            progressTask = loop.scheduleAtFixedRate(
                    () -> listener.progress(progress()), every, every, TimeUnit.NANOSECONDS);
            if (knocks.available()) {
                knocks.poll(0);
                knockTask = loop.scheduleAtFixedRate(
                        this::listenForKnock, KNOCK_POLL_MILLIS, KNOCK_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            attempt();
        });
        return result;
    }

    /** Gives up: the pending attempt is closed and the result fails with the given reason. */
    public void stop(AttemptOutcome outcome, String message) {
        loop.execute(() -> finish(null, new DialFailedException(outcome, message)));
    }

    /** Dialing figures so far. */
    public DialProgress progress() {
        return new DialProgress(attempts, Duration.ofNanos(System.nanoTime() - startNanos), lastOutcome);
    }

    private void attempt() {
        if (result.isDone()) {
            return;
        }
        attempts++;
        ChannelFuture connect = bootstrap.connect(remote);
        pending = connect.channel();
        connect.addListener((ChannelFuture f) -> attempted(f));
    }

    private void attempted(ChannelFuture f) {
        pending = null;
        if (result.isDone()) {
            f.channel().close();
            return;
        }
        if (f.isSuccess()) {
            connected(f.channel());
            return;
        }
        AttemptOutcome outcome = AttemptOutcome.of(f.cause());
        if (outcome != lastOutcome) {
            lastOutcome = outcome;
            listener.outcomeChanged(outcome, f.cause());
        }
        if (outcome == AttemptOutcome.LOCAL_PORT_UNAVAILABLE) {
            finish(null, new DialFailedException(outcome,
                    "local port " + local.getPort() + " is unavailable (" + AttemptOutcome.reason(f.cause())
                            + "): is another program listening on it? Choose another --local port"));
            return;
        }
        if (outcome == AttemptOutcome.REFUSED) {
            refusedSincePoll++;
        }
        long gap = pacing.gapNanos(System.nanoTime() < eagerUntilNanos, random);
        if (gap == 0) {
            attempt();
        } else {
            nextAttempt = loop.schedule(this::attempt, gap, TimeUnit.NANOSECONDS);
        }
    }

    private void listenForKnock() {
        // Each refused attempt toward a peer on this same host made our own kernel send one reset.
        long own = remoteOnThisHost ? refusedSincePoll : 0;
        refusedSincePoll = 0;
        if (!knocks.poll(own)) {
            return;
        }
        long now = System.nanoTime();
        if (now < eagerUntilNanos || now < knockCooldownUntilNanos) {
            return;
        }
        knocks.reset();
        eagerUntilNanos = now + pacing.knockEager().toNanos();
        knockCooldownUntilNanos = eagerUntilNanos + pacing.knockCooldown().toNanos();
        listener.knocked();
        if (nextAttempt != null && nextAttempt.cancel(false)) {
            attempt();
        }
    }

    private void connected(Channel channel) {
        if (channel.localAddress().equals(channel.remoteAddress())) {
            channel.close();
            finish(null, new DialFailedException(AttemptOutcome.OTHER,
                    "the socket connected to itself (" + remote + "): use another --local or --remote port"));
            return;
        }
        finish(new Connected(channel, attempts, Duration.ofNanos(System.nanoTime() - startNanos)), null);
    }

    private void finish(Connected connected, DialFailedException failure) {
        if (result.isDone()) {
            if (connected != null) {
                connected.channel().close();
            }
            return;
        }
        if (progressTask != null) {
            progressTask.cancel(false);
        }
        if (knockTask != null) {
            knockTask.cancel(false);
        }
        if (nextAttempt != null) {
            nextAttempt.cancel(false);
        }
        if (pending != null) {
            pending.close();
        }
        if (connected != null) {
            result.setSuccess(connected);
        } else {
            result.setFailure(failure);
        }
    }

    /** A channel that completed the simultaneous open, with how long and how many attempts it took. */
    public record Connected(Channel channel, int attempts, Duration elapsed) {
    }

    @ChannelHandler.Sharable
    private static final class Inert extends ChannelInboundHandlerAdapter {
    }
}
