package simchat.peer.console;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Where the chat's lines go and where the user's lines come from. */
public interface Console extends Closeable {

    /** Prints one line; safe to call from any thread. */
    void println(String line);

    /**
     * Prints lines in order and returns once all of them are out, in as few writes as the console can (a
     * paste of thousands of lines is then a few system calls, not one per line); safe to call from any thread.
     */
    default void printlnAll(List<String> lines) {
        for (String line : lines) {
            println(line);
        }
    }

    /** Reads the user's lines until end of input, blocking the calling thread. */
    void readLines(LineChunker.Sink sink) throws IOException;

    /**
     * From now on runs {@code typing}, on the thread that reads input, after each key that leaves the input line
     * not empty; consoles that read whole lines (pipes, files) never do.
     */
    default void onTyping(Runnable typing) {
    }

    /**
     * Reads as {@link #readLines(LineChunker.Sink)} does, and tells {@code interrupted} of every Ctrl-C on an empty
     * input line instead of ending. Only a terminal sees Ctrl-C as a key: elsewhere it is SIGINT, which the
     * shutdown hook handles, so this default ignores {@code interrupted}.
     */
    default void readLines(LineChunker.Sink sink, Runnable interrupted) throws IOException {
        readLines(sink);
    }

    /** Whether a person types at a terminal (as opposed to a pipe or a file). */
    boolean interactive();

    /**
     * Shows {@code text} in the status line's {@code slot} (null: clears it); the slots share one line that never
     * scrolls, at a terminal only. Safe to call from any thread but the event loop, which must not wait for it.
     */
    default void status(String slot, String text) {
    }

    /** An incoming message was shown: ring the bell if this console's policy says so. */
    default void alert() {
    }

    @Override
    default void close() {
    }
}
