package simchat.peer.console;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import simchat.peer.wire.Limits;

/**
 * A real terminal through JLine: incoming lines are printed above the prompt, so a message arriving
 * while the user types never mangles the line being edited. Ctrl-D ends the input; Ctrl-C clears a line being
 * typed, and on an empty line it is handed to the chat (which decides whether to quit), so that it never ends
 * the reading while the program goes on: a program that shows no prompt must not read what the user types.
 */
public final class TerminalConsole implements Console {

    private final Terminal terminal;
    private final LineReader reader;
    /** Where a Ctrl-C on an empty line goes; until {@link #readLines(LineChunker.Sink, Runnable)}, nowhere. */
    private volatile Runnable interrupted = () -> { };

    /** The terminal's settings before the chat, as {@code stty -g} printed them; null if stty could not tell. */
    private final String savedSettings;
    private volatile boolean closed;

    private TerminalConsole(Terminal terminal) {
        this.terminal = terminal;
        this.savedSettings = stty("-g");
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
        // While a line is read, JLine turns SIGINT into UserInterruptException; between lines (and before the
        // first) this handler does, instead of the JVM's default, which would exit without a word.
        terminal.handle(Terminal.Signal.INT, signal -> interrupted.run());
    }

    /** Opens the system terminal, or returns null when there is none JLine can drive. */
    public static TerminalConsole open() {
        try {
            // The exec provider (stty) restores the terminal exactly; JLine's native one drops the line speed
            // (stty -g differs after the chat: the speed reads 0 baud, which is a hang-up on a serial line).
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).provider("exec").build();
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                terminal.close();
                return null;
            }
            return new TerminalConsole(terminal);
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

    @Override
    public void readLines(LineChunker.Sink sink) {
        readLines(sink, () -> { });
    }

    @Override
    public void readLines(LineChunker.Sink sink, Runnable onInterrupt) {
        interrupted = requireNonNull(onInterrupt, "onInterrupt");
        LineChunker chunker = new LineChunker(Limits.MAX_TEXT_CHARS);
        while (true) {
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

    /** Restores the terminal as it was before the chat (canonical mode, echo), from any thread; idempotent. */
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
            terminal.close();
        } catch (IOException e) {
            // Nothing useful to do: we are exiting.
        }
        // The input thread may have entered raw mode for a new line while the chat ended: the settings saved at
        // the start win, whatever JLine restored.
        if (savedSettings != null) {
            stty(savedSettings);
        }
    }
}
