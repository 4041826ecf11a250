package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import simchat.peer.commands.CommandRunner;
import simchat.peer.commands.ConnectionFacts;
import simchat.peer.console.ChatEvent;
import simchat.peer.console.DeliveryStatus;
import simchat.peer.console.Display;
import simchat.peer.console.Console;
import simchat.peer.console.Printer;
import simchat.peer.console.Renderer;
import simchat.peer.dial.DirectConnector;
import simchat.peer.files.FileCommands;
import simchat.peer.files.FileIo;
import simchat.peer.files.Transfers;
import simchat.peer.link.Connector;
import simchat.peer.link.GiveUpClock;
import simchat.peer.rendezvous.Meetings;
import simchat.peer.session.ChatSession;
import simchat.peer.session.Journal;
import simchat.peer.session.PeerPipeline;
import simchat.peer.tls.TlsSetup;
import simchat.peer.wire.Features;
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
    /** What {@code /info} learns from the events. */
    private final ConnectionFacts facts = new ConnectionFacts();
    /** The status line's count of our lines not yet shown by the peer; null until the chat's journal is open. */
    private DeliveryStatus delivery;

    /** Plain lines, no colour, no bell (pipes and tests). */
    public ChatPeer(PeerConfig config, Console console) {
        this(config, console, Display.PLAIN);
    }

    /** At a terminal, the chat is shown as {@code display} says. */
    public ChatPeer(PeerConfig config, Console console, Display display) {
        this.config = requireNonNull(config, "config");
        this.console = requireNonNull(console, "console");
        this.renderer = Renderer.of(config.json(), config.verbose(), config.name(), console.interactive(),
                display.colour());
        this.printer = new Printer(console, ChatSession.WINDOW, n -> renderer.render(new ChatEvent.Status(
                n + " status line(s) were not shown while output was blocked")));
        byte[] nonce = new byte[8];
        new SecureRandom().nextBytes(nonce);
        // Typing is announced even with --no-typing: it says what we show, not what we send.
        this.hello = new Hello(Hello.PROTOCOL_VERSION, config.name(), HexFormat.of().formatHex(nonce))
                .withFeatures(List.of(Features.TYPING, Features.PARTS, Features.FILES));
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
        FileIo fileIo = new FileIo();
        try {
            Addresses addresses = Addresses.resolve(config);
            Journal journal = Journals.open(config, this::show);
            EventLoop loop = group.next();
            ChatSession session = new ChatSession(loop, this::show, journal,
                    (message, printed) -> printer.println(renderer.render(message), () -> {
                        // On the printer thread, like the line itself.
                        console.alert();
                        printed.run();
                    }));
            synchronized (this) {
                delivery = new DeliveryStatus(session.queued());
            }
            Route route = route(loop, addresses, session, journal);
            // A progress line a second at a terminal, one every 5 s in plain output.
            Transfers transfers = new Transfers(loop, this::show, fileIo, config.files().downloads(),
                    config.files().acceptAll(), Duration.ofSeconds(console.interactive() ? 1 : 5));
            session.keepOpenWhile(transfers::busy);
            transfers.whenIdle(session::recheckBye);
            PeerPipeline pipeline = new PeerPipeline(hello.withEpoch(session.epoch()),
                    session, route.tls(), transfers);
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
            for (Path path : config.files().send()) {
                loop.execute(() -> transfers.send(path));
            }
            Thread interrupt = new ConsoleInput(console, session, this::show,
                    new CommandRunner(session, this::show, facts, new FileCommands(transfers)), config.typing()).start();
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
            // After the loop: closing channels queue the removal of unfinished temporary files.
            fileIo.close();
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
                    config.acceptsRelay(), hello.nonce(), session, journal, this::show);
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
        facts.accept(event);
        if (event instanceof ChatEvent.Typing typing && !config.json()) {
            // Not a line: the terminal shows it where nothing scrolls, a pipe not at all.
            printer.status("typing", Renderer.typingLine(typing));
            return;
        }
        String line = renderer.render(event);
        if (line != null) {
            printer.println(line);
        }
        if (console.interactive()) {
            String status;
            synchronized (this) {
                status = delivery == null ? null : delivery.update(event);
            }
            if (status != null) {
                printer.status(DeliveryStatus.SLOT, status);
            }
        }
    }
}
