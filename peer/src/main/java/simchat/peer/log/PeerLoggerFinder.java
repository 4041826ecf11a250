package simchat.peer.log;

import java.lang.System.Logger;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The {@link System.LoggerFinder} of the peer process (registered in {@code META-INF/services}): every
 * {@link System#getLogger} logger, the peer's own and the JDK's, writes to {@link Diagnostics}.
 */
public final class PeerLoggerFinder extends System.LoggerFinder {

    @Override
    public Logger getLogger(String name, Module module) {
        return new DiagnosticLogger(name);
    }

    /** A {@link System.Logger} whose messages become diagnostics. */
    private record DiagnosticLogger(String name) implements Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && Diagnostics.enabled(level);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (isLoggable(level)) {
                Diagnostics.log(name, level, localized(bundle, message), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String pattern = localized(bundle, format);
                Diagnostics.log(name, level, params == null || params.length == 0 || pattern == null
                        ? pattern : java.text.MessageFormat.format(pattern, params), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> message, Throwable thrown) {
            if (isLoggable(level)) {
                Diagnostics.log(name, level, message.get(), thrown);
            }
        }

        private static String localized(ResourceBundle bundle, String key) {
            return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : key;
        }
    }
}
