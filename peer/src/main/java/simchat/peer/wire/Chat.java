package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One chat line. {@code seq} counts the sender's messages from 1; {@code time} is the sender's clock in
 * epoch milliseconds when the line was typed. The optional {@code kind} is {@value #ACTION} for an action
 * ({@code /me waves}, shown as {@code * alice waves}) and absent for an ordinary line; a peer that does not
 * know the field ignores it and shows the text as an ordinary line, which still reads well. {@code more}
 * (written only when true) says that the next message, {@code seq + 1}, continues this one: a line longer than
 * {@link Limits#MAX_TEXT_CHARS} goes out in parts, and a peer that announces {@link Features#PARTS} shows them as
 * one message (an older one ignores the field and shows each part as a line of its own).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Chat(String id, long seq, long time, String text, String kind, Boolean more) implements Message {

    /** The {@code kind} of a {@code /me} line. */
    public static final String ACTION = "action";

    @JsonCreator
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
        if (kind != null && kind.length() > 32) {
            throw new IllegalArgumentException("kind: " + kind.length() + " characters (expected: at most 32)");
        }
        // One form for "the last part or a whole line": the field absent, as older peers send it.
        if (!Boolean.TRUE.equals(more)) {
            more = null;
        }
    }

    /** An ordinary line, whole. */
    public Chat(String id, long seq, long time, String text) {
        this(id, seq, time, text, null, null);
    }

    /** A whole line of {@code kind}. */
    public Chat(String id, long seq, long time, String text, String kind) {
        this(id, seq, time, text, kind, null);
    }

    /** An ordinary line, or a part of one that the next message continues if {@code more}. */
    public Chat(String id, long seq, long time, String text, boolean more) {
        this(id, seq, time, text, null, more);
    }

    /** Whether the next message continues this one. */
    public boolean continued() {
        return more != null;
    }

    /** Whether this is an action ({@code /me}); an unknown kind from a later revision reads as an ordinary line. */
    public boolean action() {
        return ACTION.equals(kind);
    }
}
