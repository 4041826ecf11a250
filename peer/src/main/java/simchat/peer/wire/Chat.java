package simchat.peer.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One chat line. {@code seq} counts the sender's messages from 1; {@code time} is the sender's clock in
 * epoch milliseconds when the line was typed. The optional {@code kind} is {@value #ACTION} for an action
 * ({@code /me waves}, shown as {@code * alice waves}) and absent for an ordinary line; a peer that does not
 * know the field ignores it and shows the text as an ordinary line, which still reads well.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Chat(String id, long seq, long time, String text, String kind) implements Message {

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
    }

    /** An ordinary line. */
    public Chat(String id, long seq, long time, String text) {
        this(id, seq, time, text, null);
    }

    /** Whether this is an action ({@code /me}); an unknown kind from a later revision reads as an ordinary line. */
    public boolean action() {
        return ACTION.equals(kind);
    }
}
