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

    @Override
    default void close() {
    }
}
