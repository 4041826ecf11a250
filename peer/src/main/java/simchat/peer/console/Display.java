package simchat.peer.console;

import java.util.Map;

/**
 * How a terminal shows the chat: whether lines are coloured, and when an incoming message rings the bell.
 *
 * @param colour whether to colour names, status lines, warnings and errors (ANSI SGR)
 * @param bell   when an incoming message rings the terminal bell
 */
public record Display(boolean colour, Bell bell) {

    /** No colour, no bell: pipes, files, tests. */
    public static final Display PLAIN = new Display(false, Bell.NEVER);

    /** When an incoming message rings the terminal's bell. */
    public enum Bell {
        /** Only while the terminal reports that it does not have the focus (never if it cannot report focus). */
        UNFOCUSED,
        ALWAYS,
        NEVER
    }

    /** {@code --color}'s values. */
    public enum ColorMode {
        AUTO, ALWAYS, NEVER
    }

    /**
     * Whether to colour: {@code always} and {@code never} as said; {@code auto} only at a terminal (never in a pipe,
     * a file or {@code --json}) and only when {@code NO_COLOR} is unset or empty (no-color.org: an explicit option
     * wins over the variable).
     */
    public static boolean colour(ColorMode mode, boolean terminal, Map<String, String> environment) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> terminal && environment.getOrDefault("NO_COLOR", "").isEmpty();
        };
    }
}
