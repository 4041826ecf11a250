package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import simchat.peer.commands.Command;
import simchat.peer.commands.CommandParser;
import simchat.peer.commands.CommandRunner;
import simchat.peer.console.ChatEvent;
import simchat.peer.console.Console;
import simchat.peer.session.ChatSession;
import simchat.peer.wire.Limits;

/**
 * The user's side of the chat: lines read from the console (on a thread of their own) are parsed into
 * {@link Command}s and carried out on the session's event loop by the {@link CommandRunner}; end of input ends the
 * chat, and SIGINT leaves politely. The parts of a line too long for one message are always chat and go out
 * marked as such; keystrokes on a non-empty input line (at a terminal) tell the session that the user is typing,
 * unless {@code --no-typing}.
 *
 * <p>Ctrl-C at a terminal: on an empty line it quits as {@code /quit} does, at once when nothing waits to be
 * delivered. Otherwise it says how many lines wait and keeps going until they are delivered; a second Ctrl-C
 * within {@link #SECOND_PRESS} quits at once and leaves them in the journal for the next run. The prompt stays
 * up all along, so nothing the user types meanwhile is left for the shell.
 */
final class ConsoleInput {

    /** How long after a Ctrl-C that had to wait a second one quits at once. */
    static final Duration SECOND_PRESS = Duration.ofSeconds(5);

    private final Console console;
    private final ChatSession session;
    private final Consumer<ChatEvent> events;
    private final CommandRunner commands;
    private final boolean sendTyping;
    /** A typing notice waits on the loop: keystrokes meanwhile add no more tasks. */
    private final AtomicBoolean typingQueued = new AtomicBoolean();
    /** The last chunk read said the next one continues it (input thread only). */
    private boolean midLine;
    /** When the last Ctrl-C that had to wait for deliveries came, or null; written on the event loop only. */
    private volatile Instant waitingSince;

    ConsoleInput(Console console, ChatSession session, Consumer<ChatEvent> events, CommandRunner commands,
                 boolean sendTyping) {
        this.console = requireNonNull(console, "console");
        this.session = requireNonNull(session, "session");
        this.events = requireNonNull(events, "events");
        this.commands = requireNonNull(commands, "commands");
        this.sendTyping = sendTyping;
    }

    /** Starts reading lines; returns the shutdown hook that says bye on SIGINT, already registered. */
    Thread start() {
        if (sendTyping) {
            console.onTyping(this::typed);
        }
        Thread input = new Thread(this::read, "peer-input");
        input.setDaemon(true);
        input.start();
        Thread interrupt = new Thread(this::leaveOnInterrupt, "peer-interrupt");
        Runtime.getRuntime().addShutdownHook(interrupt);
        return interrupt;
    }

    private void read() {
        try {
            console.readLines((text, partOfLongerLine, more) -> {
                boolean firstPart = partOfLongerLine && !midLine;
                midLine = more;
                // A part is always chat, and a blank part still goes: the part before it announced that one follows.
                Command command = partOfLongerLine ? new Command.Say(text, more) : CommandParser.parse(text);
                if (waitingSince != null && command.sends()) {
                    onLoop(() -> events.accept(new ChatEvent.Status("not sent: leaving once " + session.queued()
                            + " line(s) are delivered (Ctrl-C again to quit now)")));
                    return;
                }
                if (command.sends()) {
                    try {
                        // Input pauses while the chat holds its bound of undelivered lines.
                        session.awaitRoomForInput();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                onLoop(() -> {
                    if (firstPart) {
                        events.accept(new ChatEvent.Status("a line longer than " + Limits.MAX_TEXT_CHARS
                                + " characters is sent in parts", true));
                    }
                    commands.run(command);
                });
            }, () -> onLoop(this::interrupted));
        } catch (IOException e) {
            events.accept(new ChatEvent.Status("cannot read input: " + e.getMessage()));
        }
        onLoop(session::endOfInput);
    }

    /** Ctrl-C on an empty input line at a terminal. */
    private void interrupted() {
        Instant now = Instant.now();
        if (waitingSince != null && Duration.between(waitingSince, now).compareTo(SECOND_PRESS) < 0) {
            session.quitKeepingQueue();
            return;
        }
        int n = session.queued();
        if (n == 0) {
            events.accept(new ChatEvent.Status("Ctrl-C: leaving the chat"));
            commands.run(new Command.Quit());
            return;
        }
        waitingSince = now;
        events.accept(new ChatEvent.Status("Ctrl-C: " + n + (n == 1 ? " line is" : " lines are")
                + " not delivered yet; leaving once " + (n == 1 ? "it is" : "they are")
                + (session.attached() ? "" : " (still dialing)") + ". Ctrl-C again within "
                + SECOND_PRESS.toSeconds() + " s quits now and keeps " + (n == 1 ? "it" : "them")
                + " in the journal for the next run"));
        session.endOfInput("interrupted");
    }

    /** A key left the input line non-empty: one notice at a time goes to the loop, which paces the frames. */
    private void typed() {
        if (typingQueued.compareAndSet(false, true)) {
            onLoop(() -> {
                typingQueued.set(false);
                session.typing();
            });
        }
    }

    private void leaveOnInterrupt() {
        if (session.outcome().isDone()) {
            return;
        }
        onLoop(() -> session.leaveNow("interrupted"));
        try {
            session.outcome().get(1, TimeUnit.SECONDS);
            Thread.sleep(100);
        } catch (Exception e) {
            // Best effort: we are being terminated.
        }
    }

    /** Runs a task on the chat's event loop, unless the chat is already over and the loop gone. */
    private void onLoop(Runnable task) {
        try {
            session.loop().execute(task);
        } catch (RejectedExecutionException e) {
            // The chat has ended; late input has nowhere to go.
        }
    }
}
