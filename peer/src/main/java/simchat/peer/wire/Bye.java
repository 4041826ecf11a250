package simchat.peer.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The sender is leaving on purpose; {@code reason} is null for an ordinary goodbye. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Bye(String reason) implements Message {

    public Bye {
        if (reason != null && reason.length() > Limits.MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("reason: " + reason.length() + " characters (expected: at most "
                    + Limits.MAX_TEXT_CHARS + ")");
        }
    }
}
