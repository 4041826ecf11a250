package simchat.peer.commands;

import static java.util.Objects.requireNonNull;

/**
 * What one line the user typed asks for: a line of chat, or one of the commands of {@link Commands#ALL}. Made by
 * {@link CommandParser} (pure), carried out by {@link CommandRunner}.
 */
public sealed interface Command {

    /**
     * A line to send as it is (a line starting with {@code //} arrives here without its first slash), or with
     * {@code more} a part of a longer line that the next one continues.
     */
    record Say(String text, boolean more) implements Command {
        public Say {
            requireNonNull(text, "text");
        }

        /** A whole line. */
        public Say(String text) {
            this(text, false);
        }
    }

    /** {@code /me ACTION}: sent as an action, shown {@code * alice waves}. */
    record Me(String action) implements Command {
        public Me {
            requireNonNull(action, "action");
        }
    }

    /** {@code /help}: lists every command. */
    record Help() implements Command {
    }

    /** {@code /info}: the connection, the keys and the chat's counters. */
    record Info() implements Command {
    }

    /** One of the file-transfer commands ({@code /send PATH}, {@code /accept N}, ...), as typed. */
    record Files(String line) implements Command {
        public Files {
            requireNonNull(line, "line");
        }
    }

    /** {@code /quit}: leaves once everything typed was delivered (at once while dialing). */
    record Quit() implements Command {
    }

    /** A line that starts with {@code /} but names no command; answered locally, never sent. */
    record Unknown(String name) implements Command {
        public Unknown {
            requireNonNull(name, "name");
        }
    }

    /** A known command used the wrong way ({@code problem} says how to use it); never sent. */
    record Misused(String problem) implements Command {
        public Misused {
            requireNonNull(problem, "problem");
        }
    }

    /** A blank line: nothing to do. */
    record Nothing() implements Command {
    }

    /** Whether this puts a line on the wire (input pauses for these while the chat holds its bound of lines). */
    default boolean sends() {
        return this instanceof Say || this instanceof Me;
    }
}
