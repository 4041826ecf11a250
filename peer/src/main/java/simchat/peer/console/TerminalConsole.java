package simchat.peer.console;

import java.io.IOException;
import java.util.List;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import simchat.peer.wire.Limits;

/**
 * A real terminal through JLine: incoming lines are printed above the prompt, so a message arriving
 * while the user types never mangles the line being edited. Ctrl-C and Ctrl-D end the input.
 */
public final class TerminalConsole implements Console {

    private final Terminal terminal;
    private final LineReader reader;

    private TerminalConsole(Terminal terminal) {
        this.terminal = terminal;
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
    }

    /** Opens the system terminal, or returns null when there is none JLine can drive. */
    public static TerminalConsole open() {
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).build();
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

    /** One redraw of the prompt for the whole batch, not one per line. */
    @Override
    public void printlnAll(List<String> lines) {
        if (!lines.isEmpty()) {
            println(String.join(System.lineSeparator(), lines));
        }
    }

    @Override
    public void readLines(LineChunker.Sink sink) {
        LineChunker chunker = new LineChunker(Limits.MAX_TEXT_CHARS);
        while (true) {
            String line;
            try {
                line = reader.readLine("> ");
            } catch (EndOfFileException | UserInterruptException e) {
                return;
            }
            chunker.split(line, sink);
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException e) {
            // Nothing useful to do: we are exiting.
        }
    }
}
