package simchat.peer.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simchat.peer.ChatPeer;
import simchat.peer.FileOptions;
import simchat.peer.HostPort;
import simchat.peer.Outcome;
import simchat.peer.PeerConfig;
import simchat.peer.commands.Commands;
import simchat.peer.console.Console;
import simchat.peer.console.Display;
import simchat.peer.console.PlainConsole;
import simchat.peer.console.Renderer;
import simchat.peer.console.TerminalConsole;
import simchat.peer.log.Diagnostics;
import simchat.peer.rendezvous.InviteCode;
import simchat.peer.tls.Fingerprint;
import simchat.peer.tls.SecurityOptions;
import simchat.rendezvous.protocol.RoomCode;

/**
 * {@code bin/peer}: parses the command line, hands over to {@link ChatPeer} and turns how the run ended into
 * the exit code ({@link ExitCodes}).
 */
@Command(name = "peer", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Chat with one other peer over a TCP simultaneous open: both sides bind a fixed local port and "
                        + "connect to each other at the same time. Nothing listens. Either give the other peer's "
                        + "address with --remote (and start the same command on the other machine with the addresses "
                        + "swapped), or let a rendezvous introduce you through your NATs: --rendezvous without --room "
                        + "prints a room code to read to the other person, who adds --room CODE.",
                ""},
        exitCodeListHeading = "%nExit codes:%n")
public final class PeerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** The port the peers use when {@code --local} is not given. */
    static final int DEFAULT_LOCAL_PORT = 8000;
    /** The rendezvous' port when {@code --rendezvous} names only a host (bin/rendezvous' default). */
    static final int DEFAULT_RENDEZVOUS_PORT = ChatPeer.DEFAULT_RENDEZVOUS_PORT;

    @Option(names = "--local", paramLabel = "PORT", defaultValue = "" + DEFAULT_LOCAL_PORT,
            description = "Fixed local port to bind and dial from (1-65535; default: ${DEFAULT-VALUE}).")
    private int localPort;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    /** Where the other peer comes from: exactly one of --remote and --rendezvous. */
    static final class Target {
        @Option(names = "--remote", required = true, paramLabel = "HOST[:PORT]",
                description = "The other peer: host name, IPv4 address, or [IPv6 address], and its --local port "
                        + "(default: the same as ours).")
        String remote;

        @Option(names = "--rendezvous", required = true, paramLabel = "HOST[:PORT]",
                description = "A rendezvous that introduces the peers through their NATs and times the dial "
                        + "(default port: " + DEFAULT_RENDEZVOUS_PORT + ").")
        String rendezvous;
    }

    @Option(names = "--room", paramLabel = "CODE",
            description = "With --rendezvous: join the room the other person created (e.g. 7-amber-falcon-4821); "
                    + "without it a new room is created and its code printed.")
    private String room;

    @Option(names = "--name", paramLabel = "NAME", description = "Name shown to the other peer (default: your user name; the other peer adds your host name"
                    + " when its name is the same).")
    private String name;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Local IP address to bind (default: all).")
    private String bind;

    @Option(names = "--give-up-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop dialing after this long, e.g. 30s, 2m, 500ms (default: keep dialing until Ctrl-C).")
    private Duration giveUpAfter;

    @Option(names = "--say", paramLabel = "TEXT",
            description = "A line to send as soon as connected, before standard input (repeatable).")
    private List<String> say = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object per line for every event.")
    private boolean json;

    @Option(names = "--no-typing",
            description = "Do not tell the other peer while you type (it is never sent what you type before Enter).")
    private boolean noTyping;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour names, status lines, warnings and errors: auto (at a terminal, unless NO_COLOR is "
                    + "set), always, or never (default: ${DEFAULT-VALUE}). Never with --json.")
    private String color;

    @Option(names = "--bell", negatable = true,
            description = "Ring the terminal bell on every incoming message (--no-bell: never; default: only while "
                    + "the terminal reports it is not in focus).")
    private Boolean bell;

    @Option(names = {"-v", "--verbose"}, description = "Also print how dialing attempts end and other details.")
    private boolean verbose;

    @Option(names = "--trust", paramLabel = "FINGERPRINT", converter = FingerprintConverter.class,
            description = "Chat only if the other peer's key has this fingerprint (SHA256:..., as it prints it); "
                    + "any other key ends the chat with exit code 9.")
    private Fingerprint trust;

    @Option(names = "--plaintext",
            description = "Do not encrypt: anyone on the path can read and change the chat. For teaching (tcpdump -A "
                    + "shows the frames); both peers must use it.")
    private boolean plaintext;

    @Option(names = "--no-relay",
            description = "With --rendezvous: never chat through the rendezvous' relay, even when no direct path can "
                    + "work (then exit 7). Relayed chats stay end-to-end encrypted; a --plaintext chat is never relayed.")
    private boolean noRelay;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Where this peer's identity, known peers and chat queues (DIR/chats/) are kept "
                    + "(default: $XDG_CONFIG_HOME/simchat, else ~/.config/simchat).")
    private Path configDir;

    @Option(names = "--send", paramLabel = "PATH",
            description = "A file or folder to offer as soon as connected (repeatable; in the chat: /send PATH).")
    private List<Path> send = new ArrayList<>();

    @Option(names = "--accept-files", description = "Accept every file the other peer offers, without asking.")
    private boolean acceptFiles;

    @Option(names = "--download-dir", paramLabel = "DIR",
            description = "Where received files go (default: the current directory).")
    private Path downloadDir;

    @Override
    public Integer call() {
        PeerConfig config = config();
        Display.ColorMode colorMode = colorMode();
        Display.Bell ring = bell == null ? Display.Bell.UNFOCUSED : bell ? Display.Bell.ALWAYS : Display.Bell.NEVER;
        boolean terminalColour = Display.colour(colorMode, true, System.getenv());
        try (Console console = openConsole(new Display(terminalColour, ring));
             Diagnostics.Shown diagnostics = Diagnostics.showOn(console, Renderer.of(json, verbose), verbose)) {
            Display display = new Display(!json && Display.colour(colorMode, console.interactive(), System.getenv()),
                    ring);
            return ExitCodes.code(new ChatPeer(config, console, display).run());
        }
    }

    /** What the parsed command line asks for, defaults filled in; a ParameterException says what is wrong. */
    PeerConfig config() {
        if (localPort < 1 || localPort > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--local: " + localPort + " (expected: 1-65535)");
        }
        HostPort remote = target.remote == null ? null : hostPort("--remote", target.remote, localPort);
        HostPort rendezvous = target.rendezvous == null ? null
                : hostPort("--rendezvous", target.rendezvous, DEFAULT_RENDEZVOUS_PORT);
        String who = name != null ? name : Identity.defaultName();
        if (who.isBlank() || who.length() > simchat.peer.wire.Limits.MAX_NAME_CHARS) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--name: must be 1-" + simchat.peer.wire.Limits.MAX_NAME_CHARS + " characters");
        }
        if (room != null && target.rendezvous == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--room: only with --rendezvous (with --remote there is no room)");
        }
        String code = room == null ? null : RoomCode.normalize(room);
        if (code != null && (code.isEmpty() || code.length() > simchat.rendezvous.protocol.Message.MAX_TEXT)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--room: '" + room + "' (expected: a code like 7-amber-falcon-4821)");
        }
        try {
            if (code != null) {
                InviteCode.parse(code);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--room: " + e.getMessage());
        }
        if (trust != null && target.rendezvous != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--trust: only with --remote (with --rendezvous the room code authenticates the other peer)");
        }
        if (noRelay && target.rendezvous == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--no-relay: only with --rendezvous (with --remote nothing is relayed)");
        }
        if (plaintext && trust != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--trust: a key is only checked when encrypting (drop --plaintext)");
        }
        Path downloads = downloadDir != null ? downloadDir : Path.of("");
        if (!java.nio.file.Files.isDirectory(downloads)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--download-dir: " + downloads + " is not a folder");
        }
        return new PeerConfig(localPort, remote, bind, who, json, verbose, giveUpAfter, say,
                rendezvous, code, new SecurityOptions(plaintext, trust, configDir),
                new FileOptions(send, acceptFiles, downloads), !noTyping, !noRelay);
    }

    private Display.ColorMode colorMode() {
        try {
            return Display.ColorMode.valueOf(color.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--color: '" + color + "' (expected: auto, always or never)");
        }
    }

    private HostPort hostPort(String option, String value, int defaultPort) {
        try {
            return HostPort.parse(value, defaultPort);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private Console openConsole(Display display) {
        if (!json && Identity.interactive()) {
            Console terminal = TerminalConsole.open(display, Commands.names());
            if (terminal != null) {
                return terminal;
            }
        }
        return new PlainConsole(new FileInputStream(FileDescriptor.in),
                new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
    }

    /**
     * The first argument that looks like an option but is none of ours, as picocli words it ("Unknown option:
     * '--lcoal'"), with the closest option when there is one; null when every option is known.
     */
    static String unknownOption(CommandSpec spec, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            CommandLine.Model.OptionSpec option = spec.findOption(name);
            if (option == null) {
                List<String> close = closest(spec, name);
                return "Unknown option: '" + name + "'" + (close.isEmpty() ? "" : " (did you mean " + close.get(0) + "?)");
            }
            if (!arg.contains("=") && option.arity().min() > 0) {
                i++;
            }
        }
        return null;
    }

    /** Our long options that differ from {@code name} by one edit or one swap of neighbours, e.g. --lcoal. */
    private static List<String> closest(CommandSpec spec, String name) {
        List<String> close = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            String longest = option.longestName();
            if (similar(name, longest)) {
                close.add(longest);
            }
        }
        return close;
    }

    private static boolean similar(String a, String b) {
        if (a.length() == b.length()) {
            int first = -1;
            int differences = 0;
            for (int i = 0; i < a.length(); i++) {
                if (a.charAt(i) != b.charAt(i)) {
                    differences++;
                    first = first < 0 ? i : first;
                }
            }
            return differences == 1 || differences == 2 && first + 1 < a.length()
                    && a.charAt(first) == b.charAt(first + 1) && a.charAt(first + 1) == b.charAt(first);
        }
        String longer = a.length() > b.length() ? a : b;
        String shorter = a.length() > b.length() ? b : a;
        if (longer.length() - shorter.length() != 1) {
            return false;
        }
        for (int i = 0; i < longer.length(); i++) {
            if ((longer.substring(0, i) + longer.substring(i + 1)).equals(shorter)) {
                return true;
            }
        }
        return false;
    }

    public static void main(String... args) {
        Diagnostics.install();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: one-line errors, usage help on bad arguments, no stack traces. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PeerCommand());
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCodes.helpList());
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine commandLine = e.getCommandLine();
            // picocli may report a missing option before an unknown one, but "--lcoal" is why "--local" is missing;
            // and it takes the unknown option's value for a second unknown argument.
            String unknown = unknownOption(commandLine.getCommandSpec(), args);
            String message = unknown != null ? unknown : String.valueOf(e.getMessage());
            // picocli says "Error: " for argument-group errors; our prefix already says it is one.
            commandLine.getErr().println("peer: " + message.replaceFirst("^Error: ", ""));
            commandLine.getErr().print(commandLine.getHelp().synopsis(0));
            commandLine.getErr().println("Try 'peer --help' for more information.");
            return ExitCodes.code(new Outcome.UsageError(String.valueOf(e.getMessage())));
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Outcome.InternalError bug = new Outcome.InternalError("internal error: " + e);
            commandLine.getErr().println("peer: " + bug.message());
            return ExitCodes.code(bug);
        });
        return cli;
    }
}
