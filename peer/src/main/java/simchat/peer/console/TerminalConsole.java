package simchat.peer.console;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

import simchat.peer.wire.Limits;

/**
 * A real terminal through JLine: incoming lines are printed above the prompt, so a message arriving
 * while the user types never mangles the line being edited. Ctrl-C and Ctrl-D end the input. The
 * {@linkplain #indicate indicator} (who is typing) is JLine's status line at the bottom, which never scrolls; every
 * widget JLine runs for a key is wrapped so that a key that leaves the input line non-empty is reported
 * ({@link #onTyping}).
 */
public final class TerminalConsole implements Console {

    /** The widget that puts {@link #indicated} on the status line, run under the reader's lock. */
    private static final String INDICATE_WIDGET = "simchat-indicate";

    private final Terminal terminal;
    private final LineReader reader;
    private volatile Runnable typing;
    /** What the status line should show; null for nothing. */
    private volatile String indicated;
    /** Created with the first indicator, so a chat that never shows one never reserves the bottom line. */
    private Status status;

    private TerminalConsole(Terminal terminal) {
        this.terminal = terminal;
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
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
        widgets.put(INDICATE_WIDGET, () -> {
            showIndicated();
            return true;
        });
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
    public void indicate(String text) {
        indicated = text;
        if (reader.isReading()) {
            try {
                // Under the reader's lock, so the status line and the input line are never drawn at once.
                reader.callWidget(INDICATE_WIDGET);
                return;
            } catch (IllegalStateException e) {
                // The line was just accepted: no redisplay to race with.
            }
        }
        showIndicated();
    }

    private synchronized void showIndicated() {
        String text = indicated;
        if (status == null) {
            if (text == null) {
                return;
            }
            status = Status.getStatus(terminal);
            if (status == null) {
                return;
            }
        }
        status.update(text == null ? List.of() : List.of(new AttributedString(text)));
        terminal.flush();
    }

    @Override
    public void onTyping(Runnable typing) {
        this.typing = typing;
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
        synchronized (this) {
            if (status != null) {
                // Gives the bottom line back to the shell.
                status.update(List.of());
                status.close();
            }
        }
        try {
            terminal.close();
        } catch (IOException e) {
            // Nothing useful to do: we are exiting.
        }
    }
}
