package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

/**
 * One chat line. {@code seq} counts the sender's messages from 1; {@code time} is the sender's clock in
 * epoch milliseconds when the line was typed.
 */
public record Chat(String id, long seq, long time, String text) implements Message {

    public Chat {
        requireNonNull(id, "id");
        requireNonNull(text, "text");
        if (seq < 1) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: >= 1)");
        }
        if (text.length() > Limits.MAX_TEXT_CHARS) {
            throw new IllegalArgumentException(
                    "text: " + text.length() + " characters (expected: at most " + Limits.MAX_TEXT_CHARS + ")");
        }
    }
}
