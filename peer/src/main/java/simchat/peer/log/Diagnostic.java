package simchat.peer.log;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;

import simchat.peer.console.Sanitizer;

/**
 * One message from a logger (the peer's own, Netty's, JLine's or the JDK's), as one line of text for a
 * {@code * } status line: never a stack trace, never a line break, never longer than {@link #MAX_CHARS}.
 */
record Diagnostic(String logger, Level level, String message, Throwable thrown) {

    /** A diagnostic is a hint, not a report: a leak record or a long exception chain is cut here. */
    static final int MAX_CHARS = 400;
    /** Enough to tell a wrapped cause from its wrapper. */
    private static final int MAX_CAUSES = 3;

    Diagnostic {
        requireNonNull(logger, "logger");
        requireNonNull(level, "level");
        message = message == null ? "" : message;
    }

    /** Shown whatever the verbosity: an error. Everything else is a detail for {@code -v}. */
    boolean severe() {
        return level.getSeverity() >= Level.ERROR.getSeverity();
    }

    /**
     * {@code "[io.netty.util.ResourceLeakDetector] warning: message: java.io.IOException: boom"}; the
     * logger is named first unless it is the peer's own, so that a line starting {@code "* error: "} is
     * always the peer's. Messages may quote what the other peer sent, so control characters are made
     * visible as in chat lines.
     */
    String text() {
        StringBuilder line = new StringBuilder();
        if (!logger.startsWith("simchat.")) {
            line.append('[').append(logger).append("] ");
        }
        if (severe()) {
            line.append("error: ");
        } else if (level.getSeverity() >= Level.WARNING.getSeverity()) {
            line.append("warning: ");
        }
        line.append(message);
        Throwable cause = thrown;
        for (int i = 0; cause != null && i <= MAX_CAUSES; i++, cause = cause.getCause()) {
            line.append(i == 0 ? ": " : " (caused by ").append(cause);
            if (i > 0) {
                line.append(')');
            }
        }
        String text = Sanitizer.clean(line.toString().replaceAll("\\R", " "));
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "…";
    }
}
