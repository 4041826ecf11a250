package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.dial.AttemptOutcome;
import simchat.peer.dial.DialFailedException;
import simchat.peer.dial.DialListener;
import simchat.peer.dial.Dialer;
import simchat.peer.rendezvous.IntroductionInput.Closed;
import simchat.peer.rendezvous.IntroductionInput.Connected;
import simchat.peer.rendezvous.IntroductionInput.DialTime;
import simchat.peer.rendezvous.IntroductionInput.HandshakeClosed;
import simchat.peer.rendezvous.IntroductionInput.HelloCompleted;
import simchat.peer.rendezvous.IntroductionInput.Joined;
import simchat.peer.rendezvous.IntroductionInput.PeerArrived;
import simchat.peer.rendezvous.IntroductionInput.PortTaken;
import simchat.peer.rendezvous.IntroductionInput.ProbeFailed;
import simchat.peer.rendezvous.IntroductionInput.Probed;
import simchat.peer.rendezvous.IntroductionInput.Refused;
import simchat.peer.rendezvous.IntroductionInput.RelayFailed;
import simchat.peer.rendezvous.IntroductionInput.RelayGranted;
import simchat.peer.rendezvous.IntroductionInput.RelaySpliced;
import simchat.peer.rendezvous.IntroductionInput.RoundFailed;
import simchat.peer.rendezvous.IntroductionInput.RoundWon;
import simchat.peer.rendezvous.IntroductionInput.Stop;
import simchat.peer.rendezvous.IntroductionInput.Synced;
import simchat.peer.rendezvous.IntroductionInput.Unreachable;
import simchat.peer.session.ChatSession;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Protocol;

/**
 * The peer's side of a rendezvous: joins a room from the fixed local port, checks the NAT with a probe, and
 * on every {@code sync} runs a timed {@link HolePunch} over the other peer's candidates. The winning channel
 * goes to {@code connected} (the same pipeline as direct mode); once the hello handshake completed
 * ({@link #helloCompleted()}) the result goes back to the rendezvous. A thin shell around
 * {@link IntroductionMachine}, which decides: this class turns what happens into inputs and performs the
 * outputs. When no direct path can work and the rendezvous relays the pair, the winning channel is instead a
 * relay connection ({@link RelayClient}) spliced to the other peer's, with the same pipeline, TLS and room-code
 * check end to end. Failures of a first introduction end the {@link ChatSession}; peers that {@linkplain #again meet
 * again} after a lost connection hand them to their own {@code failed} instead, to try once more. Confined to
 * the session's event loop.
 */
public final class Introduction implements RendezvousListener {

    /**
     * How long one round dials. Behind NATs the first SYN waits in SYN_SENT for the other's, so a
     * working round connects within milliseconds of both dialling; it must end well before the
     * rendezvous' 8 s result timeout, and three rounds must fit in the 30 s we promise.
     */
    static final Duration ROUND_WINDOW = Duration.ofSeconds(5);

    private final EventLoop loop;
    private final InetSocketAddress local;
    private final InetSocketAddress rendezvous;
    private final IntroductionMachine.Setup setup;
    /** Where the failure of a first introduction goes: it ends the chat. Null when meeting again. */
    private final Consumer<Outcome.Failure> ended;
    /** Where the failures of a meeting again go (instead of ending the chat), or null. */
    private final Consumer<String> failed;
    private final ChatSession session;
    private final Consumer<ChatEvent> events;
    private final BiConsumer<Dialer.Connected, Runnable> connected;
    private final Effects effects = new Effects();
    /** Inputs that arrive while outputs are performed wait here, so that each transition completes first. */
    private final Queue<IntroductionInput> inbox = new ArrayDeque<>();

    private IntroductionState state = new IntroductionState.Connecting();
    private boolean feeding;
    /** The joiner's code, or the creator's once the rendezvous made the room; volatile: TLS reads it. */
    private volatile InviteCode code;
    private Channel channel;
    /** The next round, built as soon as the candidates are known so that the timed start is quick. */
    private HolePunch prepared;
    private HolePunch punch;
    private HolePunch.Won won;
    /** The relay connection under way (then spliced), when the rendezvous relays us. */
    private Future<RelayClient.Spliced> splice;
    private long spliceStartNanos;

    /** The first introduction: creates a room ({@code room} null) or joins the one of the whole code {@code room}. */
    public Introduction(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous, String room,
                        String name, ChatSession session, Consumer<ChatEvent> events,
                        BiConsumer<Dialer.Connected, Runnable> connected, Consumer<Outcome.Failure> ended) {
        this(loop, local, rendezvous, room, name, false, session, events, connected, ended);
    }

    /** The same, accepting to be relayed ({@code relay}) when no direct path can work. */
    public Introduction(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous, String room,
                        String name, boolean relay, ChatSession session, Consumer<ChatEvent> events,
                        BiConsumer<Dialer.Connected, Runnable> connected, Consumer<Outcome.Failure> ended) {
        this(loop, local, rendezvous, new IntroductionMachine.Setup(local.getPort(), describe(rendezvous), room,
                room == null ? null : InviteCode.parse(room), null, name, relay), requireNonNull(ended, "ended"),
                null, session, events, connected);
    }

    private Introduction(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous,
                         IntroductionMachine.Setup setup, Consumer<Outcome.Failure> ended, Consumer<String> failed,
                         ChatSession session,
                         Consumer<ChatEvent> events, BiConsumer<Dialer.Connected, Runnable> connected) {
        this.loop = requireNonNull(loop, "loop");
        this.local = requireNonNull(local, "local");
        this.rendezvous = requireNonNull(rendezvous, "rendezvous");
        this.setup = setup;
        this.code = setup.invite();
        this.ended = ended;
        this.failed = failed;
        this.session = requireNonNull(session, "session");
        this.events = requireNonNull(events, "events");
        this.connected = requireNonNull(connected, "connected");
    }

    /**
     * Two peers introduced before meet again after losing their connection, in the room both derive from the
     * code and their hellos ({@link InviteCode#placeToMeetAgain}); the code checks the other peer as before.
     * Whatever ends this attempt without a connection goes to {@code failed}, in words.
     */
    public static Introduction again(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous,
                                     InviteCode code, String place, String name, ChatSession session,
                                     Consumer<ChatEvent> events, BiConsumer<Dialer.Connected, Runnable> connected,
                                     Consumer<String> failed) {
        return again(loop, local, rendezvous, code, place, name, false, session, events, connected, failed);
    }

    /** The same, accepting to be relayed ({@code relay}) when no direct path can work. */
    public static Introduction again(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous,
                                     InviteCode code, String place, String name, boolean relay, ChatSession session,
                                     Consumer<ChatEvent> events, BiConsumer<Dialer.Connected, Runnable> connected,
                                     Consumer<String> failed) {
        return new Introduction(loop, local, rendezvous, new IntroductionMachine.Setup(local.getPort(),
                describe(rendezvous), null, requireNonNull(code, "code"), requireNonNull(place, "place"), name,
                relay), null, requireNonNull(failed, "failed"), session, events, connected);
    }

    /**
     * Connects to the rendezvous and joins (or creates) the room; call on the event loop. The caller
     * {@linkplain #stop() stops} the introduction when the chat ends.
     */
    public void start() {
        warmUp();
        ChannelFuture connect = RendezvousClient.connect(loop, local, rendezvous, new RendezvousHandler(this));
        channel = connect.channel();
        connect.addListener((ChannelFuture f) -> feed(f.isSuccess()
                ? new Connected(Endpoint.of((InetSocketAddress) f.channel().localAddress()))
                : new Unreachable(Advice.reason(f.cause()))));
    }

    /**
     * The whole code, which authenticates the other peer (the password of the room-code check), or null
     * before the rendezvous confirmed the room; always known once a hole punch hands over a channel.
     */
    public String roomCode() {
        InviteCode known = code;
        return known == null ? null : known.toString();
    }

    /** The whole code, as {@link #roomCode()}: where these peers meet again is derived from it. */
    public InviteCode code() {
        return code;
    }

    /** The winning channel's peer said hello: the hole punch is done, tell the rendezvous. */
    public void helloCompleted() {
        feed(new HelloCompleted(System.nanoTime()));
    }

    @Override
    public void joined(Message.Joined joined) {
        // The joiner keeps the code it was told in person; the creator adds digits the rendezvous never sees.
        code = setup.invite() != null ? setup.invite() : InviteCode.create(joined.room(), new SecureRandom());
        feed(new Joined(joined, code));
    }

    @Override
    public void peer(Message.Peer peer) {
        feed(new PeerArrived(peer, System.nanoTime()));
    }

    @Override
    public void sync(Message.Sync sync) {
        feed(new Synced(sync));
    }

    @Override
    public void relay(Message.Relay relay) {
        feed(new RelayGranted(relay, System.nanoTime()));
    }

    @Override
    public void error(Message.Error error) {
        feed(new Refused(error));
    }

    @Override
    public void closed(Throwable cause) {
        feed(new Closed(cause == null ? null : Advice.reason(cause)));
    }

    /** Stops dialing and leaves the rendezvous, unless the connection was made and reported; on the event loop. */
    public void stop() {
        feed(new Stop());
    }

    /** Runs {@code input} through the machine and performs its outputs; once the chat is over, only a stop. */
    private void feed(IntroductionInput input) {
        if (session.outcome().isDone() && !(input instanceof Stop)) {
            return;
        }
        inbox.add(input);
        if (feeding) {
            return;
        }
        feeding = true;
        try {
            for (IntroductionInput next = inbox.poll(); next != null; next = inbox.poll()) {
                IntroductionMachine.Transition transition = IntroductionMachine.next(setup, state, next);
                state = transition.next();
                for (IntroductionOutput output : transition.outputs()) {
                    output.perform(effects);
                }
            }
        } catch (RuntimeException e) {
            inbox.clear();
            throw e;
        } finally {
            feeding = false;
        }
    }

    /** A round's end: from the round under way only (a dropped one's connection is closed), in the chat's time. */
    private void ended(HolePunch round, int number, Future<HolePunch.Won> f) {
        if (round != punch || session.outcome().isDone()) {
            if (f.isSuccess()) {
                f.getNow().connected().channel().close();
            }
            return;
        }
        if (f.isSuccess()) {
            won = f.getNow();
            feed(new RoundWon(number, won.candidate()));
            return;
        }
        DialFailedException failure = (DialFailedException) f.cause();
        feed(failure.outcome() == AttemptOutcome.LOCAL_PORT_UNAVAILABLE
                ? new PortTaken(number, failure.getMessage()) : new RoundFailed(number, failure.getMessage()));
    }

    /**
     * The one place an introduction ends without a connection: the first one ends the chat, meeting again
     * leaves the rendezvous and says why to whoever tries again.
     */
    private void finish(Outcome.Failure failure) {
        if (failed == null) {
            ended.accept(failure);
            return;
        }
        if (channel != null) {
            channel.close();
        }
        failed.accept(failure.message());
    }


    /**
     * The rendezvous times the dial from our pong delays: a cold JSON codec answers the first pings
     * milliseconds late and skews the sync by as much, so it is exercised before connecting; and so is
     * the decoding of the {@code sync} itself, whose first use would otherwise delay our SYNs.
     */
    private static void warmUp() {
        for (int i = 0; i < 200; i++) {
            Protocol.decode(Protocol.encode(new Message.Ping(i)));
            Protocol.decode(Protocol.encode(new Message.Pong(i)));
            Protocol.decode(Protocol.encode(new Message.Sync(1 + i % 3, i, i / 8.0)));
        }
    }

    private static String describe(InetSocketAddress address) {
        return Endpoint.of(address).toString();
    }

    /** The machine's outputs, performed on the event loop. */
    private final class Effects implements IntroductionOutput.Effects {

        @Override
        public void send(Message message) {
            if (channel != null && channel.isActive()) {
                channel.writeAndFlush(message);
            }
        }

        @Override
        public void report(ChatEvent event) {
            events.accept(event);
        }

        @Override
        public void probe(int probePort) {
            InetSocketAddress probe = new InetSocketAddress(rendezvous.getAddress(), probePort);
            NatProbe.probe(loop, local, probe).addListener((Future<Endpoint> f) -> feed(f.isSuccess()
                    ? new Probed(f.getNow()) : new ProbeFailed(Advice.reason(f.cause()))));
        }

        @Override
        public void prepare(List<Candidate> candidates) {
            if (prepared != null) {
                prepared.stop("replaced");
            }
            prepared = candidates.isEmpty() ? null
                    : new HolePunch(loop, local, candidates, ROUND_WINDOW, new DialListener() {
                    });
        }

        @Override
        public void arm(List<Candidate> candidates) {
            if (prepared == null || !prepared.candidates().equals(candidates)) {
                prepare(candidates);
            }
            punch = prepared;
            prepared = null;
        }

        @Override
        public void scheduleDial(Message.Sync sync) {
            loop.schedule(() -> feed(new DialTime(sync.round())), sync.delayMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void startRound(int round) {
            HolePunch armed = punch;
            armed.start().addListener((Future<HolePunch.Won> f) -> ended(armed, round, f));
        }

        @Override
        public void abandonRound(String reason) {
            if (punch != null) {
                punch.stop(reason);
            }
        }

        @Override
        public void closeWinner() {
            if (won != null) {
                won.connected().channel().close();
                won = null;
            }
        }

        @Override
        public void handOver(int round) {
            connected.accept(won.connected(), () -> feed(new HandshakeClosed(round)));
        }

        @Override
        public void leave() {
            if (channel != null) {
                channel.close();
            }
        }

        @Override
        public void splice(String token) {
            if (prepared != null) {
                prepared.stop("relaying instead");
                prepared = null;
            }
            spliceStartNanos = System.nanoTime();
            Future<RelayClient.Spliced> started = RelayClient.splice(loop, rendezvous, token);
            splice = started;
            started.addListener((Future<RelayClient.Spliced> f) -> {
                if (f.isCancelled()) {
                    return;
                }
                if (session.outcome().isDone() || splice != started) {
                    if (f.isSuccess()) {
                        f.getNow().early().release();
                        f.getNow().channel().close();
                    }
                    return;
                }
                feed(f.isSuccess() ? new RelaySpliced() : new RelayFailed(f.cause().getMessage()));
            });
        }

        @Override
        public void handOverRelay() {
            RelayClient.Spliced spliced = splice.getNow();
            Channel relayed = spliced.channel();
            connected.accept(new Dialer.Connected(relayed, 1,
                    Duration.ofNanos(System.nanoTime() - spliceStartNanos)),
                    () -> feed(new RelayFailed("the relayed connection closed before the other peer's hello")));
            // What the other peer sent in the same segment as spliced goes first, before any later read.
            if (spliced.early().isReadable()) {
                relayed.pipeline().fireChannelRead(spliced.early());
                relayed.pipeline().fireChannelReadComplete();
            } else {
                spliced.early().release();
            }
        }

        @Override
        public void abandonRelay() {
            if (splice != null && !splice.isDone()) {
                splice.cancel(false);
            }
        }

        @Override
        public void fail(Outcome.Failure failure) {
            if (splice != null && !splice.isDone()) {
                splice.cancel(false);
            }
            if (prepared != null) {
                prepared.stop("giving up");
            }
            if (punch != null) {
                punch.stop("giving up");
            }
            finish(failure);
        }
    }
}
