package simchat.rendezvous;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One log event, one line: {@code "HH:mm:ss.SSS [[logger] ][warning: |error: ]message[: exception]"}. The
 * logger is named only if it is another library's (Netty's); an exception and its causes stay on the line,
 * never a stack trace; a line break in a message (a peer's name, say) cannot start a forged line.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    /** Enough to tell a wrapped cause from its wrapper; deeper chains are cut. */
    private static final int MAX_CAUSES = 3;

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        line.append(TIME.format(LocalTime.ofInstant(event.getInstant(), zone))).append(' ');
        if (!event.getLoggerName().startsWith("simchat.")) {
            line.append('[').append(event.getLoggerName()).append("] ");
        }
        int level = event.getLevel().toInt();
        if (level >= Level.ERROR_INT) {
            line.append("error: ");
        } else if (level >= Level.WARN_INT) {
            line.append("warning: ");
        }
        line.append(oneLine(event.getFormattedMessage()));
        IThrowableProxy cause = event.getThrowableProxy();
        int causes = 0;
        for (; cause != null && causes <= MAX_CAUSES; causes++, cause = cause.getCause()) {
            line.append(causes == 0 ? ": " : " (caused by ").append(cause.getClassName());
            if (cause.getMessage() != null) {
                line.append(": ").append(oneLine(cause.getMessage()));
            }
        }
        return line.append(")".repeat(Math.max(0, causes - 1))).append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\R", " ");
    }
}
