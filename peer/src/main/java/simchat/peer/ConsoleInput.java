package simchat.peer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import simchat.peer.console.ChatEvent;
import simchat.peer.console.Console;
import simchat.peer.files.FileCommands;
import simchat.peer.session.ChatSession;
import simchat.peer.wire.Limits;

/**
 * The user's side of the chat: lines read from the console (on a thread of their own) go to the session on its
 * event loop, {@code /quit} and end of input end it, and SIGINT leaves politely.
 */
final class ConsoleInput {

    private final Console console;
    private final ChatSession session;
    private final Consumer<ChatEvent> events;
    private final FileCommands files;

    ConsoleInput(Console console, ChatSession session, Consumer<ChatEvent> events, FileCommands files) {
        this.console = requireNonNull(console, "console");
        this.session = requireNonNull(session, "session");
        this.events = requireNonNull(events, "events");
        this.files = requireNonNull(files, "files");
    }

    /** Starts reading lines; returns the shutdown hook that says bye on SIGINT, already registered. */
    Thread start() {
        Thread input = new Thread(this::read, "peer-input");
        input.setDaemon(true);
        input.start();
        Thread interrupt = new Thread(this::leaveOnInterrupt, "peer-interrupt");
        Runtime.getRuntime().addShutdownHook(interrupt);
        return interrupt;
    }

    private void read() {
        try {
            console.readLines((text, partOfLongerLine) -> {
                boolean quit = text.strip().equals("/quit");
                if (!partOfLongerLine && files.handle(text)) {
                    return;
                }
                if (!quit && !text.isBlank()) {
                    try {
                        // Input pauses while the chat holds its bound of undelivered lines.
                        session.awaitRoomForInput();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                onLoop(() -> {
                    if (partOfLongerLine) {
                        events.accept(new ChatEvent.Status("a line longer than " + Limits.MAX_TEXT_CHARS
                                + " characters is sent in parts", true));
                    }
                    if (quit) {
                        quit();
                    } else if (!text.isBlank()) {
                        session.submit(text);
                    }
                });
            });
        } catch (IOException e) {
            events.accept(new ChatEvent.Status("cannot read input: " + e.getMessage()));
        }
        onLoop(session::endOfInput);
    }

    /** Connected: bye once everything typed was delivered. Still dialing: at once, saying what was not. */
    private void quit() {
        if (session.attached()) {
            session.endOfInput();
        } else {
            session.leaveNow(null);
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
