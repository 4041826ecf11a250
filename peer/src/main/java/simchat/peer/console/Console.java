package simchat.peer.console;

import java.io.Closeable;
import java.io.IOException;

/** Where the chat's lines go and where the user's lines come from. */
public interface Console extends Closeable {

    /** Prints one line; safe to call from any thread. */
    void println(String line);

    /** Reads the user's lines until end of input, blocking the calling thread. */
    void readLines(LineChunker.Sink sink) throws IOException;

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
