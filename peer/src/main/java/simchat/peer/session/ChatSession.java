package simchat.peer.session;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import javax.net.ssl.SSLSession;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.link.Connector;
import simchat.peer.link.Link;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Features;
import simchat.peer.wire.Hello;
import simchat.peer.wire.ProtocolException;
import simchat.peer.wire.Typing;

/**
 * One chat's state, independent of any channel: our numbered outgoing messages until the peer
 * acknowledges them, what we showed of the peer's message stream, and how the chat ends. Lines typed
 * while no connection exists are queued and sent, in order, once one does; a lost link (with a
 * {@linkplain #connectVia connector}) detaches the channel, and the next one resends everything unacknowledged while
 * the receiver drops what it already showed, by (the sender's epoch, seq). The {@link Journal} keeps all
 * of it across restarts. End of input says bye only after everything typed was acknowledged.
 *
 * <p>Flow control keeps memory bounded on both sides: at most {@link #WINDOW} of our lines are on the wire
 * unacknowledged (more go out as acks come back), input pauses while {@link #INPUT_BOUND} lines wait
 * ({@link #awaitRoomForInput}), and a received message is acknowledged only once it has been printed
 * ({@link MessageOutput}), so a peer whose output is blocked stops the sender without stopping the
 * heartbeat. All methods but {@link #awaitRoomForInput} run on {@link #loop()}.
 *
 * <p>A line sent in parts ({@link Chat#continued()}) is held until its last part and shown as one message: its
 * parts are marked shown (durably) and acknowledged together, by the last part's seq, so a crash or a lost link
 * while they are held loses nothing (the sender still has them all and sends them again). While the user types,
 * a {@link Typing} frame goes out at most every {@link #TYPING_INTERVAL} to a peer that understands it; the
 * peer's typing is reported until its message arrives or {@link #TYPING_SHOWN_FOR} passes without another frame.
 */
public final class ChatSession {

    /** How long a bye-sender waits for the peer to close before closing itself. */
    static final long BYE_LINGER_MILLIS = 2_000;
    /**
     * Messages one side may have on the wire unacknowledged: a sender waits for acks beyond it, and a receiver
     * treats a peer that sends more as broken, so that neither holds more than this for the other.
     */
    public static final int WINDOW = 4_096;
    /** Lines typed and not yet acknowledged beyond which reading input pauses. */
    public static final int INPUT_BOUND = 2 * WINDOW;
    /** Most parts of one line held before they are shown: well inside the window, so the sender never waits on us. */
    static final int MAX_HELD_PARTS = 64;
    /** At most one typing frame per this interval. */
    public static final Duration TYPING_INTERVAL = Duration.ofSeconds(3);
    /** How long the peer counts as typing after its last typing frame. */
    public static final Duration TYPING_SHOWN_FOR = Duration.ofSeconds(6);

    /** Where received messages are shown; {@code printed} runs (on any thread) once this one has been. */
    @FunctionalInterface
    public interface MessageOutput {
        void show(ChatEvent.MessageReceived message, Runnable printed);
    }

    /** How far the printer got in one of the peer's epochs. */
    private record Printed(String stream, long seq) {
    }

    private final EventLoop loop;
    private final Consumer<ChatEvent> events;
    private final Journal journal;
    private final MessageOutput output;
    /** Our lines on the current channel, not yet acknowledged, in order. */
    private final Deque<Chat> inFlight = new ArrayDeque<>();
    /** Our lines not yet on the current channel (or waiting for one), in order. */
    private final Deque<Chat> pending = new ArrayDeque<>();
    /** The peer's messages read on the current channel and not yet acknowledged. */
    private final Deque<Long> received = new ArrayDeque<>();
    /** The parts of one long line of the peer's, read on the current channel and not shown yet, in order. */
    private final List<Chat> heldParts = new ArrayList<>();
    private final Semaphore inputRoom = new Semaphore(INPUT_BOUND);
    private final AtomicReference<Printed> printed = new AtomicReference<>();
    private final AtomicBoolean ackScheduled = new AtomicBoolean();
    private final CompletableFuture<Outcome> exit = new CompletableFuture<>();
    private final long firstSeqOfThisRun;
    private final long startedNanos = System.nanoTime();
    private long attachedNanos;
    /** The round trip of the last heartbeat on the current link, in nanoseconds; -1 before one. */
    private long rttNanos = -1;
    private long sentThisRun;
    private long shownThisRun;
    private boolean flushScheduled;
    private boolean over;

    private Connector connector;
    private Channel channel;
    private int attachments;
    private String peerName = "peer";
    /** Our own hello, or null when not told: the other peer's shown name depends on ours. */
    private Hello ours;
    /** The other peer's name as shown in this chat, and the name in its hello it was made from. */
    private String displayedName;
    private String lastPeerName;
    private String peerStream;
    private String peerNonce;
    private boolean inputEnded;
    private boolean byeReceived;
    private boolean byeSent;
    /** Why we leave, once the user has said so ({@link ChatEvent.Left}). */
    private String leaving;
    private boolean peerTypes;
    /** Ends the pause after our last typing frame; null when the next keystroke may send one at once. */
    private ScheduledFuture<?> typingPause;
    /** Clears the peer's typing indicator; null while the peer does not count as typing. */
    private ScheduledFuture<?> peerTypingEnds;
    private BooleanSupplier busy = () -> false;

    /** A chat kept in memory only, which ends when the link is lost (unless it {@linkplain #connectVia connects via} a connector). */
    public ChatSession(EventLoop loop, Consumer<ChatEvent> events) {
        this(loop, events, Journal.inMemory());
    }

    /** A chat whose state lives in {@code journal}: lines it still holds unacknowledged are queued at once. */
    public ChatSession(EventLoop loop, Consumer<ChatEvent> events, Journal journal) {
        this(loop, events, journal, (message, printed) -> {
            events.accept(message);
            printed.run();
        });
    }

    /** The same, showing received messages through {@code output} (a printer thread) instead of {@code events}. */
    public ChatSession(EventLoop loop, Consumer<ChatEvent> events, Journal journal, MessageOutput output) {
        this.loop = requireNonNull(loop, "loop");
        this.events = requireNonNull(events, "events");
        this.journal = requireNonNull(journal, "journal");
        this.output = requireNonNull(output, "output");
        pending.addAll(journal.unacked());
        firstSeqOfThisRun = journal.nextSeq();
        journal.listen(loop, this::pump, e -> failed(new Outcome.FilesUnusable(
                "cannot write this chat's journal (" + e.getMessage() + "); the chat ends, and what it holds"
                        + " on disk is kept for the next run")));
    }

    /**
     * Takes its links from {@code connector} from now on: a link whose hello is through is reported to it, a
     * link that dies without a bye does not end the chat (the session detaches, says so, and asks the connector
     * for the next one), and the end of the chat stops it. The connector is not started here.
     */
    public void connectVia(Connector connector) {
        this.connector = requireNonNull(connector, "connector");
    }

    /** End of input says bye only once {@code busy} is false (file transfers under way); see {@link #recheckBye}. */
    public void keepOpenWhile(BooleanSupplier busy) {
        this.busy = requireNonNull(busy, "busy");
    }

    /** What {@link #keepOpenWhile} waited for may be over: bye goes out now if it is due. */
    public void recheckBye() {
        sayByeWhenDelivered();
    }

    /** Our message stream's epoch, sent in our hello. */
    public String epoch() {
        return journal.epoch();
    }

    /** How many of our lines wait for the peer's acknowledgement (or for a connection). */
    public int queued() {
        return inFlight.size() + pending.size();
    }

    /**
     * Waits, on the input thread, until the chat has room for one more typed line: reading input pauses while
     * {@link #INPUT_BOUND} lines wait to be delivered, so a fast producer cannot fill our memory.
     */
    public void awaitRoomForInput() throws InterruptedException {
        inputRoom.acquire();
    }

    public EventLoop loop() {
        return loop;
    }

    /** Our hello: the other peer's name is shown with its host when it is the same as ours. */
    public void speakAs(Hello ours) {
        this.ours = ours;
    }

    /** Completes with how the chat ended, once it is over. */
    public CompletableFuture<Outcome> outcome() {
        return exit;
    }


    public boolean attached() {
        return channel != null;
    }

    /** Queues a line typed by the user and sends it at once if connected. */
    public void submit(String text) {
        submit(text, null, false);
    }

    /** Queues a line typed by the user, or with {@code more} a part of one that the next submitted text continues. */
    public void submit(String text, boolean more) {
        submit(text, null, more);
    }

    /** Queues a whole line of {@code kind} ({@link Chat#ACTION} for {@code /me}, null for an ordinary line). */
    public void submit(String text, String kind) {
        submit(text, kind, false);
    }

    /**
     * Queues a line of {@code kind}, or with {@code more} a part of one that the next submitted text continues,
     * reports it as {@link ChatEvent.Sent}, and sends it at once if connected.
     */
    private void submit(String text, String kind, boolean more) {
        if (over || byeSent) {
            return;
        }
        // The next keystroke is a new line being typed: the peer hears of it at once.
        endTypingPause();
        Chat chat = new Chat(messageId(), journal.nextSeq(), System.currentTimeMillis(), text, kind, more);
        // Written by the journal's thread; a line that cannot be kept ends the chat (journal failure, exit 10).
        journal.sent(chat);
        pending.addLast(chat);
        sentThisRun++;
        events.accept(new ChatEvent.Sent(chat.seq(), chat.id(), chat.time(), chat.text(), chat.kind()));
        pump();
    }

    /** A snapshot of this chat for {@code /info}. */
    public ChatStats stats() {
        Duration uptime = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (channel == null) {
            return new ChatStats(peerNonce == null ? null : peerName, null, null, null, null, null, uptime, null,
                    sentThisRun, shownThisRun, queued());
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        SSLSession ssl = tls == null ? null : tls.engine().getSession();
        return new ChatStats(peerName, address(channel.remoteAddress()), address(channel.localAddress()),
                rttNanos < 0 ? null : Duration.ofNanos(rttNanos), ssl == null ? null : ssl.getProtocol(),
                ssl == null ? null : ssl.getCipherSuite(), uptime, Duration.ofNanos(System.nanoTime() - attachedNanos),
                sentThisRun, shownThisRun, queued());
    }

    /** A heartbeat on {@code on} came back after {@code nanos}. */
    void roundTrip(Channel on, long nanos) {
        if (on == channel) {
            rttNanos = nanos;
        }
    }

    /**
     * A random (version 4) UUID naming a message for scripts that read --json. It needs to be unique, not
     * secret (nothing is authenticated or deduplicated by it), so it does not take a lock and a SHA-1 of the
     * secure generator on the event loop for every line.
     */
    private static String messageId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    /**
     * Puts pending lines on the wire while the window has room and their numbers are durably reserved; called
     * again when acks come back and when the journal reserves the next block.
     */
    private void pump() {
        if (channel == null || over) {
            return;
        }
        boolean wrote = false;
        while (!pending.isEmpty() && inFlight.size() < WINDOW && pending.peekFirst().seq() <= journal.sendableUpTo()) {
            Chat chat = pending.pollFirst();
            inFlight.addLast(chat);
            channel.write(chat);
            wrote = true;
        }
        if (wrote) {
            flushSoon();
        }
    }

    /**
     * Flushes once the loop has run the tasks already queued (more typed lines, more acks), so that a paste
     * becomes a few large TLS records and system calls instead of one per line.
     */
    private void flushSoon() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        Channel ch = channel;
        loop.execute(() -> {
            flushScheduled = false;
            ch.flush();
        });
    }

    /** The input ended (Ctrl-D, the end of a pipe): bye once everything typed has been delivered. */
    public void endOfInput() {
        endOfInput("end-of-input");
    }

    /**
     * The user has nothing more to say ({@code how}: {@code quit} or {@code end-of-input}, as the {@code left}
     * event tells it): bye once everything typed has been delivered.
     */
    public void endOfInput(String how) {
        inputEnded = true;
        if (leaving == null) {
            leaving = how;
        }
        sayByeWhenDelivered();
    }

    /**
     * The user's input line is not empty (a key was just pressed): tells a peer that understands it, at most
     * every {@link #TYPING_INTERVAL}. Never any of the text.
     */
    public void typing() {
        if (channel == null || over || byeSent || !peerTypes) {
            return;
        }
        if (typingPause != null) {
            return;
        }
        // On the loop's clock, which tests can move.
        typingPause = loop.schedule(() -> {
            typingPause = null;
        }, TYPING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        channel.write(new Typing());
        flushSoon();
    }

    private void endTypingPause() {
        if (typingPause != null) {
            typingPause.cancel(false);
            typingPause = null;
        }
    }

    /** The peer's user is typing: reported at once, and as over after {@link #TYPING_SHOWN_FOR} without more. */
    void peerTyping() {
        if (over) {
            return;
        }
        if (peerTypingEnds == null) {
            events.accept(new ChatEvent.Typing(peerName, true));
        } else {
            peerTypingEnds.cancel(false);
        }
        peerTypingEnds = loop.schedule(this::peerStoppedTyping, TYPING_SHOWN_FOR.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The peer no longer counts as typing (its message came, it went quiet, or the link went). */
    private void peerStoppedTyping() {
        if (peerTypingEnds == null) {
            return;
        }
        peerTypingEnds.cancel(false);
        peerTypingEnds = null;
        events.accept(new ChatEvent.Typing(peerName, false));
    }


    /** A link completed the handshake: its connector hears so, and everything queued goes out on it, in order. */
    void attach(Link link, Hello peer) {
        Channel channel = link.channel();
        this.channel = channel;
        this.attachedNanos = System.nanoTime();
        this.rttNanos = -1;
        if (displayedName == null || !peer.name().equals(lastPeerName)) {
            // Decided on the first hello of the chat and kept: the name shown must not change mid-chat.
            displayedName = ours == null ? peer.name() : ours.displayNameOf(peer);
            lastPeerName = peer.name();
        }
        this.peerName = displayedName;
        this.peerStream = peer.stream();
        this.peerNonce = peer.nonce();
        this.peerTypes = peer.supports(Features.TYPING);
        endTypingPause();
        received.clear();
        // Held parts were not acknowledged: the peer sends them again on this channel.
        heldParts.clear();
        Printed before = printed.get();
        if (before == null || !before.stream().equals(peerStream)) {
            // What an earlier run showed was printed then: resends of it are acknowledged at once.
            printed.set(new Printed(peerStream, journal.shownInEarlierRuns(peerStream)));
        }
        if (connector != null) {
            // Before the line that says so: a rendezvous' result (and its "hole punched" line) comes first.
            connector.helloCompleted(link);
        }
        events.accept(new ChatEvent.Connected(peerName, address(channel.remoteAddress()),
                address(channel.localAddress()), link.elapsed().toMillis(), link.attempts()));
        if (attachments++ > 0 && queued() > 0) {
            int n = queued();
            events.accept(new ChatEvent.Status("resending " + n + (n == 1 ? " message" : " messages")
                    + " not yet confirmed (the other peer drops what it has already shown)"));
        }
        // Everything unacknowledged goes out again on the new channel, in order, within the window.
        while (!inFlight.isEmpty()) {
            pending.addFirst(inFlight.pollLast());
        }
        pump();
        channel.flush();
        sayByeWhenDelivered();
    }

    String peerName() {
        return peerName;
    }

    /** The nonce of the last hello the peer sent, or null before any. */
    public String peerNonce() {
        return peerNonce;
    }

    /**
     * A message of the peer: marked shown (durably) before it is printed, and acknowledged once printed. A
     * resend after a reconnect or restart is shown only once, and acknowledged once everything up to it was
     * printed.
     */
    void received(Chat chat) {
        received.addLast(chat.seq());
        if (received.size() > WINDOW) {
            throw new ProtocolException("more than " + WINDOW + " messages sent without waiting for acknowledgements");
        }
        peerStoppedTyping();
        if (chat.seq() <= journal.shownUpTo(peerStream)) {
            acknowledgePrinted();
            return;
        }
        if (!heldParts.isEmpty() && heldParts.get(heldParts.size() - 1).seq() + 1 != chat.seq()) {
            // Not the continuation its predecessor announced (a peer that restarted in between): what came is shown.
            showHeldParts();
        }
        heldParts.add(chat);
        if (!chat.continued() || heldParts.size() >= MAX_HELD_PARTS) {
            showHeldParts();
        }
    }

    /**
     * Shows the held parts as one message: marked shown (durably) up to the last part before it is printed, and
     * acknowledged by that part's seq once printed.
     */
    private void showHeldParts() {
        if (heldParts.isEmpty()) {
            return;
        }
        Chat first = heldParts.get(0);
        Chat last = heldParts.get(heldParts.size() - 1);
        StringBuilder text = new StringBuilder(first.text());
        for (int i = 1; i < heldParts.size(); i++) {
            text.append(heldParts.get(i).text());
        }
        int parts = heldParts.size();
        heldParts.clear();
        String stream = peerStream;
        long seq = last.seq();
        ChatEvent.MessageReceived message = new ChatEvent.MessageReceived(peerName, seq, first.id(), first.time(),
                text.toString(), first.kind(), parts > 1 ? parts : 0);
        shownThisRun++;
        // Shown even if the chat ends meanwhile: its mark is durable, so no later run would show it.
        journal.shown(stream, seq, () -> output.show(message, () -> printed(stream, seq)));
    }

    /** The printer has printed the peer's message {@code seq}: acknowledge it (called on any thread). */
    private void printed(String stream, long seq) {
        printed.accumulateAndGet(new Printed(stream, seq),
                (old, now) -> old != null && old.stream().equals(now.stream()) && old.seq() >= now.seq() ? old : now);
        if (loop.inEventLoop()) {
            acknowledgePrinted();
        } else if (ackScheduled.compareAndSet(false, true)) {
            // One ack for everything printed by the time the loop gets to it.
            try {
                loop.execute(() -> {
                    ackScheduled.set(false);
                    acknowledgePrinted();
                });
            } catch (RejectedExecutionException e) {
                // The chat is over: there is no one left to acknowledge to.
            }
        }
    }

    /** Acknowledges, on the current channel, the messages read on it that have been printed. */
    private void acknowledgePrinted() {
        Printed upTo = printed.get();
        if (channel == null || over || upTo == null || !upTo.stream().equals(peerStream)) {
            return;
        }
        long ack = -1;
        while (!received.isEmpty() && received.peekFirst() <= upTo.seq()) {
            ack = received.pollFirst();
        }
        if (ack >= 0) {
            channel.write(new Ack(ack));
            flushSoon();
        }
    }

    void acknowledged(long seq) {
        journal.acked(seq);
        // TCP keeps order and the peer acknowledges in order, so an ack covers every earlier message.
        while (!inFlight.isEmpty() && inFlight.peekFirst().seq() <= seq) {
            Chat chat = inFlight.pollFirst();
            events.accept(new ChatEvent.Delivered(chat.seq()));
            if (chat.seq() >= firstSeqOfThisRun) {
                inputRoom.release();
            }
        }
        if (byeReceived && queued() == 0) {
            closeAfterBye();
            return;
        }
        pump();
        sayByeWhenDelivered();
    }

    /** The peer left: reported once the messages it sent before its bye have been handed to the output. */
    void peerSaidBye(String reason) {
        // It sent all it will: a line it left unfinished is shown as far as it got.
        showHeldParts();
        peerStoppedTyping();
        journal.afterEarlierRecords(() -> peerLeft(reason));
    }

    private void peerLeft(String reason) {
        if (over) {
            return;
        }
        events.accept(new ChatEvent.PeerLeft(peerName, reason));
        byeReceived = true;
        if (queued() == 0) {
            closeAfterBye();
            return;
        }
        // A peer that said bye still reads, shows and acknowledges for a moment (lines of ours may have
        // crossed its bye): wait for those acknowledgements before closing.
        loop.schedule(this::closeAfterBye, BYE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void closeAfterBye() {
        if (over) {
            return;
        }
        reportUndelivered();
        // The peer has everything it will ever read; an abortive close leaves no TIME_WAIT behind, so
        // both peers can be started again on the same ports at once.
        closeAbortively(channel);
        finish(new Outcome.Ended());
    }

    /**
     * The link on {@code lost} died without a bye: reset, closed, or the peer went silent. With a way to
     * redial the chat goes on (reported as {@link ChatEvent.ConnectionLost}); without one it ends as
     * {@link Outcome.ConnectionLost}.
     */
    void lost(Channel lost, String reason) {
        if (over || lost != channel) {
            return;
        }
        if (byeReceived) {
            closeAfterBye();
            return;
        }
        if (connector == null || byeSent) {
            failed(new Outcome.ConnectionLost("connection lost: " + reason));
            return;
        }
        channel = null;
        heldParts.clear();
        peerStoppedTyping();
        // Frees the port pair at once (no FIN_WAIT or TIME_WAIT) for the next simultaneous open.
        closeAbortively(lost);
        ChatEvent.ConnectionLost event = new ChatEvent.ConnectionLost(peerName, reason);
        events.accept(event);
        connector.next(event);
    }

    /** Closes with a reset rather than a FIN, so the kernel keeps nothing of the port pair. */
    static void closeAbortively(Channel channel) {
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException e) {
                // Closed in the meantime: nothing left to free.
            }
        }
        channel.close();
    }

    /** The link failed, and the chat with it; {@code failure} says how. Called at most once per channel. */
    void failed(Outcome.Failure failure) {
        if (over) {
            return;
        }
        if (byeSent && failure instanceof Outcome.ConnectionLost) {
            finish(new Outcome.Ended());
            return;
        }
        events.accept(new ChatEvent.Failure(failure));
        reportUndelivered();
        if (channel != null) {
            channel.close();
        }
        finish(failure);
    }

    /** Ends the chat while no connection is up (gave up, port taken, the rendezvous failed). */
    public void abandon(Outcome.Failure failure) {
        if (over) {
            return;
        }
        events.accept(new ChatEvent.Failure(failure));
        reportUndelivered();
        finish(failure);
    }


    /** Leaves politely at once, e.g. on Ctrl-C: a bye if connected, whatever is still unacknowledged. */
    public void leaveNow(String reason) {
        if (!over && !byeSent) {
            events.accept(new ChatEvent.Left(reason != null ? reason : "quit", queued()));
        }
        if (channel != null && channel.isActive() && !byeSent) {
            byeSent = true;
            reportUndelivered();
            channel.writeAndFlush(new Bye(reason)).addListener(ChannelFutureListener.CLOSE);
        } else if (channel == null) {
            reportUndelivered();
        }
        finish(new Outcome.Ended());
    }

    /**
     * Quits at once without giving up what was not delivered (a second Ctrl-C): no bye, so the other peer waits
     * for this chat to come back as after a lost connection, and the journal keeps the lines for the next run.
     * With nothing undelivered this is {@link #leaveNow}.
     */
    public void quitKeepingQueue() {
        if (over) {
            return;
        }
        if (queued() == 0) {
            leaveNow(null);
            return;
        }
        int n = queued();
        events.accept(new ChatEvent.Status("quitting now; " + n + (n == 1 ? " line" : " lines")
                + " not confirmed as delivered " + (journal.file() == null
                        ? "are lost (this chat has no journal on disk)"
                        : "stay in " + journal.file() + ": run the same command again to send them")));
        if (channel != null) {
            channel.close();
        }
        finish(new Outcome.Ended(), false);
    }

    private void sayByeWhenDelivered() {
        if (!inputEnded || channel == null || queued() > 0 || byeSent || over || busy.getAsBoolean()) {
            return;
        }
        byeSent = true;
        events.accept(new ChatEvent.Left(leaving != null ? leaving : "end-of-input", 0));
        Channel ch = channel;
        ch.writeAndFlush(new Bye(null));
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, BYE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> finish(new Outcome.Ended()));
    }

    private void reportUndelivered() {
        if (queued() > 0) {
            int n = queued();
            Chat first = inFlight.isEmpty() ? pending.peekFirst() : inFlight.peekFirst();
            events.accept(new ChatEvent.Status(n + (n == 1 ? " message was" : " messages were")
                    + " not confirmed as delivered (first: \"" + abbreviate(first.text()) + "\")"));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static String address(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return String.valueOf(address);
        }
        String host = inet.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }

    /** The chat is over: once the journal has written what it holds (or is deleted), the outcome is known. */
    private void finish(Outcome outcome) {
        finish(outcome, outcome instanceof Outcome.Ended);
    }

    private void finish(Outcome outcome, boolean deleteJournal) {
        if (over) {
            return;
        }
        over = true;
        peerStoppedTyping();
        // The chat ended on purpose: the next run with the same peer starts a new one.
        CompletableFuture<Void> journalDone = deleteJournal ? journal.deleteAsync() : journal.closeAsync();
        if (connector != null) {
            connector.stop();
        }
        journalDone.whenComplete((v, e) -> {
            if (e != null) {
                events.accept(new ChatEvent.Status("cannot remove the chat's journal: " + e.getMessage()));
            }
            exit.complete(outcome);
        });
    }
}
