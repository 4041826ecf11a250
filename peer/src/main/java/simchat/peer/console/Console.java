package simchat.peer.console;

import java.io.Closeable;
import java.io.IOException;

/** Where the chat's lines go and where the user's lines come from. */
public interface Console extends Closeable {

    /** Prints one line; safe to call from any thread. */
    void println(String line);

    /** Reads the user's lines until end of input, blocking the calling thread. */
    void readLines(LineChunker.Sink sink) throws IOException;

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

    @Override
    default void close() {
    }
}
