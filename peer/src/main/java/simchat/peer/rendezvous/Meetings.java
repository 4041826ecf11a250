package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.channel.EventLoop;
import simchat.peer.console.ChatEvent;
import simchat.peer.dial.Dialer;
import simchat.peer.link.Connector;
import simchat.peer.link.Link;
import simchat.peer.link.LinkSink;
import simchat.peer.session.ChatSession;
import simchat.peer.session.Journal;
import simchat.rendezvous.protocol.Endpoint;

/**
 * The rendezvous' connector: a chat's dealings with the rendezvous, the first {@link Introduction} (or, run
 * again with the code of an interrupted chat, going straight to where the other peer waits), meeting again
 * after every lost connection, and noting in the journal where the two would meet. Every hole punch's
 * winning channel becomes a {@link Link}. Confined to the session's event loop, except {@link #roomCode()}.
 */
public final class Meetings implements Connector {

    /** How long a peer that could not meet the other again waits before going back to the rendezvous. */
    static final Duration PAUSE = Duration.ofSeconds(3);

    private final EventLoop loop;
    private final InetSocketAddress local;
    private final InetSocketAddress rendezvous;
    /** The whole code given with {@code --room}, normalised, or null for the creator. */
    private final String room;
    private final String name;
    /** The nonce of our hello, from which (with the peer's) the place to meet again is derived. */
    private final String ourNonce;
    private final ChatSession session;
    private final Journal journal;
    private final Consumer<ChatEvent> events;
    private LinkSink links;

    /** The introduction under way or last made; volatile: TLS asks it for the room code. */
    private volatile Introduction current;
    /** Why the last attempt to meet again failed, or null. */
    private String lastFailure;

    public Meetings(EventLoop loop, InetSocketAddress local, InetSocketAddress rendezvous, String room, String name,
                    String ourNonce, ChatSession session, Journal journal, Consumer<ChatEvent> events) {
        this.loop = requireNonNull(loop, "loop");
        this.local = requireNonNull(local, "local");
        this.rendezvous = requireNonNull(rendezvous, "rendezvous");
        this.room = room;
        this.name = requireNonNull(name, "name");
        this.ourNonce = requireNonNull(ourNonce, "ourNonce");
        this.session = requireNonNull(session, "session");
        this.journal = requireNonNull(journal, "journal");
        this.events = requireNonNull(events, "events");
    }

    /** Creates or joins the room, or resumes the interrupted chat whose code {@code --room} gave. */
    @Override
    public void start(LinkSink links) {
        this.links = requireNonNull(links, "links");
        events.accept(new ChatEvent.Status("contacting the rendezvous at " + Endpoint.of(rendezvous) + " from "
                + Endpoint.of(local), true));
        Journal.Meeting interrupted = journal.meeting();
        if (interrupted != null && interrupted.code().equals(room)) {
            // A chat cut off by a crash, kill -9 or exit 5: the other peer, if it still runs, waits there.
            events.accept(new ChatEvent.Status("resuming the interrupted chat of room " + interrupted.code()));
            meetAt(interrupted);
            return;
        }
        if (interrupted != null) {
            events.accept(new ChatEvent.Status("the chat of room " + interrupted.code() + " was interrupted; to meet"
                    + " that peer again, run with --room " + interrupted.code() + " instead"));
        }
        current = new Introduction(loop, local, rendezvous, room, name, session, events, this::connected,
                why -> links.noMoreLinks(why));
        current.start();
    }

    /**
     * The connection was lost: back to the rendezvous to meet the same peer again, in the room both derive
     * from the code and their hellos (their NATs' old mappings may be stale, and the rendezvous times the
     * dial as the first time); tried again every few seconds until connected or the chat ends.
     */
    @Override
    public void next(ChatEvent.ConnectionLost lost) {
        meetAt(journal.meeting());
    }

    /** The peer said hello on the new connection: tell the rendezvous, and note where to meet again. */
    @Override
    public void helloCompleted(Link link) {
        current.helloCompleted();
        lastFailure = null;
        InviteCode code = current.code();
        // A failed journal write ends the chat through the journal's own failure report (exit 10).
        journal.meetAgainAt(new Journal.Meeting(code.toString(), code.placeToMeetAgain(ourNonce, session.peerNonce())));
    }

    /** The whole code, which authenticates the other peer, or null while the rendezvous has not made the room. */
    public String roomCode() {
        Introduction known = current;
        return known == null ? null : known.roomCode();
    }

    private void meetAt(Journal.Meeting meeting) {
        if (session.outcome().isDone()) {
            return;
        }
        events.accept(new ChatEvent.Status("meeting the other peer again through the rendezvous at "
                + Endpoint.of(rendezvous), lastFailure != null));
        current = Introduction.again(loop, local, rendezvous, InviteCode.parse(meeting.code()), meeting.place(), name,
                session, events, this::connected, failure -> {
                    // Said once; the same reason again on every later attempt only with -v.
                    events.accept(new ChatEvent.Status("not connected again yet: " + failure + "; trying again every "
                            + PAUSE.toSeconds() + " s", failure.equals(lastFailure)));
                    lastFailure = failure;
                    loop.schedule(() -> meetAt(meeting), PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                });
        current.start();
    }

    /** The chat is over: the introduction under way, if any, stops (just after the chat's own end). */
    @Override
    public void stop() {
        loop.execute(() -> {
            if (current != null) {
                current.stop();
            }
        });
    }

    @Override
    public String notConnectedWithin(String within) {
        return "not connected to the other peer within " + within;
    }

    /** A hole punch's winning channel, with what to do should it die before the hello. */
    private void connected(Dialer.Connected connected, Runnable lostBeforeHello) {
        links.offer(new Link(connected.channel(), connected.attempts(), connected.elapsed(), lostBeforeHello));
    }
}
