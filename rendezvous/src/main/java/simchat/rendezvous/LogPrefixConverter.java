package simchat.rendezvous;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %prefix} in {@code logback.xml}: {@code "warning: "} or {@code "error: "} before such
 * lines (nothing before ordinary ones), then the logger's name in brackets if it is another library's.
 */
public final class LogPrefixConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        int level = event.getLevel().toInt();
        String severity = level >= Level.ERROR_INT ? "error: " : level >= Level.WARN_INT ? "warning: " : "";
        String logger = event.getLoggerName();
        return logger.startsWith("simchat.") ? severity : severity + "[" + logger + "] ";
    }
}
