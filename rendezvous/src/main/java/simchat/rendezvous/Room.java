package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Nullable;
import simchat.rendezvous.protocol.Outcome;
import simchat.rendezvous.protocol.Protocol;

/**
 * One pairing, from the first join to the hole punch's end: introduce the peers, then up to
 * {@link Protocol#MAX_ROUNDS} rounds of measure RTT → sync → collect results. Confined to the
 * rendezvous' event loop, like everything that touches rooms.
 */
final class Room {

    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private enum State { WAITING, MEASURING, DIALLING, FINISHED }

    final String code;
    private final Member initiator;
    @Nullable private Member responder;
    private final Rooms rooms;
    private final EventExecutor executor;
    private final RendezvousConfig config;

    private State state = State.WAITING;
    private int round;
    @Nullable private ScheduledFuture<?> timer;

    Room(String code, Member initiator, Rooms rooms, EventExecutor executor, RendezvousConfig config) {
        this.code = requireNonNull(code, "code");
        this.initiator = requireNonNull(initiator, "initiator");
        this.rooms = requireNonNull(rooms, "rooms");
        this.executor = requireNonNull(executor, "executor");
        this.config = requireNonNull(config, "config");
        this.timer = schedule(config.roomTtl(), this::expire);
    }

    boolean full() {
        return responder != null;
    }

    /** The second peer arrived: introduce both and start the first round. */
    void pair(Member second, long joinReadNanos, RendezvousMetrics metrics) {
        responder = requireNonNull(second, "second");
        cancelTimer();
        Member first = initiator;
        int[] written = {0};
        ChannelFutureListener told = f -> {
            if (++written[0] == 2) {
                metrics.paired(System.nanoTime() - joinReadNanos);
            }
        };
        Boolean relay = relayable() ? Boolean.TRUE : null;
        first.send(new Message.Peer(second.observed, second.privateEndpoint, first.role, second.name, relay))
                .addListener(told);
        second.send(new Message.Peer(first.observed, first.privateEndpoint, second.role, first.name, relay))
                .addListener(told);
        LOG.debug("room {}: paired {} with {}", code, first, second);
        startRound(1);
    }

    void onPong(Member member, long seq) {
        if (member.onPong(seq, System.nanoTime()) && state == State.MEASURING
                && initiator.measured() && responder().measured()) {
            sync();
        }
    }

    void onResult(Member member, Message.Result result) {
        if (state != State.DIALLING || result.round() != round) {
            LOG.debug("room {}: ignored late {} from {}", code, result, member);
            return;
        }
        member.outcome(result.outcome());
        if (LOG.isDebugEnabled()) {
            LOG.debug("room " + code + ": round " + round + " " + member + " "
                    + result.outcome().name().toLowerCase(java.util.Locale.ROOT)
                    + (result.via() != null ? " via " + result.via() : "")
                    + (result.detail() != null ? " (" + result.detail() + ")" : ""));
        }
        if (initiator.outcome() != null && responder().outcome() != null) {
            endRound();
        }
    }

    /**
     * A member says no direct path can work from where it is (e.g. behind a symmetric NAT): when both peers
     * accept relaying and the rendezvous relays, both get their relay tokens now; otherwise the request is
     * refused and that member's connection ends.
     */
    void onRelayRequest(Member member, Message.RelayRequest request) {
        if (!relayable()) {
            member.fail(ErrorCode.RELAY_UNAVAILABLE, rooms.relay() == null ? "this rendezvous does not relay"
                    : "the other peer does not accept relaying");
            return;
        }
        if (state != State.MEASURING && state != State.DIALLING) {
            LOG.debug("room {}: ignored relay request from {} while {}", code, member, state);
            return;
        }
        LOG.debug("room {}: {} asks for the relay ({})", code, member, request.detail());
        relay(request.detail());
    }

    /** A member's connection closed. */
    void onLeave(Member member) {
        switch (state) {
            case WAITING -> finish();
            case MEASURING, DIALLING -> {
                if (member.outcome() == Outcome.CONNECTED) {
                    return; // it has what it came for; the other's result decides the round
                }
                Member other = member == initiator ? responder() : initiator;
                LOG.debug("room {}: {} left during round {}", code, member, round);
                finish();
                other.fail(ErrorCode.PEER_LEFT, "the other peer disconnected");
            }
            case FINISHED -> {
            }
        }
    }

    /** Closes the room early, e.g. because the rendezvous shuts down. */
    void finish() {
        if (state == State.FINISHED) {
            return;
        }
        state = State.FINISHED;
        cancelTimer();
        rooms.remove(this);
    }

    private void startRound(int next) {
        round = next;
        state = State.MEASURING;
        initiator.startMeasuring();
        responder().startMeasuring();
        // Pongs come back within an RTT; not within the join timeout means a peer is gone.
        timer = schedule(config.joinTimeout(), () -> failBoth(ErrorCode.IDLE_TIMEOUT,
                "no pong to the RTT measurement of round " + round));
    }

    private void sync() {
        cancelTimer();
        long a = initiator.rttNanos();
        long b = responder().rttNanos();
        // Both syncs leave now; each arrives after its one-way delay (RTT/2). The nearer peer
        // waits out the difference so that both SYNs leave at the same moment (cf. DCUtR).
        long far = Math.max(a, b);
        state = State.DIALLING;
        initiator.send(sync(a, far));
        responder().send(sync(b, far));
        if (LOG.isDebugEnabled()) {
            LOG.debug(String.format("room %s: round %d sync, rtt %.3f ms / %.3f ms", code, round, a / 1e6, b / 1e6));
        }
        timer = schedule(config.resultTimeout(), this::resultTimedOut);
    }

    private Message.Sync sync(long rttNanos, long farRttNanos) {
        long delayMillis = Math.round((farRttNanos - rttNanos) / 2e6);
        return new Message.Sync(round, delayMillis, Math.round(rttNanos / 1e3) / 1e3);
    }

    private void resultTimedOut() {
        for (Member member : List.of(initiator, responder())) {
            if (member.outcome() == null) {
                member.outcome(Outcome.FAILED);
            }
        }
        LOG.debug("room {}: round {} timed out waiting for results", code, round);
        endRound();
    }

    private void endRound() {
        cancelTimer();
        boolean bothConnected = initiator.outcome() == Outcome.CONNECTED
                && responder().outcome() == Outcome.CONNECTED;
        if (bothConnected) {
            LOG.debug("room {}: connected in round {}", code, round);
            finish();
            // The rendezvous closes first so that TIME_WAIT stays here, not on the peers' fixed port.
            initiator.channel.close();
            responder().channel.close();
        } else if (round < Protocol.MAX_ROUNDS
                && initiator.channel.isActive() && responder().channel.isActive()) {
            startRound(round + 1);
        } else {
            String why = "no connection after " + round + " round" + (round == 1 ? "" : "s") + " of hole punching";
            if (relayable() && initiator.channel.isActive() && responder().channel.isActive()) {
                relay(why);
            } else {
                failBoth(ErrorCode.PUNCH_FAILED, why);
            }
        }
    }

    /** True when this pair may be relayed: the rendezvous relays, and both peers accept it. */
    private boolean relayable() {
        return rooms.relay() != null && initiator.acceptsRelay && responder != null && responder.acceptsRelay;
    }

    /** Hands each peer its relay token (or tells both the relay is full), and the room is done. */
    private void relay(String why) {
        Relay.Issue issue = requireNonNull(rooms.relay(), "relay")
                .issue(initiator.observed.host(), responder().observed.host());
        if (issue instanceof Relay.Refused refused) {
            failBoth(ErrorCode.RELAY_FULL, refused.message());
            return;
        }
        Relay.Tokens tokens = (Relay.Tokens) issue;
        LOG.debug("room {}: relayed in round {} ({})", code, round, why);
        finish(); // first, so that the closes below are not taken for a peer leaving
        // The rendezvous closes first, as after a hole punch: the TIME_WAIT stays here.
        initiator.send(new Message.Relay(tokens.first(), why)).addListener(ChannelFutureListener.CLOSE);
        responder().send(new Message.Relay(tokens.second(), why)).addListener(ChannelFutureListener.CLOSE);
    }

    private void failBoth(String code, String message) {
        LOG.debug("room {}: {}: {}", this.code, code, message);
        finish(); // first, so that the closes below are not taken for a peer leaving
        initiator.fail(code, message);
        responder().fail(code, message);
    }

    private void expire() {
        LOG.debug("room {}: expired", code);
        finish();
        initiator.fail(ErrorCode.ROOM_EXPIRED,
                "nobody joined room " + code + " within " + humanize(config.roomTtl()));
    }

    private Member responder() {
        return requireNonNull(responder, "responder");
    }

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    static String humanize(Duration d) {
        return d.toMillis() % 60_000 == 0 ? d.toMinutes() + " min"
                : d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
