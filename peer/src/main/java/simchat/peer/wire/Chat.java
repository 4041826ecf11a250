package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One chat line. {@code seq} counts the sender's messages from 1; {@code time} is the sender's clock in
 * epoch milliseconds when the line was typed. {@code more} (written only when true) says that the next message,
 * {@code seq + 1}, continues this one: a line longer than {@link Limits#MAX_TEXT_CHARS} goes out in parts, and a
 * peer that announces {@link Features#PARTS} shows them as one message (an older one ignores the field and shows
 * each part as a line of its own).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Chat(String id, long seq, long time, String text, Boolean more) implements Message {

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
        // One form for "the last part or a whole line": the field absent, as older peers send it.
        if (!Boolean.TRUE.equals(more)) {
            more = null;
        }
    }

    /** A whole line, or the last part of one. */
    public Chat(String id, long seq, long time, String text) {
        this(id, seq, time, text, null);
    }

    /** Whether the next message continues this one. */
    public boolean continued() {
        return more != null;
    }
}
