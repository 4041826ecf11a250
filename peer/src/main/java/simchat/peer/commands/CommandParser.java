package simchat.peer.commands;

/**
 * Turns one typed line into a {@link Command}: a line whose first non-blank character is {@code /} is a command
 * (looked up in {@link Commands#ALL}), {@code //text} is the line {@code /text}, anything else is chat. Pure: no
 * state, no I/O.
 */
public final class CommandParser {

    private CommandParser() {
    }

    /**
     * The command of {@code line}; {@code partOfLongerLine} (a chunk of a line too long for one message) is always
     * chat, since only a whole line can be a command.
     */
    public static Command parse(String line, boolean partOfLongerLine) {
        if (line.isBlank()) {
            return new Command.Nothing();
        }
        String trimmed = line.strip();
        if (partOfLongerLine || !trimmed.startsWith("/")) {
            return new Command.Say(line);
        }
        if (trimmed.startsWith("//")) {
            return new Command.Say(line.stripLeading().substring(1));
        }
        int space = indexOfWhitespace(trimmed);
        String name = space < 0 ? trimmed : trimmed.substring(0, space);
        String args = space < 0 ? "" : trimmed.substring(space).strip();
        Commands.Entry entry = Commands.named(name);
        return entry == null ? new Command.Unknown(name) : entry.parse().apply(args);
    }

    /** The same for a whole line. */
    public static Command parse(String line) {
        return parse(line, false);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
