package simchat.peer.dial;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.Random;
import java.util.function.Consumer;

import io.netty.channel.EventLoop;
import simchat.peer.Outcome;
import simchat.peer.console.ChatEvent;
import simchat.peer.link.Connector;
import simchat.peer.link.Link;
import simchat.peer.link.LinkSink;
import simchat.rendezvous.protocol.Endpoint;

/**
 * Links by direct simultaneous open: a {@link Dialer} from the fixed local port to {@code --remote}, again
 * after a lost link or a link that died before its hello. Confined to the chat's event loop.
 */
public final class DirectConnector implements Connector {

    private final EventLoop loop;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final Consumer<ChatEvent> events;
    private LinkSink links;
    private Dialer dialer;
    private boolean stopped;

    public DirectConnector(EventLoop loop, InetSocketAddress local, InetSocketAddress remote,
                           Consumer<ChatEvent> events) {
        this.loop = requireNonNull(loop, "loop");
        this.local = requireNonNull(local, "local");
        this.remote = requireNonNull(remote, "remote");
        this.events = requireNonNull(events, "events");
    }

    @Override
    public void start(LinkSink links) {
        this.links = requireNonNull(links, "links");
        events.accept(new ChatEvent.Dialing(Endpoint.of(local).toString(), Endpoint.of(remote).toString()));
        dial();
    }

    @Override
    public void helloCompleted(Link link) {
        // The dialer finished when the socket connected: nothing is owed to anyone.
    }

    @Override
    public void next(ChatEvent.ConnectionLost lost) {
        dial();
    }

    @Override
    public void stop() {
        stopped = true;
        if (dialer != null) {
            dialer.stop(AttemptOutcome.OTHER, "chat over");
        }
    }

    @Override
    public String notConnectedWithin(String within) {
        return "could not connect to " + Endpoint.of(remote) + " within " + within
                + "; is the other peer running with --remote pointing at this host and port " + local.getPort() + "?";
    }

    private void dial() {
        if (stopped) {
            return;
        }
        Dialer attempt = new Dialer(loop, local, remote, DialPacing.DEFAULT, new KnockDetector(),
                new ProgressLines(events), new Random());
        dialer = attempt;
        attempt.start().addListener(f -> {
            if (stopped) {
                if (f.isSuccess()) {
                    attempt.result().getNow().channel().close();
                }
                return;
            }
            if (!f.isSuccess()) {
                DialFailedException failure = (DialFailedException) f.cause();
                links.noMoreLinks(failure.outcome() == AttemptOutcome.LOCAL_PORT_UNAVAILABLE
                        ? new Outcome.PortUnavailable(failure.getMessage())
                        : new Outcome.UsageError(failure.getMessage()));
                return;
            }
            Dialer.Connected connected = attempt.result().getNow();
            links.offer(new Link(connected.channel(), connected.attempts(), connected.elapsed(), () -> {
                events.accept(new ChatEvent.Status("connection closed during the handshake; dialing again", true));
                dial();
            }));
        });
    }

    /** Turns dialing progress into status lines. */
    private record ProgressLines(Consumer<ChatEvent> events) implements DialListener {

        @Override
        public void progress(DialProgress p) {
            events.accept(new ChatEvent.Progress(p.attempts(), p.elapsed().toMillis(),
                    p.lastOutcome() == null ? null : p.lastOutcome().description()));
        }

        @Override
        public void outcomeChanged(AttemptOutcome outcome, Throwable cause) {
            events.accept(new ChatEvent.Status("attempts now end in: " + outcome.description() + hint(outcome)
                    + (outcome == AttemptOutcome.OTHER ? ": " + cause : ""), true));
        }

        @Override
        public void waiting(String reason) {
            events.accept(new ChatEvent.Status(reason));
        }

        @Override
        public void knocked() {
            events.accept(new ChatEvent.Status("knock: the other peer's SYNs reach this host; dialing eagerly", true));
        }

        private static String hint(AttemptOutcome outcome) {
            return switch (outcome) {
                case REFUSED -> " (the other host answers; its peer is not dialing at this instant)";
                case TIMED_OUT -> " (SYNs go unanswered: a firewall or NAT drops them, or the host is down)";
                case UNREACHABLE -> " (check the address and the route)";
                case ADDRESS_PAIR_BUSY -> " (another program, or a just-closed connection, holds these ports)";
                default -> "";
            };
        }
    }
}
