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
     * Shows {@code text} on a line of its own that never scrolls (below the input line), or clears it when null;
     * consoles without such a line ignore it. Safe to call from any thread.
     */
    default void indicate(String text) {
    }

    /**
     * From now on runs {@code typing}, on the thread that reads input, after each key that leaves the input line
     * not empty; consoles that read whole lines (pipes, files) never do.
     */
    default void onTyping(Runnable typing) {
    }

    /** Whether a person types at a terminal (as opposed to a pipe or a file). */
    boolean interactive();

    @Override
    default void close() {
    }
}
