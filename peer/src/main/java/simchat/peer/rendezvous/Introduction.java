package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import simchat.peer.ExitCode;
import simchat.peer.console.ChatEvent;
import simchat.peer.console.Sanitizer;
import simchat.peer.dial.AttemptOutcome;
import simchat.peer.dial.DialFailedException;
import simchat.peer.dial.DialListener;
import simchat.peer.dial.Dialer;
import simchat.peer.session.ChatSession;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.ErrorCode;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Outcome;
import simchat.rendezvous.protocol.Protocol;
import simchat.rendezvous.protocol.Role;

/**
 * The peer's side of a rendezvous: joins a room from the fixed local port, checks the NAT with a
 * probe, and on every {@code sync} runs a timed {@link HolePunch} over the other peer's candidates.
 * The winning channel goes to {@code connected} (the same pipeline as direct mode); once the hello
 * handshake completed ({@link #helloCompleted()}) the result goes back to the rendezvous. Failures of a
 * first introduction end the {@link ChatSession} with {@link ExitCode#PUNCH_IMPOSSIBLE} or
 * {@link ExitCode#RENDEZVOUS}; peers that {@linkplain #again meet again} after a lost connection hand them
 * to their own {@code failed} instead, to try once more. Confined to the session's event loop.
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
    /** The whole code as the joiner typed it (for messages), or null for the creator and when meeting again. */
    private final String room;
    private final InviteCode invite;
    /** The room two introduced peers meet again in, or null for their first introduction. */
    private final String place;
    /** Where the failures of a meeting again go (instead of ending the chat), or null. */
    private final Consumer<String> failed;
    private final String name;
    private final ChatSession session;
    private final Consumer<ChatEvent> events;
    private final BiConsumer<Dialer.Connected, Runnable> connected;

    private Channel channel;
    private Endpoint ownPrivate;
    private Endpoint observed;
    /** The joiner's code, or the creator's once the rendezvous made the room; volatile: TLS reads it. */
    private volatile InviteCode code;
    private Role role;
    private Boolean symmetric;
    private Endpoint probed;
    private Message.Peer peer;
    private List<Candidate> candidates;
    private HolePunch punch;
    /** The next round, built as soon as the candidates are known so that the timed start is quick. */
    private HolePunch prepared;
    private Message.Sync sync;
    private HolePunch.Won won;
    private boolean reported;
    /** Ended: failed, or stopped; nothing more happens. */
    private boolean over;
    /** A round is under way: from its sync until it won or failed. */
    private boolean dialing;
    /** Why the rendezvous connection closed while a round was under way, or null: that round is the last. */
    private String rendezvousGone;
    private long pairedNanos;

    /** The first introduction: creates a room ({@code room} null) or joins the one of the whole code {@code room}. */
    public Introduction(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous, String room,
                        String name, ChatSession session, Consumer<ChatEvent> events,
                        BiConsumer<Dialer.Connected, Runnable> connected) {
        this(loop, local, rendezvous, room, room == null ? null : InviteCode.parse(room), null, null, name, session,
                events, connected);
    }

    private Introduction(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous, String room,
                         InviteCode invite, String place, Consumer<String> failed, String name, ChatSession session,
                         Consumer<ChatEvent> events, BiConsumer<Dialer.Connected, Runnable> connected) {
        this.loop = requireNonNull(loop, "loop");
        this.local = requireNonNull(local, "local");
        this.rendezvous = requireNonNull(rendezvous, "rendezvous");
        this.room = room;
        this.invite = invite;
        this.code = invite;
        this.place = place;
        this.failed = failed;
        this.name = requireNonNull(name, "name");
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
        return new Introduction(loop, local, rendezvous, null, requireNonNull(code, "code"),
                requireNonNull(place, "place"), requireNonNull(failed, "failed"), name, session, events, connected);
    }

    /**
     * Connects to the rendezvous and joins (or creates) the room; call on the event loop. The caller
     * {@linkplain #stop() stops} the introduction when the chat ends.
     */
    public void start() {
        warmUp();
        ChannelFuture connect = RendezvousClient.connect(loop, local, rendezvous, new RendezvousHandler(this));
        channel = connect.channel();
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                end(ExitCode.RENDEZVOUS, "cannot reach the rendezvous at " + describe(rendezvous) + " ("
                        + reason(f.cause()) + "): check --rendezvous and that the rendezvous is running");
                return;
            }
            ownPrivate = Endpoint.of((InetSocketAddress) f.channel().localAddress());
            // Only the room part: the four digits at the end of the code never leave the two peers.
            f.channel().writeAndFlush(place != null ? new Message.Meet(place, ownPrivate, name)
                    : new Message.Join(invite == null ? null : invite.room(), ownPrivate, name));
        });
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
        if (won == null || reported) {
            return;
        }
        reported = true;
        Endpoint via = won.candidate().endpoint();
        send(new Message.Result(sync.round(), Outcome.CONNECTED, via, won.candidate().kind()));
        events.accept(new ChatEvent.Punched(won.candidate().kind(), via.toString(), sync.round(),
                sync.rttMillis(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pairedNanos)));
    }

    @Override
    public void joined(Message.Joined joined) {
        observed = joined.observed();
        // The joiner keeps the code it was told in person; the creator adds digits the rendezvous never sees.
        code = invite != null ? invite : InviteCode.create(joined.room(), new SecureRandom());
        role = joined.role();
        if (place != null) {
            events.accept(new ChatEvent.Status("at the rendezvous again (your public endpoint: " + observed + "); "
                    + (role == Role.INITIATOR ? "waiting for the other peer to come back too"
                    : "the other peer is there already")));
        } else {
            events.accept(new ChatEvent.Room(code.toString(), room == null, observed.toString(),
                    observed.port() == local.getPort(), role.name().toLowerCase(Locale.ROOT)));
        }
        if (joined.probePort() == null) {
            events.accept(new ChatEvent.Status("the rendezvous has no probe port: cannot tell in advance "
                    + "whether your NAT allows hole punching", true));
            return;
        }
        InetSocketAddress probe = new InetSocketAddress(rendezvous.getAddress(), joined.probePort());
        NatProbe.probe(loop, local, probe).addListener((Future<Endpoint> f) -> {
            if (session.exitCode().isDone()) {
                return;
            }
            if (!f.isSuccess()) {
                events.accept(new ChatEvent.Status("NAT check failed (" + reason(f.cause())
                        + "); trying anyway", true));
                return;
            }
            probed = f.getNow();
            symmetric = !probed.equals(observed);
            events.accept(new ChatEvent.Nat(observed.toString(), probed.toString(), !symmetric));
            decide();
        });
    }

    @Override
    public void peer(Message.Peer peer) {
        this.peer = peer;
        pairedNanos = System.nanoTime();
        candidates = Candidate.of(peer, ownPrivate, observed);
        prepare();
        // The name is the other peer's own words, relayed: no terminal control characters from it.
        events.accept(new ChatEvent.Status("the other peer" + (peer.name() == null ? "" : " (" + Sanitizer.clean(peer.name()) + ")")
                + " is here: public " + peer.publicEndpoint() + ", private " + peer.privateEndpoint()));
        decide();
    }

    /** With both the NAT check and the other peer known: can a hole punch work at all? */
    private void decide() {
        if (peer == null || symmetric == null || !symmetric) {
            return;
        }
        if (peer.publicEndpoint().host().equals(observed.host())) {
            // Same public address: most likely the same NAT, where the private endpoints connect directly.
            candidates = Candidate.privateOnly(candidates);
            prepare();
            events.accept(new ChatEvent.Status("your NAT maps ports per destination, but the other peer shares "
                    + "your public address: trying its private endpoint only"));
            if (!candidates.isEmpty()) {
                return;
            }
        }
        end(ExitCode.PUNCH_IMPOSSIBLE, "hole punching cannot work from here: your NAT showed the rendezvous "
                + observed + " but its probe port " + probed + " for the same local port " + local.getPort()
                + ", so it picks a new public port for every destination (a symmetric or port-randomising NAT) "
                + "and the other peer cannot know which port to dial. What you can do: forward TCP port "
                + local.getPort() + " on your router to this host and have the other person run bin/peer with "
                + "--remote " + observed.host() + ":" + local.getPort() + "; or use another network (e.g. a phone "
                + "hotspot or a home router); or meet on the same LAN.");
    }

    @Override
    public void sync(Message.Sync sync) {
        if (over || session.exitCode().isDone()) {
            return;
        }
        if (reported) {
            // The other side asked for another round although we are chatting: say so again.
            send(new Message.Result(sync.round(), Outcome.CONNECTED, won.candidate().endpoint(), null));
            return;
        }
        if (punch != null) {
            punch.stop("round " + sync.round() + " started");
        }
        if (won != null) {
            won.connected().channel().close();
            won = null;
        }
        this.sync = sync;
        if (prepared == null || !prepared.candidates().equals(candidates)) {
            prepare();
        }
        HolePunch round = prepared;
        prepared = null;
        if (round == null) {
            send(new Message.Result(sync.round(), Outcome.FAILED, null, "no candidate endpoints"));
            return;
        }
        punch = round;
        dialing = true;
        if (sync.delayMillis() == 0) {
            dial(round, sync);
        } else {
            loop.schedule(() -> dial(round, sync), sync.delayMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void prepare() {
        if (prepared != null) {
            prepared.stop("replaced");
        }
        prepared = candidates == null || candidates.isEmpty() ? null
                : new HolePunch(loop, local, candidates, ROUND_WINDOW, new DialListener() {
                });
    }

    private void dial(HolePunch round, Message.Sync sync) {
        if (over || round != punch || session.exitCode().isDone()) {
            return;
        }
        round.start().addListener((Future<HolePunch.Won> f) -> dialed(round, sync, f));
        // Printed only now that the SYNs are out: the console runs on this event loop, and its first use
        // in a freshly started JVM can take longer than the sync's wait, which would delay the dial.
        events.accept(new ChatEvent.Punching(sync.round(), sync.delayMillis(), sync.rttMillis(),
                round.candidates().stream().map(Candidate::toString).toList()));
    }

    /** The round ended: hand the winning channel on, or report the failure to the rendezvous. */
    private void dialed(HolePunch round, Message.Sync sync, Future<HolePunch.Won> f) {
        if (over || round != punch || session.exitCode().isDone()) {
            if (f.isSuccess()) {
                f.getNow().connected().channel().close();
            }
            return;
        }
        dialing = false;
        if (!f.isSuccess()) {
            DialFailedException failure = (DialFailedException) f.cause();
            if (failure.outcome() == AttemptOutcome.LOCAL_PORT_UNAVAILABLE) {
                end(ExitCode.PORT_UNAVAILABLE, failure.getMessage());
                return;
            }
            events.accept(new ChatEvent.Status("round " + sync.round() + ": " + failure.getMessage(), true));
            roundFailed(sync, failure.getMessage());
            return;
        }
        won = f.getNow();
        session.dialed(won.connected().attempts(), won.connected().elapsed());
        connected.accept(won.connected(), () -> {
            events.accept(new ChatEvent.Status("connection closed during the handshake", true));
            if (!reported) {
                won = null;
                roundFailed(sync, "closed during the handshake");
            }
        });
    }

    /** Asks the rendezvous for another round; without the rendezvous there is none. */
    private void roundFailed(Message.Sync sync, String why) {
        if (rendezvousGone != null) {
            end(ExitCode.RENDEZVOUS, rendezvousGone + " during round " + sync.round() + ", which then failed too ("
                    + why + ")");
            return;
        }
        send(new Message.Result(sync.round(), Outcome.FAILED, null, why));
    }

    @Override
    public void error(Message.Error error) {
        if (reported || session.exitCode().isDone()) {
            return;
        }
        String theirs = " (rendezvous: " + error.message() + ")";
        if (place != null) {
            end(ExitCode.RENDEZVOUS, "the rendezvous ended the meeting: " + error.code() + theirs);
            return;
        }
        switch (error.code()) {
            case ErrorCode.PUNCH_FAILED -> end(ExitCode.PUNCH_IMPOSSIBLE, "hole punching failed: no connection after "
                    + "three timed rounds" + theirs + ". A NAT or firewall on the way drops the crossing SYNs. What you "
                    + "can do: forward TCP port " + local.getPort() + " on one router to that peer and use --remote, "
                    + "or try from another network.");
            case ErrorCode.UNKNOWN_ROOM -> end(ExitCode.RENDEZVOUS, "there is no room \"" + room + "\"" + theirs
                    + ": check the code for typos; rooms also end when they expire or once used. The other person "
                    + "can create a new one by running without --room.");
            case ErrorCode.ROOM_FULL -> end(ExitCode.RENDEZVOUS, "room \"" + room + "\" already has two peers"
                    + theirs + ": ask the other person for a fresh code.");
            case ErrorCode.ROOM_EXPIRED -> end(ExitCode.RENDEZVOUS, "nobody joined the room in time" + theirs
                    + ": start again and share the new code.");
            case ErrorCode.PEER_LEFT -> end(ExitCode.RENDEZVOUS, "the other peer left before the connection was "
                    + "made" + theirs + "; its own output says why (e.g. a NAT that cannot be hole-punched).");
            default -> end(ExitCode.RENDEZVOUS, "the rendezvous ended the introduction: " + error.code() + theirs);
        }
    }

    @Override
    public void closed(Throwable cause) {
        if (reported || session.exitCode().isDone()) {
            return;
        }
        String gone = "the rendezvous at " + describe(rendezvous) + " closed the connection"
                + (cause == null ? "" : " (" + reason(cause) + ")");
        if (won != null || dialing) {
            // The round it timed needs it no more: the hole punch, or the handshake on its connection, decides.
            rendezvousGone = gone;
            events.accept(new ChatEvent.Status(gone + "; this round goes on without it", true));
            return;
        }
        end(ExitCode.RENDEZVOUS, gone + " before the peers were connected");
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

    private void end(int exit, String message) {
        if (over) {
            return;
        }
        over = true;
        if (prepared != null) {
            prepared.stop("giving up");
        }
        if (punch != null) {
            punch.stop("giving up");
        }
        if (failed == null) {
            session.abandon(exit, message);
            return;
        }
        if (channel != null) {
            channel.close();
        }
        failed.accept(message);
    }

    /** Stops dialing and leaves the rendezvous, unless the connection was made and reported; on the event loop. */
    public void stop() {
        over = true;
        if (punch != null && won == null) {
            punch.stop("chat over");
        }
        if (channel != null && !reported) {
            channel.close();
        }
    }

    private void send(Message message) {
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(message);
        }
    }

    private static String reason(Throwable cause) {
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return "no answer within " + RendezvousClient.CONNECT_TIMEOUT_MILLIS / 1000 + " s";
        }
        return AttemptOutcome.reason(cause);
    }

    private static String describe(InetSocketAddress address) {
        return Endpoint.of(address).toString();
    }
}
