package simchat.peer.commands;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

/**
 * The registry of commands: each one's name, how it is used, what it does, and how its arguments become a
 * {@link Command}. {@code /help}, tab completion and the parser all read {@link #ALL}, so a new command (the file
 * transfer's {@code /send}, {@code /accept}, {@code /reject}, {@code /transfers}, {@code /cancel}) is one entry
 * here and one record in {@link Command}.
 */
public final class Commands {

    /** One command: {@code name} with its slash, {@code usage} after it (empty if none), one line of help. */
    public record Entry(String name, String usage, String summary, Function<String, Command> parse) {
        public Entry {
            requireNonNull(name, "name");
            requireNonNull(usage, "usage");
            requireNonNull(summary, "summary");
            requireNonNull(parse, "parse");
            if (!name.startsWith("/") || name.length() < 2 || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: a slash and a word)");
            }
        }
    }

    /** Every command, in the order {@code /help} lists them. */
    public static final List<Entry> ALL = List.of(
            new Entry("/help", "", "list the commands", noArguments("/help", new Command.Help())),
            new Entry("/info", "", "the connection: path, round trip, encryption, keys, uptime, messages",
                    noArguments("/info", new Command.Info())),
            new Entry("/me", "ACTION", "send an action, shown as * NAME ACTION",
                    args -> args.isEmpty() ? new Command.Misused("/me needs an action, e.g. /me waves")
                            : new Command.Me(args)),
            new Entry("/send", "PATH", "offer a file or a folder to the other peer", files("/send")),
            new Entry("/accept", "N", "accept offer N (see /transfers)", files("/accept")),
            new Entry("/reject", "N", "reject offer N", files("/reject")),
            new Entry("/transfers", "", "what is under way, offered, queued and done", files("/transfers")),
            new Entry("/cancel", "N", "stop transfer N", files("/cancel")),
            new Entry("/quit", "", "leave once everything you typed is delivered (at once while dialing)",
                    noArguments("/quit", new Command.Quit())));

    private Commands() {
    }

    /** The command named {@code name} (with its slash), or null. */
    public static Entry named(String name) {
        for (Entry entry : ALL) {
            if (entry.name().equals(name)) {
                return entry;
            }
        }
        return null;
    }

    /** Every command's name, for completion. */
    public static List<String> names() {
        return ALL.stream().map(Entry::name).toList();
    }

    /** The lines of {@code /help}. */
    public static List<String> help() {
        int width = ALL.stream().mapToInt(e -> label(e).length()).max().orElse(0);
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        lines.add("commands (a line starting with // is sent as text starting with /; Tab completes):");
        for (Entry entry : ALL) {
            lines.add("  " + String.format("%-" + width + "s", label(entry)) + "  " + entry.summary());
        }
        return lines;
    }

    private static String label(Entry entry) {
        return entry.usage().isEmpty() ? entry.name() : entry.name() + " " + entry.usage();
    }

    /** The file transfers check their own arguments (and say how to use them). */
    private static Function<String, Command> files(String name) {
        return args -> new Command.Files(args.isEmpty() ? name : name + " " + args);
    }

    private static Function<String, Command> noArguments(String name, Command command) {
        return args -> args.isEmpty() ? command : new Command.Misused(name + " takes no arguments (type /help)");
    }
}
