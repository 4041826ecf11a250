package simchat.peer.console;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most {@code max} characters: a longer line comes out as several chunks, so
 * endless input without a newline never fills memory. Never splits a surrogate pair.
 */
public final class LineChunker {

    /**
     * Receives lines; {@code partOfLongerLine} is true for every chunk of a split line, {@code more} for every chunk
     * but its last (the next chunk continues this one).
     */
    public interface Sink {
        void line(String text, boolean partOfLongerLine, boolean more);
    }

    private final int max;

    public LineChunker(int max) {
        if (max < 2) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 2)");
        }
        this.max = max;
    }

    /** Reads until end of input, handing each line (without its {@code \n} or {@code \r\n}) to the sink. */
    public void read(Reader in, Sink sink) throws IOException {
        StringBuilder line = new StringBuilder();
        boolean split = false;
        boolean carriageReturn = false;
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                emit(line, split, sink);
                split = false;
                carriageReturn = false;
                continue;
            }
            if (carriageReturn) {
                split |= append(line, '\r', sink);
            }
            carriageReturn = c == '\r';
            if (!carriageReturn) {
                split |= append(line, (char) c, sink);
            }
        }
        if (carriageReturn) {
            split |= append(line, '\r', sink);
        }
        if (!line.isEmpty()) {
            emit(line, split, sink);
        }
    }

    /** Appends one char, handing a full chunk to the sink; returns whether it did. */
    private boolean append(StringBuilder line, char c, Sink sink) {
        boolean full = line.length() >= max;
        if (full) {
            int cut = Character.isHighSurrogate(line.charAt(max - 1)) ? max - 1 : max;
            sink.line(line.substring(0, cut), true, true);
            line.delete(0, cut);
        }
        line.append(c);
        return full;
    }

    /** Splits one already-read line the same way. */
    public void split(String text, Sink sink) {
        if (text.length() <= max) {
            sink.line(text, false, false);
            return;
        }
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(start + max, text.length());
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            sink.line(text.substring(start, end), true, end < text.length());
            start = end;
        }
    }

    private static void emit(StringBuilder line, boolean split, Sink sink) {
        if (!line.isEmpty() || !split) {
            sink.line(line.toString(), split, false);
        }
        line.setLength(0);
    }
}
