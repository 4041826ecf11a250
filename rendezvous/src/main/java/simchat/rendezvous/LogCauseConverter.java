package simchat.rendezvous;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * Logback's {@code %cause} in {@code logback.xml}: a logged exception as {@code ": Type: message"} and its
 * causes on the same line, never a stack trace, so that every log event stays one line.
 */
public final class LogCauseConverter extends ThrowableHandlingConverter {

    /** Enough to tell a wrapped cause from its wrapper; deeper chains are cut. */
    private static final int MAX_CAUSES = 3;

    @Override
    public String convert(ILoggingEvent event) {
        StringBuilder line = new StringBuilder();
        IThrowableProxy throwable = event.getThrowableProxy();
        int causes = 0;
        for (; throwable != null && causes <= MAX_CAUSES; causes++, throwable = throwable.getCause()) {
            line.append(causes == 0 ? ": " : " (caused by ").append(throwable.getClassName());
            if (throwable.getMessage() != null) {
                line.append(": ").append(throwable.getMessage().replaceAll("\\R", " "));
            }
        }
        return line.append(")".repeat(Math.max(0, causes - 1))).toString();
    }
}
