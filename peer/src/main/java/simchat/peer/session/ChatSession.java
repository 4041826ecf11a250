package simchat.peer.session;

import static java.util.Objects.requireNonNull;

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
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import simchat.peer.ExitCode;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Ack;
import simchat.peer.wire.Bye;
import simchat.peer.wire.Chat;
import simchat.peer.wire.Hello;

/**
 * One chat's state, independent of any channel: our numbered outgoing messages until the peer
 * acknowledges them, the last sequence number we showed, and how the chat ends. Lines typed before
 * the connection exists are queued and sent, in order, once it does; end of input says bye only after
 * everything typed was acknowledged. All methods run on {@link #loop()}.
 */
public final class ChatSession {

    /** How long a bye-sender waits for the peer to close before closing itself. */
    static final long BYE_LINGER_MILLIS = 2_000;

    private final EventLoop loop;
    private final Consumer<ChatEvent> events;
    private final Deque<Chat> unacked = new ArrayDeque<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private int dialAttempts;
    private Duration dialElapsed = Duration.ZERO;
    private long nextSeq = 1;
    private long lastShownSeq;
    private Channel channel;
    private String peerName = "peer";
    private boolean inputEnded;
    private boolean byeReceived;
    private boolean byeSent;

    public ChatSession(EventLoop loop, Consumer<ChatEvent> events) {
        this.loop = requireNonNull(loop, "loop");
        this.events = requireNonNull(events, "events");
    }

    public EventLoop loop() {
        return loop;
    }

    /** Completes with the exit code when the chat is over. */
    public CompletableFuture<Integer> exitCode() {
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
        Chat chat = new Chat(UUID.randomUUID().toString(), nextSeq++, System.currentTimeMillis(), text);
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

    /** Remembers how dialing went, to report it once the peer has said hello. */
    public void dialed(int attempts, Duration elapsed) {
        this.dialAttempts = attempts;
        this.dialElapsed = elapsed;
    }

    /** A channel completed the handshake: everything queued goes out on it, in order. */
    void attach(Channel channel, Hello peer) {
        this.channel = channel;
        this.peerName = peer.name();
        events.accept(new ChatEvent.Connected(peer.name(), address(channel.remoteAddress()),
                address(channel.localAddress()), dialElapsed.toMillis(), dialAttempts));
        for (Chat chat : unacked) {
            channel.write(chat);
        }
        channel.flush();
        sayByeWhenDelivered();
    }

    String peerName() {
        return peerName;
    }

    void received(Chat chat) {
        channel.writeAndFlush(new Ack(chat.seq()));
        if (chat.seq() <= lastShownSeq) {
            return;
        }
        lastShownSeq = chat.seq();
        events.accept(new ChatEvent.MessageReceived(peerName, chat.seq(), chat.id(), chat.time(), chat.text()));
    }

    void acknowledged(long seq) {
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
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
        finish(ExitCode.OK);
    }

    /** The link failed; {@code code} says how. Called at most once per channel. */
    void failed(int code, String message) {
        if (exit.isDone()) {
            return;
        }
        if (byeSent && code == ExitCode.CONNECTION_LOST) {
            finish(ExitCode.OK);
            return;
        }
        events.accept(new ChatEvent.Failure(code, message));
        reportUndelivered();
        if (channel != null) {
            channel.close();
        }
        finish(code);
    }

    /** Ends the chat before any connection exists (gave up, bad port, quit while dialing). */
    public void abandon(int code, String message) {
        if (message != null) {
            events.accept(new ChatEvent.Failure(code, message));
        }
        reportUndelivered();
        finish(code);
    }

    /** Leaves politely at once, e.g. on Ctrl-C: a bye if connected, whatever is still unacknowledged. */
    public void leaveNow(String reason) {
        if (channel != null && channel.isActive() && !byeSent) {
            byeSent = true;
            reportUndelivered();
            channel.writeAndFlush(new Bye(reason)).addListener(ChannelFutureListener.CLOSE);
        }
        finish(ExitCode.OK);
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
        ch.closeFuture().addListener(f -> finish(ExitCode.OK));
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

    private void finish(int code) {
        exit.complete(code);
    }
}
