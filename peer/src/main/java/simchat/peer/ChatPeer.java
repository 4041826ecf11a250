package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import simchat.peer.console.ChatEvent;
import simchat.peer.console.Console;
import simchat.peer.console.Printer;
import simchat.peer.console.Renderer;
import simchat.peer.dial.AttemptOutcome;
import simchat.peer.dial.DialFailedException;
import simchat.peer.dial.DialListener;
import simchat.peer.dial.DialPacing;
import simchat.peer.dial.DialProgress;
import simchat.peer.dial.Dialer;
import simchat.peer.dial.Endpoints;
import simchat.peer.dial.KnockDetector;
import simchat.peer.rendezvous.Meetings;
import simchat.peer.tls.ConfigDir;
import simchat.peer.session.ChatSession;
import simchat.peer.session.Journal;
import simchat.peer.session.PeerPipeline;
import simchat.peer.tls.TlsSetup;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Limits;

/**
 * One run of the chat: resolves the addresses, opens the chat's journal, dials by simultaneous open
 * (directly, or introduced and timed by a rendezvous), then shuttles lines between the console and the
 * connection until someone leaves; a lost link is dialled (or met through the rendezvous) again. Returns
 * the exit code.
 */
public final class ChatPeer {

    private final PeerConfig config;
    private final Console console;
    private final Renderer renderer;
    /** Everything is printed through it, so the event loop never waits for the terminal or a pipe. */
    private final Printer printer;
    private final Hello hello;
    /** The rendezvous' part of this run, or null in direct mode; set before the event loop hears of it. */
    private Meetings meetings;
    /** The chat of this run; set before the event loop hears of it. */
    private ChatSession session;
    /** Ends the current period without a connection after {@code --give-up-after}; touched only on the event loop. */
    private ScheduledFuture<?> giveUp;

    public ChatPeer(PeerConfig config, Console console) {
        this.config = requireNonNull(config, "config");
        this.console = requireNonNull(console, "console");
        this.renderer = Renderer.of(config.json(), config.verbose());
        this.printer = new Printer(console, ChatSession.WINDOW, n -> renderer.render(new ChatEvent.Status(
                n + " status line(s) were not shown while output was blocked")));
        byte[] nonce = new byte[8];
        new SecureRandom().nextBytes(nonce);
        this.hello = new Hello(Hello.PROTOCOL_VERSION, config.name(), HexFormat.of().formatHex(nonce));
    }

    public int run() {
        try {
            return chat();
        } finally {
            printer.close();
        }
    }

    private int chat() {
        InetSocketAddress remote;
        InetSocketAddress local;
        try {
            InetAddress bind = config.bind() == null ? null : InetAddress.getByName(config.bind());
            HostPort target = config.viaRendezvous() ? config.rendezvous() : config.remote();
            remote = new InetSocketAddress(resolve(target.host(), bind), target.port());
            local = new InetSocketAddress(bind != null ? bind : wildcard(remote.getAddress()), config.localPort());
            if (!config.viaRendezvous() && remote.getPort() == local.getPort() && (bind == null
                    ? Endpoints.isOnThisHost(remote.getAddress()) : bind.equals(remote.getAddress()))) {
                show(new ChatEvent.Failure(ExitCode.USAGE, "--remote " + config.remote() + " is this peer itself"
                        + " (same address and port): use another port on one side"));
                return ExitCode.USAGE;
            }
        } catch (UnknownHostException e) {
            show(new ChatEvent.Failure(ExitCode.USAGE, "cannot resolve host: " + e.getMessage()));
            return ExitCode.USAGE;
        }

        TlsSetup tls;
        try {
            // Direct mode remembers the peer's key under --remote as typed. Rendezvous mode: the room code
            // authenticates the peer; the creator learns it from the rendezvous, so it is asked for late.
            tls = config.viaRendezvous()
                    ? config.security().setUpForRoom(() -> meetings.roomCode(), this::show)
                    : config.security().setUp(config.remote().toString(), this::show);
        } catch (IOException e) {
            show(new ChatEvent.Failure(ExitCode.IDENTITY_UNAVAILABLE, e.getMessage()));
            return ExitCode.IDENTITY_UNAVAILABLE;
        }

        Journal journal;
        Path journalFile = config.security().dir().path().resolve("chats").resolve(config.chatKey() + ".jsonl");
        try {
            journal = Journal.open(journalFile);
        } catch (Journal.InUseException e) {
            show(new ChatEvent.Failure(ExitCode.PORT_UNAVAILABLE, "another peer process runs this chat from local port "
                    + config.localPort() + " already (" + journalFile + " is locked; peers sharing a home directory need"
                    + " different --name or --config-dir)"));
            return ExitCode.PORT_UNAVAILABLE;
        } catch (IOException | RuntimeException e) {
            if (config.security().configDir() != null) {
                show(new ChatEvent.Failure(ExitCode.IDENTITY_UNAVAILABLE, "cannot open this chat's journal "
                        + journalFile + ": " + why(e) + " (choose another directory with --config-dir)"));
                return ExitCode.IDENTITY_UNAVAILABLE;
            }
            // No usable home directory (e.g. a container user without one): chat anyway, and say what is lost.
            show(new ChatEvent.Status("cannot keep this chat's queue on disk (" + journalFile + ": " + why(e)
                    + "); it lives in memory only, so a restart loses it (use --config-dir)"));
            journal = Journal.inMemory();
        }

        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("peer", true));
        try {
            EventLoop loop = group.next();
            ChatSession session = new ChatSession(loop, this::onEvent, journal,
                    (message, printed) -> printer.println(renderer.render(message), printed));
            this.session = session;
            PeerPipeline pipeline = new PeerPipeline(hello.withEpoch(session.epoch()), session, tls);
            if (session.queued() > 0) {
                show(new ChatEvent.Status(session.queued() + " line(s) typed in an earlier run of this chat were not"
                        + " confirmed as delivered; they are sent once connected (kept in " + journalFile + ")"));
            }
            if (config.viaRendezvous()) {
                meetings = new Meetings(loop, local, remote, config.room(), config.name(), hello.nonce(), session,
                        journal, this::show, (connected, lostBeforeHello) -> install(connected, pipeline, lostBeforeHello));
                session.reconnectWith(meetings::again);
            } else {
                session.reconnectWith(() -> dial(loop, local, remote, session, pipeline));
            }
            for (String line : config.say()) {
                loop.execute(() -> session.submit(line));
            }
            startInput(session);
            Thread interrupt = new Thread(() -> leaveOnInterrupt(session), "peer-interrupt");
            Runtime.getRuntime().addShutdownHook(interrupt);
            if (config.viaRendezvous()) {
                loop.execute(meetings::start);
            } else {
                show(new ChatEvent.Dialing(describe(local), describe(remote)));
                loop.execute(() -> dial(loop, local, remote, session, pipeline));
            }
            if (config.giveUpAfter() != null) {
                loop.execute(() -> armGiveUp(ExitCode.GAVE_UP, config.viaRendezvous()
                        ? "not connected to the other peer within " + seconds(config.giveUpAfter()) + " s"
                        : "could not connect to " + describe(remote) + " within " + seconds(config.giveUpAfter())
                        + " s; is the other peer running with --remote pointing at this host and port "
                        + config.localPort() + "?"));
            }
            int code = session.exitCode().get();
            try {
                Runtime.getRuntime().removeShutdownHook(interrupt);
            } catch (IllegalStateException e) {
                // Already shutting down.
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERNAL;
        } catch (ExecutionException e) {
            show(new ChatEvent.Failure(ExitCode.INTERNAL, "internal error: " + e.getCause()));
            return ExitCode.INTERNAL;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /** Starts a period of at most {@code --give-up-after} without a connection; the chat ends with {@code code} after it. */
    private void armGiveUp(int code, String message) {
        if (giveUp != null) {
            giveUp.cancel(false);
        }
        giveUp = session.loop().schedule(() -> {
            if (!session.attached()) {
                session.abandon(code, message);
            }
        }, config.giveUpAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What went wrong with a file, in words: the JDK's file exceptions often carry nothing but the path. */
    private static String why(Exception e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + ": " + fs.getFile();
        }
        return String.valueOf(e.getMessage());
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    private void dial(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, ChatSession session,
                      PeerPipeline pipeline) {
        if (session.exitCode().isDone()) {
            return;
        }
        Dialer dialer = new Dialer(loop, local, remote, DialPacing.DEFAULT, new KnockDetector(),
                new Progress(), new Random());
        session.exitCode().whenComplete((code, e) -> dialer.stop(AttemptOutcome.OTHER, "chat over"));
        dialer.start().addListener(f -> {
            if (session.exitCode().isDone()) {
                return;
            }
            if (!f.isSuccess()) {
                DialFailedException failure = (DialFailedException) f.cause();
                session.abandon(failure.outcome() == AttemptOutcome.LOCAL_PORT_UNAVAILABLE
                        ? ExitCode.PORT_UNAVAILABLE : ExitCode.USAGE, failure.getMessage());
                return;
            }
            Dialer.Connected connected = dialer.result().getNow();
            session.dialed(connected.attempts(), connected.elapsed());
            install(connected, pipeline, () -> {
                show(new ChatEvent.Status("connection closed during the handshake; dialing again", true));
                dial(loop, local, remote, session, pipeline);
            });
        });
    }

    /** Hands a freshly dialled channel to the chat: the same pipeline whichever way it was dialled. */
    private static void install(Dialer.Connected connected, PeerPipeline pipeline, Runnable lostBeforeHello) {
        pipeline.install(connected.channel(), lostBeforeHello);
        connected.channel().config().setAutoRead(true);
    }

    /**
     * Everything the chat reports; a completed hello also ends the rendezvous' part, and the give-up clock
     * runs while there is no connection.
     */
    private void onEvent(ChatEvent event) {
        if (event instanceof ChatEvent.Connected && meetings != null) {
            meetings.helloCompleted();
        }
        if (event instanceof ChatEvent.Connected && giveUp != null) {
            giveUp.cancel(false);
        }
        show(event);
        if (event instanceof ChatEvent.ConnectionLost lost && config.giveUpAfter() != null) {
            armGiveUp(ExitCode.CONNECTION_LOST, "the connection to " + lost.peer() + " was lost and not restored within "
                    + seconds(config.giveUpAfter()) + " s");
        }
    }

    private void startInput(ChatSession session) {
        Thread input = new Thread(() -> {
            try {
                console.readLines((text, partOfLongerLine) -> {
                    boolean line = !text.isBlank() && !text.strip().equals("/quit");
                    try {
                        if (line) {
                            // Input pauses while the chat holds its bound of undelivered lines.
                            session.awaitRoomForInput();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    onLoop(session, () -> {
                        if (partOfLongerLine) {
                            show(new ChatEvent.Status("a line longer than " + Limits.MAX_TEXT_CHARS
                                    + " characters is sent in parts", true));
                        }
                        if (line) {
                            session.submit(text);
                        } else if (!text.isBlank()) {
                            quit(session);
                        }
                    });
                });
            } catch (IOException e) {
                show(new ChatEvent.Status("cannot read input: " + e.getMessage()));
            }
            onLoop(session, session::endOfInput);
        }, "peer-input");
        input.setDaemon(true);
        input.start();
    }

    /** Runs a task on the chat's event loop, unless the chat is already over and the loop gone. */
    private static void onLoop(ChatSession session, Runnable task) {
        try {
            session.loop().execute(task);
        } catch (RejectedExecutionException e) {
            // The chat has ended; late input has nowhere to go.
        }
    }

    private void quit(ChatSession session) {
        if (session.attached()) {
            session.endOfInput();
        } else {
            session.abandon(ExitCode.OK, null);
        }
    }

    private void leaveOnInterrupt(ChatSession session) {
        if (session.exitCode().isDone()) {
            return;
        }
        onLoop(session, () -> session.leaveNow("interrupted"));
        try {
            session.exitCode().get(1, TimeUnit.SECONDS);
            Thread.sleep(100);
        } catch (Exception e) {
            // Best effort: we are being terminated.
        }
    }

    private void show(ChatEvent event) {
        String line = renderer.render(event);
        if (line != null) {
            printer.println(line);
        }
    }

    private static InetAddress wildcard(InetAddress like) throws UnknownHostException {
        return InetAddress.getByName(like instanceof Inet6Address ? "::" : "0.0.0.0");
    }

    private static InetAddress resolve(String host, InetAddress bind) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        if (bind != null) {
            for (InetAddress a : all) {
                if (a.getClass() == bind.getClass()) {
                    return a;
                }
            }
        }
        return all[0];
    }

    private static String describe(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Turns dialing progress into status lines. */
    private final class Progress implements DialListener {

        @Override
        public void progress(DialProgress p) {
            show(new ChatEvent.Progress(p.attempts(), p.elapsed().toMillis(),
                    p.lastOutcome() == null ? null : p.lastOutcome().description()));
        }

        @Override
        public void outcomeChanged(AttemptOutcome outcome, Throwable cause) {
            show(new ChatEvent.Status("attempts now end in: " + outcome.description() + hint(outcome)
                    + (outcome == AttemptOutcome.OTHER ? ": " + cause : ""), true));
        }

        @Override
        public void knocked() {
            show(new ChatEvent.Status("knock: the other peer's SYNs reach this host; dialing eagerly", true));
        }

        private String hint(AttemptOutcome outcome) {
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
