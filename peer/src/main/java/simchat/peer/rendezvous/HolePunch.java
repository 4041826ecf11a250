package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import simchat.peer.dial.AttemptOutcome;
import simchat.peer.dial.DialFailedException;
import simchat.peer.dial.DialListener;
import simchat.peer.dial.DialPacing;
import simchat.peer.dial.Dialer;
import simchat.peer.dial.KnockDetector;

/**
 * One round of hole punching: a {@link Dialer} per candidate, all from the same fixed local port by
 * pure simultaneous open; the first connection wins and the other dialers stop (closing whatever
 * they had pending). Fails when no candidate connects within the window. Confined to one event loop.
 */
final class HolePunch {

    private final EventLoop loop;
    private final InetSocketAddress local;
    private final List<Candidate> candidates;
    private final Duration window;
    private final DialListener listener;
    private final List<Dialer> dialers = new ArrayList<>();
    private final Promise<Won> result;
    private ScheduledFuture<?> deadline;
    private long startNanos;

    HolePunch(EventLoop loop, InetSocketAddress local, List<Candidate> candidates, Duration window,
              DialListener listener) {
        this.loop = requireNonNull(loop, "loop");
        this.local = requireNonNull(local, "local");
        this.candidates = List.copyOf(candidates);
        this.window = requireNonNull(window, "window");
        this.listener = requireNonNull(listener, "listener");
        this.result = loop.newPromise();
        if (this.candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates: none (expected: at least one)");
        }
        // Built ahead of the sync, so that the timed start only has to send SYNs.
        for (Candidate candidate : this.candidates) {
            dialers.add(new Dialer(loop, local, candidate.endpoint().toSocketAddress(), DialPacing.DEFAULT,
                    new KnockDetector(), listener, new Random()));
        }
    }

    List<Candidate> candidates() {
        return candidates;
    }

    /** Starts every dialer; call on the event loop. */
    Promise<Won> start() {
        startNanos = System.nanoTime();
        deadline = loop.schedule(() -> stop("no candidate connected within " + window.toSeconds() + " s"),
                window.toNanos(), TimeUnit.NANOSECONDS);
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            Dialer dialer = dialers.get(i);
            dialer.start().addListener(f -> dialed(candidate, dialer));
        }
        return result;
    }

    /** Abandons the round (started or not): every dialer stops and the result fails with {@code reason}. */
    void stop(String reason) {
        if (result.tryFailure(new DialFailedException(AttemptOutcome.TIMED_OUT, reason))) {
            stopDialers(null, reason);
        }
    }

    private void dialed(Candidate candidate, Dialer dialer) {
        if (!dialer.result().isSuccess()) {
            DialFailedException failure = (DialFailedException) dialer.result().cause();
            // A port we cannot bind fails every candidate alike; anything else is one candidate's problem.
            if (failure.outcome() == AttemptOutcome.LOCAL_PORT_UNAVAILABLE && result.tryFailure(failure)) {
                stopDialers(null, failure.getMessage());
            }
            return;
        }
        Dialer.Connected connected = dialer.result().getNow();
        if (!result.trySuccess(new Won(candidate, connected, System.nanoTime() - startNanos))) {
            connected.channel().close();
            return;
        }
        stopDialers(dialer, "another candidate connected");
    }

    private void stopDialers(Dialer keep, String reason) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        for (Dialer d : dialers) {
            if (d != keep) {
                d.stop(AttemptOutcome.OTHER, reason);
            }
        }
    }

    /** The candidate that connected first, its channel (not yet reading), and how long the round took. */
    record Won(Candidate candidate, Dialer.Connected connected, long nanos) {
    }
}
