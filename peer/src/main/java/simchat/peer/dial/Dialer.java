package simchat.peer.dial;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Promise;

/**
 * Connects a fixed local port to a fixed remote endpoint by TCP simultaneous open: it only ever calls
 * {@code connect}, retrying refused attempts with a new socket bound to the same port (SO_REUSEADDR),
 * paced by {@link DialPacing}. Nothing listens.
 *
 * <p>Dialing runs on a thread of its own with plain blocking sockets: between two network namespaces a
 * reset comes back within microseconds, so an attempt's SYN is in flight only that long and two eager
 * peers meet when one's SYN happens to leave within that window around the other's. Each redials every
 * 500-700 µs ({@link DialPacing}), at random so that the two never lock in step; a blocking
 * {@code connect} keeps each attempt's timing independent of an event loop's other work and of the JIT. The first SYN, though, leaves from
 * the thread that calls {@link #start()}, at the moment it chose: in a freshly started JVM a new
 * thread can wait tens of milliseconds to be scheduled, which would skew a timed dial. The socket that
 * completes the simultaneous open is handed to Netty, registered on {@code loop} without reading; the
 * caller installs its pipeline and then turns reading on, so nothing the other side sends is lost.
 *
 * <p>When the kernel refuses the local port or the port pair, a {@link PortCheck} tells who holds it: a
 * listener or a live connection of another process ends dialing at once ({@link
 * AttemptOutcome#LOCAL_PORT_UNAVAILABLE}, naming the holder); a connection in TIME_WAIT or still closing is
 * waited out at the normal pace ({@link AttemptOutcome#ADDRESS_PAIR_BUSY}, said once through {@link
 * DialListener#waiting}).
 */
public final class Dialer {

    /**
     * How often the {@link KnockDetector} samples the kernel's reset counter: often enough that the other
     * peer's arrival wakes us within a few of its eager SYNs' round trips, rarely enough that waiting costs
     * next to nothing (40 reads of {@code /proc/net/snmp} a second, about 30 µs each).
     */
    static final long KNOCK_POLL_MILLIS = 25;

    /**
     * After this long in SYN_SENT without an answer, an attempt counts as unanswered: the far side drops
     * SYNs silently (a NAT or firewall). The socket stays in SYN_SENT with the kernel retransmitting, a
     * wide-open window for the other peer's SYN, so it is not abandoned.
     */
    private static final Duration UNANSWERED_AFTER = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final EventLoop loop;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final DialPacing pacing;
    private final KnockDetector knocks;
    private final DialListener listener;
    private final RandomGenerator random;
    private final boolean remoteOnThisHost;
    private final StandardProtocolFamily family;
    private final boolean knocksAvailable;
    private final Promise<Connected> result;
    // Touched by the dialing thread only.
    private final PortCheck portCheck = PortCheck.system();

    private volatile long startNanos;
    private volatile int attempts;
    private volatile AttemptOutcome lastOutcome;
    private volatile long attemptStartNanos;
    private volatile SocketChannel inFlight;
    private volatile boolean stopped;
    private ScheduledFuture<?> progressTask;

    // Touched by the dialing thread only.
    private long eagerUntilNanos;
    private long nextKnockPollNanos;
    private long knockCooldownUntilNanos;
    private long knockEpisodeStartNanos;
    private long lastKnockNanos;
    private int refusedSincePoll;
    private int otherFailuresSincePoll;
    private int eagerSyns;

    public Dialer(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, DialPacing pacing,
                  KnockDetector knocks, DialListener listener, RandomGenerator random) {
        this.loop = requireNonNull(loop, "loop");
        this.local = requireNonNull(local, "local");
        this.remote = requireNonNull(remote, "remote");
        this.pacing = requireNonNull(pacing, "pacing");
        this.knocks = requireNonNull(knocks, "knocks");
        this.listener = requireNonNull(listener, "listener");
        this.random = requireNonNull(random, "random");
        this.remoteOnThisHost = Endpoints.isOnThisHost(remote.getAddress());
        this.family = remote.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
        // Read once here, ahead of start(): the first read of /proc costs milliseconds in a cold JVM.
        this.knocksAvailable = knocks.available();
        this.result = loop.newPromise();
    }

    /** The outcome: the connected channel with the dialing figures, or a {@link DialFailedException}. */
    public Promise<Connected> result() {
        return result;
    }

    /** Sends the first SYN now, from the calling thread, and goes on dialing on a thread of its own. */
    public Promise<Connected> start() {
        startNanos = System.nanoTime();
        FirstSyn first = firstSyn();
        long every = PROGRESS_EVERY.toNanos();
        progressTask = loop.scheduleAtFixedRate(() -> listener.progress(progress()), every, every,
                TimeUnit.NANOSECONDS);
        Thread thread = new Thread(() -> dial(first), "peer-dialer");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Gives up: an attempt in flight is closed and the result fails with the given reason. */
    public void stop(AttemptOutcome outcome, String message) {
        stopped = true;
        closeQuietly(inFlight);
        loop.execute(() -> fail(new DialFailedException(outcome, message)));
    }

    /** Dialing figures so far. */
    public DialProgress progress() {
        AttemptOutcome outcome = lastOutcome;
        if (inFlight != null && System.nanoTime() - attemptStartNanos > UNANSWERED_AFTER.toNanos()) {
            outcome = AttemptOutcome.TIMED_OUT;
        }
        return new DialProgress(attempts, Duration.ofNanos(System.nanoTime() - startNanos), outcome);
    }

    private void dial(FirstSyn first) {
        eagerUntilNanos = startNanos + pacing.eagerPhase().toNanos();
        if (knocksAvailable) {
            knocks.poll(0, remoteOnThisHost);
            nextKnockPollNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KNOCK_POLL_MILLIS);
        }
        SocketChannel connected = finish(first);
        while (connected == null) {
            if (lastOutcome == AttemptOutcome.LOCAL_PORT_UNAVAILABLE || stopped) {
                return;
            }
            pause();
            if (stopped) {
                return;
            }
            connected = attempt();
        }
        handOver(connected);
    }

    /**
     * The first attempt, on the caller's thread: a non-blocking {@code connect} sends the SYN and returns
     * at once; the dialing thread then waits for its outcome ({@link #finish}).
     */
    private FirstSyn firstSyn() {
        SocketChannel channel = null;
        try {
            // Counted before the bind: a bind the kernel refuses is an attempt too, though it sends no SYN.
            attempts++;
            channel = open();
            channel.configureBlocking(false);
            inFlight = channel;
            attemptStartNanos = System.nanoTime();
            channel.connect(remote);
            return new FirstSyn(channel, null);
        } catch (IOException e) {
            inFlight = null;
            closeQuietly(channel);
            return new FirstSyn(null, e);
        }
    }

    /** Waits, blocking, for the first attempt's outcome: the connected socket, or null as {@link #attempt()}. */
    private SocketChannel finish(FirstSyn first) {
        SocketChannel channel = first.channel();
        try {
            if (channel == null) {
                throw first.failure();
            }
            channel.configureBlocking(true);
            if (!channel.isConnected()) {
                channel.finishConnect();
            }
            inFlight = null;
            return channel;
        } catch (IOException e) {
            return failedAttempt(channel, e);
        }
    }

    /** One SYN: returns the connected socket, or null after recording how the attempt failed. */
    private SocketChannel attempt() {
        SocketChannel channel = null;
        try {
            attempts++;
            channel = open();
            inFlight = channel;
            attemptStartNanos = System.nanoTime();
            channel.connect(remote);
            inFlight = null;
            return channel;
        } catch (IOException e) {
            return failedAttempt(channel, e);
        }
    }

    /** Closes the socket of an attempt that failed and records how, unless dialing has stopped. */
    private SocketChannel failedAttempt(SocketChannel channel, IOException e) {
        inFlight = null;
        closeQuietly(channel);
        if (!stopped) {
            failed(e);
        }
        return null;
    }

    /** A blocking socket bound to the local port. */
    private SocketChannel open() throws IOException {
        SocketChannel channel = SocketChannel.open(family);
        try {
            // Every attempt binds the same port while earlier sockets may still be closing.
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(local);
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private void failed(IOException cause) {
        AttemptOutcome classified = AttemptOutcome.of(cause);
        PortHold hold = classified == AttemptOutcome.ADDRESS_PAIR_BUSY
                || classified == AttemptOutcome.LOCAL_PORT_UNAVAILABLE ? portCheck.explain(cause, local, remote) : null;
        AttemptOutcome outcome = hold != null ? hold.outcome() : classified;
        if (outcome != lastOutcome) {
            lastOutcome = outcome;
            loop.execute(() -> listener.outcomeChanged(outcome, cause));
            if (outcome == AttemptOutcome.ADDRESS_PAIR_BUSY && hold != null) {
                String reason = hold.message();
                loop.execute(() -> listener.waiting(reason));
            }
        }
        if (outcome == AttemptOutcome.REFUSED) {
            refusedSincePoll++;
        } else if (outcome == AttemptOutcome.TIMED_OUT || outcome == AttemptOutcome.UNREACHABLE) {
            // A SYN that was never answered, or answered by an ICMP error: a failed attempt, but no reset.
            otherFailuresSincePoll++;
        }
        if (outcome == AttemptOutcome.LOCAL_PORT_UNAVAILABLE) {
            String reason = AttemptOutcome.reason(cause);
            String message = hold != null ? hold.message() : PrivilegedPort.refused(reason)
                    ? PrivilegedPort.explain(local.getPort())
                    : "local port " + local.getPort() + " is unavailable (" + reason + "); choose another --local port";
            loop.execute(() -> fail(new DialFailedException(outcome, message)));
        }
    }

    /**
     * Waits before the next SYN: a short gap while eager, a paced gap otherwise, listening for knocks. Gaps run
     * from the start of the last attempt, so that quick failures never raise the rate. An attempt refused
     * because the port pair is busy sent no SYN at all, so it is never retried eagerly (that would only spin)
     * and a knock does not cut its gap short. An eager stretch that has sent {@link DialPacing#maxEagerSyns}
     * SYNs ends as a knock episode does.
     */
    private void pause() {
        boolean busy = lastOutcome == AttemptOutcome.ADDRESS_PAIR_BUSY;
        listenForKnock(busy);
        long now = System.nanoTime();
        boolean eager = !busy && now < eagerUntilNanos;
        if (eager && ++eagerSyns >= pacing.maxEagerSyns()) {
            endEagerness(now);
            eager = false;
        }
        if (!eager) {
            eagerSyns = 0;
        }
        long gap = pacing.gapNanos(eager, random);
        long until = (busy ? now : attemptStartNanos) + gap;
        while (!stopped && System.nanoTime() < until) {
            // Without a reset counter (not Linux) there is nothing to poll: sleep through the whole gap.
            long wake = nextKnockPollNanos == 0 ? until : Math.min(until, nextKnockPollNanos);
            if (eager) {
                // Sub-millisecond gaps are spun out: a thread that sleeps that briefly on a busy machine wakes
                // milliseconds late, and the eager rate, which is what makes two peers' SYNs meet, collapses.
                while (System.nanoTime() < wake) {
                    Thread.onSpinWait();
                }
            } else {
                LockSupport.parkNanos(Math.max(0, wake - System.nanoTime()));
            }
            if (listenForKnock(busy)) {
                return;
            }
        }
    }

    /**
     * Samples the reset counter when due; returns whether a knock just ended a paced pause. While the pair is
     * {@code busy} the counter is only sampled, to keep its baseline: we cannot dial eagerly then anyway, and a
     * knock episode spent now would leave us in its cooldown, deaf, when the pair frees and the other peer dials.
     */
    private boolean listenForKnock(boolean busy) {
        long now = System.nanoTime();
        if (nextKnockPollNanos == 0 || now < nextKnockPollNanos) {
            return false;
        }
        nextKnockPollNanos = now + TimeUnit.MILLISECONDS.toNanos(KNOCK_POLL_MILLIS);
        // Toward a peer on this same host, each refused attempt made our own kernel send one reset; toward
        // another host, each attempt that failed after its SYN counts as one failed attempt in this namespace.
        long own = remoteOnThisHost ? refusedSincePoll : refusedSincePoll + otherFailuresSincePoll;
        refusedSincePoll = 0;
        otherFailuresSincePoll = 0;
        if (!knocks.poll(own, remoteOnThisHost) || busy || now < knockCooldownUntilNanos) {
            return false;
        }
        if (knockEpisodeStartNanos == 0 || now - lastKnockNanos > TimeUnit.SECONDS.toNanos(1)) {
            knockEpisodeStartNanos = now;
            loop.execute(listener::knocked);
        }
        lastKnockNanos = now;
        if (now - knockEpisodeStartNanos > pacing.knockEpisode().toNanos()) {
            endEagerness(now);
            return false;
        }
        boolean paced = now >= eagerUntilNanos;
        eagerUntilNanos = Math.max(eagerUntilNanos, now + pacing.knockEager().toNanos());
        return paced;
    }

    /** Ends an eager stretch now, and ignores knocks for the cooldown. */
    private void endEagerness(long now) {
        eagerUntilNanos = Math.min(eagerUntilNanos, now);
        knockCooldownUntilNanos = now + pacing.knockCooldown().toNanos();
        knockEpisodeStartNanos = 0;
    }

    private void handOver(SocketChannel socket) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        int count = attempts;
        NioSocketChannel channel;
        try {
            if (socket.getLocalAddress().equals(socket.getRemoteAddress())) {
                closeQuietly(socket);
                loop.execute(() -> fail(new DialFailedException(AttemptOutcome.OTHER, "the socket connected to "
                        + "itself (" + remote + "): use another --local or --remote port")));
                return;
            }
            channel = new NioSocketChannel(socket);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            loop.execute(() -> fail(new DialFailedException(AttemptOutcome.OTHER, "cannot use the connection: " + e)));
            return;
        }
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        loop.register(channel).addListener(registered -> {
            if (!registered.isSuccess() || !result.trySuccess(new Connected(channel, count, elapsed))) {
                channel.close();
            }
            cancelProgress();
        });
    }

    private void fail(DialFailedException failure) {
        stopped = true;
        cancelProgress();
        result.tryFailure(failure);
    }

    private void cancelProgress() {
        if (progressTask != null) {
            progressTask.cancel(false);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a failed attempt: nothing to do.
            }
        }
    }

    /** The first attempt as {@link #start()} left it: a socket with its SYN sent, or why it could not send one. */
    private record FirstSyn(SocketChannel channel, IOException failure) {
    }

    /** A channel that completed the simultaneous open, with how long and how many attempts it took. */
    public record Connected(io.netty.channel.Channel channel, int attempts, Duration elapsed) {
    }
}
