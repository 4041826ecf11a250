package simchat.peer.session;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import simchat.peer.ExitCode;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.link.Connector;
import simchat.peer.link.Link;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;

/**
 * One chat's state, independent of any channel: our numbered outgoing messages until the peer
 * acknowledges them, what we showed of the peer's message stream, and how the chat ends. Lines typed
 * while no connection exists are queued and sent, in order, once one does; a lost link (with
 * {@link #reconnectWith}) detaches the channel, and the next one resends everything unacknowledged while
 * the receiver drops what it already showed, by (the sender's epoch, seq). The {@link Journal} keeps all
 * of it across restarts. End of input says bye only after everything typed was acknowledged. All methods
 * run on {@link #loop()}.
 */
public final class ChatSession {

    /** How long a bye-sender waits for the peer to close before closing itself. */
    static final long BYE_LINGER_MILLIS = 2_000;

    private final EventLoop loop;
    private final Consumer<ChatEvent> events;
    private final Journal journal;
    private final Deque<Chat> unacked = new ArrayDeque<>();
    private final CompletableFuture<Outcome> exit = new CompletableFuture<>();

    private Connector connector;
    private Channel channel;
    private int attachments;
    private String peerName = "peer";
    private String peerStream;
    private String peerNonce;
    private boolean inputEnded;
    private boolean byeReceived;
    private boolean byeSent;

    /** A chat kept in memory only, which ends when the link is lost (unless it {@linkplain #connectVia connects via} a connector). */
    public ChatSession(EventLoop loop, Consumer<ChatEvent> events) {
        this(loop, events, Journal.inMemory());
    }

    /** A chat whose state lives in {@code journal}: lines it still holds unacknowledged are queued at once. */
    public ChatSession(EventLoop loop, Consumer<ChatEvent> events, Journal journal) {
        this.loop = requireNonNull(loop, "loop");
        this.events = requireNonNull(events, "events");
        this.journal = requireNonNull(journal, "journal");
        unacked.addAll(journal.unacked());
    }

    /**
     * Takes its links from {@code connector} from now on: a link whose hello is through is reported to it, a
     * link that dies without a bye does not end the chat (the session detaches, says so, and asks the connector
     * for the next one), and the end of the chat stops it. The connector is not started here.
     */
    public void connectVia(Connector connector) {
        this.connector = requireNonNull(connector, "connector");
    }

    /** Our message stream's epoch, sent in our hello. */
    public String epoch() {
        return journal.epoch();
    }

    /** How many of our lines wait for the peer's acknowledgement (or for a connection). */
    public int queued() {
        return unacked.size();
    }

    public EventLoop loop() {
        return loop;
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
        if (exit.isDone() || byeSent) {
            return;
        }
        Chat chat = new Chat(UUID.randomUUID().toString(), journal.nextSeq(), System.currentTimeMillis(), text);
        try {
            journal.sent(chat);
        } catch (UncheckedIOException e) {
            // A line that cannot be kept durably is not accepted: the chat ends and says why.
            failed(new Outcome.FilesUnusable("cannot keep the line \"" + abbreviate(text) + "\": " + e.getMessage()));
            return;
        }
        unacked.addLast(chat);
        if (channel != null) {
            channel.writeAndFlush(chat);
        }
    }

    /** The user has nothing more to say: bye once everything typed has been delivered. */
    public void endOfInput() {
        inputEnded = true;
        sayByeWhenDelivered();
    }


    /** A link completed the handshake: its connector hears so, and everything queued goes out on it, in order. */
    void attach(Link link, Hello peer) {
        Channel channel = link.channel();
        this.channel = channel;
        this.peerName = peer.name();
        this.peerStream = peer.stream();
        this.peerNonce = peer.nonce();
        if (connector != null) {
            // Before the line that says so: a rendezvous' result (and its "hole punched" line) comes first.
            connector.helloCompleted(link);
        }
        events.accept(new ChatEvent.Connected(peer.name(), address(channel.remoteAddress()),
                address(channel.localAddress()), link.elapsed().toMillis(), link.attempts()));
        if (attachments++ > 0 && !unacked.isEmpty()) {
            int n = unacked.size();
            events.accept(new ChatEvent.Status("resending " + n + (n == 1 ? " message" : " messages")
                    + " not yet confirmed (the other peer drops what it has already shown)"));
        }
        for (Chat chat : unacked) {
            channel.write(chat);
        }
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

    void received(Chat chat) {
        // A resend after a reconnect or restart: acknowledged again, shown only once.
        if (chat.seq() > journal.shownUpTo(peerStream)) {
            journal.shown(peerStream, chat.seq());
            events.accept(new ChatEvent.MessageReceived(peerName, chat.seq(), chat.id(), chat.time(), chat.text()));
        }
        channel.writeAndFlush(new Ack(chat.seq()));
    }

    void acknowledged(long seq) {
        journal.acked(seq);
        // TCP keeps order and the peer acknowledges in order, so an ack covers every earlier message.
        while (!unacked.isEmpty() && unacked.peekFirst().seq() <= seq) {
            events.accept(new ChatEvent.Delivered(unacked.pollFirst().seq()));
        }
        if (byeReceived && unacked.isEmpty()) {
            closeAfterBye();
            return;
        }
        sayByeWhenDelivered();
    }

    void peerSaidBye(String reason) {
        events.accept(new ChatEvent.PeerLeft(peerName, reason));
        byeReceived = true;
        if (unacked.isEmpty()) {
            closeAfterBye();
            return;
        }
        // A peer that said bye still reads, shows and acknowledges for a moment (lines of ours may have
        // crossed its bye): wait for those acknowledgements before closing.
        channel.eventLoop().schedule(this::closeAfterBye, BYE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void closeAfterBye() {
        if (exit.isDone()) {
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
        if (exit.isDone() || lost != channel) {
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
        if (exit.isDone()) {
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
        if (exit.isDone()) {
            return;
        }
        events.accept(new ChatEvent.Failure(failure));
        reportUndelivered();
        finish(failure);
    }


    /** Leaves politely at once, e.g. on Ctrl-C: a bye if connected, whatever is still unacknowledged. */
    public void leaveNow(String reason) {
        if (channel != null && channel.isActive() && !byeSent) {
            byeSent = true;
            reportUndelivered();
            channel.writeAndFlush(new Bye(reason)).addListener(ChannelFutureListener.CLOSE);
        } else if (channel == null) {
            reportUndelivered();
        }
        finish(new Outcome.Ended());
    }

    private void sayByeWhenDelivered() {
        if (!inputEnded || channel == null || !unacked.isEmpty() || byeSent || exit.isDone()) {
            return;
        }
        byeSent = true;
        Channel ch = channel;
        ch.writeAndFlush(new Bye(null));
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, BYE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> finish(new Outcome.Ended()));
    }

    private void reportUndelivered() {
        if (!unacked.isEmpty()) {
            int n = unacked.size();
            events.accept(new ChatEvent.Status(n + (n == 1 ? " message was" : " messages were")
                    + " not confirmed as delivered (first: \"" + abbreviate(unacked.peekFirst().text()) + "\")"));
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

    private void finish(Outcome outcome) {
        if (exit.isDone()) {
            return;
        }
        try {
            if (outcome instanceof Outcome.Ended) {
                // The chat ended on purpose: the next run with the same peer starts a new one.
                journal.delete();
            } else {
                journal.close();
            }
        } catch (IOException e) {
            events.accept(new ChatEvent.Status("cannot remove the chat's journal: " + e.getMessage()));
        }
        if (connector != null) {
            connector.stop();
        }
        exit.complete(outcome);
    }
}
