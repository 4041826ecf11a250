package simchat.peer.console;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map;

import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;
import org.jline.utils.Status;

import simchat.peer.wire.Limits;

/**
 * A real terminal through JLine: incoming lines are printed above the prompt, so a message arriving
 * while the user types never mangles the line being edited. The line typed is erased when Enter is pressed (the
 * chat shows it again, with time and name); a status line at the bottom never scrolls (what is pending, who is
 * typing); Tab completes commands. Every widget JLine runs for a key is wrapped so that a key that leaves the
 * input line non-empty is reported ({@link #onTyping}). Ctrl-D ends the input; Ctrl-C clears a line being typed,
 * and on an empty line it is handed to the chat (which decides whether to quit), so that it never ends the
 * reading while the program goes on: a program that shows no prompt must not read what the user types.
 */
public final class TerminalConsole implements Console {

    /** How long closing waits for the input thread to leave the terminal. */
    private static final java.time.Duration READER_EXIT = java.time.Duration.ofMillis(500);

    /** The widget that draws the status line, run under the reader's lock. */
    private static final String STATUS_WIDGET = "simchat-status";

    private final Terminal terminal;
    private final LineReader reader;
    private final Display.Bell bell;
    private final boolean colour;
    /** The status line's slots, in the order they appear; guarded by {@code this}. */
    private final Map<String, String> slots = new LinkedHashMap<>();
    private Status status;
    private volatile Runnable typing;
    /** False once the terminal said it lost the focus (xterm focus reporting), until it says it got it back. */
    private volatile boolean focused = true;
    /** Where a Ctrl-C on an empty line goes; until {@link #readLines(LineChunker.Sink, Runnable)}, nowhere. */
    private volatile Runnable interrupted = () -> { };
    /** The terminal's settings before the chat, as {@code stty -g} printed them; null if stty could not tell. */
    private final String savedSettings;
    private volatile boolean closed;
    /** The thread in {@link #readLines(LineChunker.Sink, Runnable)}, or null. */
    private volatile Thread reading;

    /** On {@code terminal}, showing the chat as {@code display} says, completing {@code commands}. */
    TerminalConsole(Terminal terminal, Display display, List<String> commands) {
        this(terminal, display, commands, null);
    }

    /** The same; {@code savedSettings} (as {@code stty -g} printed them) are restored at the end if not null. */
    private TerminalConsole(Terminal terminal, Display display, List<String> commands, String savedSettings) {
        this.terminal = terminal;
        this.savedSettings = savedSettings;
        this.bell = display.bell();
        this.colour = display.colour();
        this.reader = LineReaderBuilder.builder().terminal(terminal)
                .completer((reader, line, candidates) -> {
                    // Only the first word of a line that starts with a slash is a command.
                    if (line.wordIndex() == 0 && line.line().startsWith("/")) {
                        commands.forEach(name -> candidates.add(new Candidate(name)));
                    }
                })
                .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
                .build();
        Map<String, Widget> widgets = reader.getWidgets();
        widgets.replaceAll((name, widget) -> name.startsWith("accept-") ? widget : () -> {
            boolean result = widget.apply();
            Runnable listener = typing;
            // Accepting a line sends it: no typing notice just before the message itself.
            if (listener != null && reader.getBuffer().length() > 0) {
                listener.run();
            }
            return result;
        });
        widgets.put(STATUS_WIDGET, () -> {
            drawStatus();
            return true;
        });
        // While a line is read, JLine turns SIGINT into UserInterruptException; between lines (and before the
        // first) this handler does, instead of the JVM's default, which would exit without a word.
        terminal.handle(Terminal.Signal.INT, signal -> interrupted.run());
        if (bell == Display.Bell.UNFOCUSED && terminal.hasFocusSupport()) {
            reader.getWidgets().put(LineReader.FOCUS_IN, () -> {
                focused = true;
                return true;
            });
            reader.getWidgets().put(LineReader.FOCUS_OUT, () -> {
                focused = false;
                return true;
            });
            terminal.trackFocus(true);
        }
    }

    /** Opens the system terminal, or returns null when there is none JLine can drive. */
    public static TerminalConsole open() {
        return open(Display.PLAIN, List.of());
    }

    /**
     * Opens the system terminal showing the chat as {@code display} says, completing {@code commands}; null when
     * there is none JLine can drive.
     */
    public static TerminalConsole open(Display display, List<String> commands) {
        try {
            // The exec provider (stty) restores the terminal exactly; JLine's native one drops the line speed
            // (stty -g differs after the chat: the speed reads 0 baud, which is a hang-up on a serial line).
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).provider("exec").build();
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                terminal.close();
                return null;
            }
            return new TerminalConsole(terminal, display, List.copyOf(commands), stty("-g"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void println(String line) {
        if (reader.isReading()) {
            reader.printAbove(line);
        } else {
            synchronized (this) {
                terminal.writer().println(line);
                terminal.writer().flush();
            }
        }
    }

    /** One redraw of the prompt for the whole batch, not one per line. */
    @Override
    public void printlnAll(List<String> lines) {
        if (!lines.isEmpty()) {
            println(String.join(System.lineSeparator(), lines));
        }
    }

    @Override
    public void status(String slot, String text) {
        synchronized (this) {
            if (text == null) {
                slots.remove(slot);
            } else {
                slots.put(slot, text);
            }
        }
        if (reader.isReading()) {
            try {
                // Under the reader's lock, so the status line and the input line are never drawn at once.
                reader.callWidget(STATUS_WIDGET);
                return;
            } catch (IllegalStateException e) {
                // The line was just accepted: no redisplay to race with.
            }
        }
        drawStatus();
    }

    private synchronized void drawStatus() {
        if (status == null) {
            if (slots.isEmpty()) {
                return;
            }
            status = Status.getStatus(terminal);
            if (status == null) {
                return;
            }
        }
        List<AttributedString> lines = new ArrayList<>();
        if (!slots.isEmpty()) {
            AttributedStyle style = colour ? AttributedStyle.DEFAULT.faint() : AttributedStyle.DEFAULT;
            lines.add(new AttributedString(String.join("  ·  ", slots.values()), style));
        }
        status.update(lines);
        terminal.flush();
    }

    @Override
    public void onTyping(Runnable typing) {
        this.typing = typing;
    }

    @Override
    public void alert() {
        if (bell == Display.Bell.ALWAYS || bell == Display.Bell.UNFOCUSED && !focused) {
            synchronized (this) {
                terminal.puts(InfoCmp.Capability.bell);
                terminal.flush();
            }
        }
    }

    /** Whether the terminal has the focus, as far as it told us (for tests: the widgets JLine calls on focus events). */
    boolean focusChanged(boolean in) {
        return reader.getWidgets().get(in ? LineReader.FOCUS_IN : LineReader.FOCUS_OUT).apply() && focused;
    }

    @Override
    public void readLines(LineChunker.Sink sink) {
        readLines(sink, () -> { });
    }

    @Override
    public void readLines(LineChunker.Sink sink, Runnable onInterrupt) {
        interrupted = requireNonNull(onInterrupt, "onInterrupt");
        reading = Thread.currentThread();
        LineChunker chunker = new LineChunker(Limits.MAX_TEXT_CHARS);
        while (!closed) {
            String line;
            try {
                line = reader.readLine("> ");
            } catch (EndOfFileException e) {
                return;
            } catch (UserInterruptException e) {
                if (closed) {
                    return;
                }
                // With text on the line, Ctrl-C only clears it; the next prompt starts empty.
                if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
                    onInterrupt.run();
                }
                continue;
            }
            chunker.split(line, sink);
        }
    }

    /** Runs {@code stty ARG} on the controlling terminal; returns what it printed, or null if it failed. */
    private static String stty(String arg) {
        try {
            Process stty = new ProcessBuilder("stty", arg)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return stty.waitFor() == 0 ? out.strip() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void close() {
        if (reader.isReading()) {
            // The chat ended while a line was read: no prompt is left behind for the shell to print after.
            synchronized (this) {
                terminal.writer().print("\r\033[K");
                terminal.writer().flush();
            }
        }
        closed = true;
        try {
            synchronized (this) {
                if (status != null) {
                    // Gives the bottom line back to the shell.
                    status.update(List.of());
                }
            }
            if (bell == Display.Bell.UNFOCUSED && terminal.hasFocusSupport()) {
                terminal.trackFocus(false);
            }
            terminal.close();
        } catch (IOException e) {
            // Nothing useful to do: we are exiting.
        }
        // The input thread may have entered raw mode for a new line while the chat ended: once it has left the
        // closed terminal (JLine restores on the way out), the settings saved at the start win.
        Thread input = reading;
        if (input != null && input != Thread.currentThread()) {
            try {
                input.join(READER_EXIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (savedSettings != null) {
            stty(savedSettings);
        }
    }
}
