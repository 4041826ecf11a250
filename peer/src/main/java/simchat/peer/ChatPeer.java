package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import simchat.peer.console.ChatEvent;
import simchat.peer.console.Console;
import simchat.peer.console.Printer;
import simchat.peer.console.Renderer;
import simchat.peer.dial.DirectConnector;
import simchat.peer.link.Connector;
import simchat.peer.link.GiveUpClock;
import simchat.peer.rendezvous.Meetings;
import simchat.peer.session.ChatSession;
import simchat.peer.session.Journal;
import simchat.peer.session.PeerPipeline;
import simchat.peer.tls.TlsSetup;
import simchat.peer.wire.Hello;

/**
 * One run of the chat, composed: resolves the addresses, opens the chat's journal and this peer's identity,
 * picks the connector (direct simultaneous open, or a rendezvous), starts reading input, and waits for the
 * chat's {@link Outcome}.
 */
public final class ChatPeer {

    private final PeerConfig config;
    private final Console console;
    private final Renderer renderer;
    /** Everything is printed through it, so the event loop never waits for the terminal or a pipe. */
    private final Printer printer;
    private final Hello hello;

    public ChatPeer(PeerConfig config, Console console) {
        this.config = requireNonNull(config, "config");
        this.console = requireNonNull(console, "console");
        this.renderer = Renderer.of(config.json(), config.verbose());
        this.printer = new Printer(console, ChatSession.WINDOW, n -> renderer.render(new ChatEvent.Status(
                n + " status line(s) were not shown while output was blocked")));
        byte[] nonce = new byte[8];
        new SecureRandom().nextBytes(nonce);
        this.hello = new Hello(Hello.PROTOCOL_VERSION, config.name(), HexFormat.of().formatHex(nonce))
                .withHost(LocalHost.name());
    }

    /** Runs the chat until it ends, and says how it ended. */
    public Outcome run() {
        try {
            return chat();
        } finally {
            printer.close();
        }
    }

    private Outcome chat() {
        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("peer", true));
        try {
            Addresses addresses = Addresses.resolve(config);
            Journal journal = Journals.open(config, this::show);
            EventLoop loop = group.next();
            ChatSession session = new ChatSession(loop, this::show, journal,
                    (message, printed) -> printer.println(renderer.render(message), printed));
            Route route = route(loop, addresses, session, journal);
            Hello ours = hello.withEpoch(session.epoch());
            session.speakAs(ours);
            PeerPipeline pipeline = new PeerPipeline(ours, session, route.tls());
            if (session.queued() > 0) {
                show(new ChatEvent.Status(session.queued() + " line(s) typed in an earlier run of this chat were not"
                        + " confirmed as delivered; they are sent once connected (kept in " + journal.file() + ")"));
            }
            Connector connector = config.giveUpAfter() == null ? route.connector()
                    : new GiveUpClock(loop, config.giveUpAfter(), route.connector());
            session.connectVia(connector);
            for (String line : config.say()) {
                loop.execute(() -> session.submit(line));
            }
            Thread interrupt = new ConsoleInput(console, session, this::show).start();
            loop.execute(() -> connector.start(pipeline));
            Outcome outcome = session.outcome().get();
            try {
                Runtime.getRuntime().removeShutdownHook(interrupt);
            } catch (IllegalStateException e) {
                // Already shutting down.
            }
            return outcome;
        } catch (CannotStart e) {
            return fail(e.failure());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.InternalError("interrupted while waiting for the chat to end");
        } catch (ExecutionException e) {
            return fail(new Outcome.InternalError("internal error: " + e.getCause()));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /** The connector of this run, and how it authenticates the other peer. */
    private record Route(Connector connector, TlsSetup tls) {
    }

    private Route route(EventLoop loop, Addresses addresses, ChatSession session, Journal journal) throws CannotStart {
        try {
            if (!config.viaRendezvous()) {
                // The peer's key is remembered under --remote as typed.
                return new Route(new DirectConnector(loop, addresses.local(), addresses.remote(), this::show),
                        config.security().setUp(config.remote().toString(), this::show));
            }
            Meetings meetings = new Meetings(loop, addresses.local(), addresses.remote(), config.room(), config.name(),
                    hello.nonce(), session, journal, this::show);
            // The room code authenticates the peer; the creator learns it from the rendezvous, so it is asked late.
            return new Route(meetings, config.security().setUpForRoom(meetings::roomCode, this::show));
        } catch (IOException e) {
            try {
                journal.close();
            } catch (IOException ignored) {
                // The identity's failure is the one to tell.
            }
            throw new CannotStart(new Outcome.FilesUnusable(e.getMessage()));
        }
    }

    private Outcome fail(Outcome.Failure failure) {
        show(new ChatEvent.Failure(failure));
        return failure;
    }

    private void show(ChatEvent event) {
        String line = renderer.render(event);
        if (line != null) {
            printer.println(line);
        }
        if (event instanceof ChatEvent.Room room && room.created()) {
            show(new ChatEvent.Status("on the other computer: " + commandToJoin(config.rendezvous(), room.code())));
        }
    }

    /** What the other person runs to join the room {@code code}: the rendezvous as given, the default port left out. */
    static String commandToJoin(HostPort rendezvous, String code) {
        String host = rendezvous.host().indexOf(':') >= 0 ? "[" + rendezvous.host() + "]" : rendezvous.host();
        String at = rendezvous.port() == DEFAULT_RENDEZVOUS_PORT ? host : host + ":" + rendezvous.port();
        // The code comes from the rendezvous: only the characters of a code go into a command to copy.
        return "bin/peer --rendezvous " + at + " --room " + code.replaceAll("[^A-Za-z0-9-]", "");
    }

    /** The rendezvous' port when {@code --rendezvous} names only a host (bin/rendezvous' default). */
    public static final int DEFAULT_RENDEZVOUS_PORT = 7000;
}
