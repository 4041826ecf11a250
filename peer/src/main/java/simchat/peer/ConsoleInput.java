package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
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
 */
final class ConsoleInput {

    private final Console console;
    private final ChatSession session;
    private final Consumer<ChatEvent> events;
    private final CommandRunner commands;
    private final boolean sendTyping;
    /** A typing notice waits on the loop: keystrokes meanwhile add no more tasks. */
    private final AtomicBoolean typingQueued = new AtomicBoolean();
    /** The last chunk read said the next one continues it (input thread only). */
    private boolean midLine;

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
            });
        } catch (IOException e) {
            events.accept(new ChatEvent.Status("cannot read input: " + e.getMessage()));
        }
        onLoop(session::endOfInput);
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
