package simchat.peer.console;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.jline.utils.AttributedCharSequence;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The lines of a chat at a terminal: the text lines of {@link Renderer.Text}, with our own lines shown like the
 * other peer's (time, name, and a dim {@value #PENDING} mark: sent, not yet confirmed at the time it was printed)
 * and, with colour, each kind of line in its own style. Remote text is sanitised before any style is added, so
 * the only escape sequences in a line are ours.
 */
final class TerminalLines {

    /** The mark after one of our lines when it is printed: the status line then says how many are pending. */
    static final String PENDING = "…";

    static final AttributedStyle TIME = AttributedStyle.DEFAULT.faint();
    static final AttributedStyle PEER = AttributedStyle.BOLD.foreground(AttributedStyle.CYAN);
    static final AttributedStyle OWN = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
    static final AttributedStyle STATUS = AttributedStyle.DEFAULT.faint();
    static final AttributedStyle WARNING = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle ERROR = AttributedStyle.BOLD.foreground(AttributedStyle.RED);

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Renderer.Text plain;
    private final String ownName;
    private final boolean colour;
    private final boolean ownLines;

    /**
     * Lines of {@code plain}, our lines under {@code ownName} if {@code ownLines} (a terminal, where the typed
     * line is erased on Enter), coloured if {@code colour}.
     */
    TerminalLines(Renderer.Text plain, String ownName, boolean colour, boolean ownLines) {
        this.plain = requireNonNull(plain, "plain");
        this.ownName = Sanitizer.clean(requireNonNull(ownName, "ownName"));
        this.colour = colour;
        this.ownLines = ownLines;
    }

    String render(ChatEvent event) {
        if (event instanceof ChatEvent.Sent sent) {
            if (!ownLines) {
                return null;
            }
            AttributedStringBuilder line = message(sent.time(), ownName, OWN, sent.text(), sent.action());
            line.append(" ").append(PENDING, STATUS);
            return ansi(line.toAttributedString());
        }
        if (event instanceof ChatEvent.MessageReceived m) {
            return ansi(message(m.time(), Sanitizer.clean(m.from()), PEER, m.text(), m.action()).toAttributedString());
        }
        String text = plain.render(event);
        if (text == null) {
            return null;
        }
        return ansi(new AttributedString(text, style(event)));
    }

    private AttributedStringBuilder message(long time, String name, AttributedStyle nameStyle, String text,
                                            boolean action) {
        AttributedStringBuilder line = new AttributedStringBuilder()
                .append("[" + CLOCK.format(Instant.ofEpochMilli(time).atZone(plain.zone())) + "]", TIME)
                .append(" ");
        String clean = Sanitizer.clean(text);
        if (action) {
            // The time in front tells an action from a status line (which has none): "/me left" cannot pose as one.
            return line.append("* " + name + " " + clean, nameStyle);
        }
        return line.append(name, nameStyle).append(": " + clean);
    }

    private static AttributedStyle style(ChatEvent event) {
        if (event instanceof ChatEvent.Failure || event instanceof ChatEvent.KeyChanged) {
            return ERROR;
        }
        if (event instanceof ChatEvent.Warning || event instanceof ChatEvent.ConnectionLost
                || event instanceof ChatEvent.PeerKey key && "unverified".equals(key.trust())
                || event instanceof ChatEvent.Status s && s.text().toLowerCase(java.util.Locale.ROOT).contains("warning")) {
            return WARNING;
        }
        return STATUS;
    }

    private String ansi(AttributedString line) {
        // Basic colours and SGR attributes only: every terminal and tmux show them.
        return colour ? line.toAnsi(8, AttributedCharSequence.ForceMode.None) : line.toString();
    }
}
