package simchat.peer.log;

import java.lang.System.Logger.Level;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.FormattingTuple;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.MessageFormatter;

/**
 * Netty's loggers, sent to {@link Diagnostics}: without this Netty logs through {@code java.util.logging},
 * whose default handler prints two raw lines (and any stack trace) on standard error.
 */
final class NettyLoggers extends InternalLoggerFactory {

    static final NettyLoggers INSTANCE = new NettyLoggers();

    private NettyLoggers() {
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new NettyLogger(name);
    }

    /** One of Netty's loggers; formats {@code {}} placeholders only when the level is shown. */
    private static final class NettyLogger extends AbstractInternalLogger {

        private static final long serialVersionUID = 1L;

        NettyLogger(String name) {
            super(name);
        }

        private boolean on(Level level) {
            return Diagnostics.enabled(level);
        }

        private void log(Level level, String message, Throwable thrown) {
            if (on(level)) {
                Diagnostics.log(name(), level, message, thrown);
            }
        }

        private void format(Level level, String format, Object... arguments) {
            if (on(level)) {
                FormattingTuple formatted = MessageFormatter.arrayFormat(format, arguments);
                Diagnostics.log(name(), level, formatted.getMessage(), formatted.getThrowable());
            }
        }

        @Override public boolean isTraceEnabled() { return on(Level.TRACE); }
        @Override public void trace(String msg) { log(Level.TRACE, msg, null); }
        @Override public void trace(String format, Object arg) { format(Level.TRACE, format, arg); }
        @Override public void trace(String format, Object a, Object b) { format(Level.TRACE, format, a, b); }
        @Override public void trace(String format, Object... arguments) { format(Level.TRACE, format, arguments); }
        @Override public void trace(String msg, Throwable t) { log(Level.TRACE, msg, t); }

        @Override public boolean isDebugEnabled() { return on(Level.DEBUG); }
        @Override public void debug(String msg) { log(Level.DEBUG, msg, null); }
        @Override public void debug(String format, Object arg) { format(Level.DEBUG, format, arg); }
        @Override public void debug(String format, Object a, Object b) { format(Level.DEBUG, format, a, b); }
        @Override public void debug(String format, Object... arguments) { format(Level.DEBUG, format, arguments); }
        @Override public void debug(String msg, Throwable t) { log(Level.DEBUG, msg, t); }

        @Override public boolean isInfoEnabled() { return on(Level.INFO); }
        @Override public void info(String msg) { log(Level.INFO, msg, null); }
        @Override public void info(String format, Object arg) { format(Level.INFO, format, arg); }
        @Override public void info(String format, Object a, Object b) { format(Level.INFO, format, a, b); }
        @Override public void info(String format, Object... arguments) { format(Level.INFO, format, arguments); }
        @Override public void info(String msg, Throwable t) { log(Level.INFO, msg, t); }

        @Override public boolean isWarnEnabled() { return on(Level.WARNING); }
        @Override public void warn(String msg) { log(Level.WARNING, msg, null); }
        @Override public void warn(String format, Object arg) { format(Level.WARNING, format, arg); }
        @Override public void warn(String format, Object a, Object b) { format(Level.WARNING, format, a, b); }
        @Override public void warn(String format, Object... arguments) { format(Level.WARNING, format, arguments); }
        @Override public void warn(String msg, Throwable t) { log(Level.WARNING, msg, t); }

        @Override public boolean isErrorEnabled() { return on(Level.ERROR); }
        @Override public void error(String msg) { log(Level.ERROR, msg, null); }
        @Override public void error(String format, Object arg) { format(Level.ERROR, format, arg); }
        @Override public void error(String format, Object a, Object b) { format(Level.ERROR, format, a, b); }
        @Override public void error(String format, Object... arguments) { format(Level.ERROR, format, arguments); }
        @Override public void error(String msg, Throwable t) { log(Level.ERROR, msg, t); }
    }
}
