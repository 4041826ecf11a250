package simchat.peer.log;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * {@code java.util.logging} (JLine logs through it) sent to {@link Diagnostics} instead of its default
 * console handler, which prints raw lines and stack traces on standard error.
 */
public final class JulBridge extends Handler {

    /** For {@link LogManager}, which creates the handlers named in its configuration. */
    public JulBridge() {
    }

    /**
     * {@link Config}'s name, for {@link Diagnostics#install()}: a constant, so that naming it there loads
     * neither this class nor {@code java.util.logging}. A peer that never uses {@code java.util.logging}
     * (one without a terminal) does not pay for its start-up.
     */
    static final String CONFIG_CLASS = "simchat.peer.log.JulBridge$Config";

    /** Named by {@code java.util.logging.config.class}: the first use of a logger configures it. */
    public static final class Config {

        /** Only this handler; the root level stays INFO, so JLine's fine-grained chatter is not even formatted. */
        public Config() throws IOException {
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(
                    ("handlers=" + JulBridge.class.getName() + "\n.level=INFO\n").getBytes(StandardCharsets.ISO_8859_1)));
        }
    }

    @Override
    public void publish(LogRecord record) {
        Level level = level(record.getLevel());
        if (!Diagnostics.enabled(level)) {
            return;
        }
        String message = record.getMessage();
        try {
            Object[] parameters = record.getParameters();
            if (message != null && parameters != null && parameters.length > 0) {
                message = java.text.MessageFormat.format(message, parameters);
            }
        } catch (IllegalArgumentException e) {
            // Not a MessageFormat pattern after all: show it as it is.
        }
        Diagnostics.log(record.getLoggerName() == null ? "java.util.logging" : record.getLoggerName(), level,
                message, record.getThrown());
    }

    static Level level(java.util.logging.Level level) {
        int value = level.intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARNING;
        }
        if (value >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        }
        return value >= java.util.logging.Level.FINE.intValue() ? Level.DEBUG : Level.TRACE;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
