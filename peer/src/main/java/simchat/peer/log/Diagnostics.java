package simchat.peer.log;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.util.internal.logging.InternalLoggerFactory;
import simchat.peer.console.ChatEvent;
import simchat.peer.console.Console;
import simchat.peer.console.Renderer;

/**
 * Where every logger of the peer process ends: {@link System.Logger} (through {@link PeerLoggerFinder}),
 * Netty's loggers and {@code java.util.logging} (JLine's) all hand their messages here. Once a chat's
 * console is attached, warnings and information are shown with {@code -v} as {@code * } status lines,
 * errors always, one line each; nothing is ever printed raw, with a stack trace, to the terminal.
 */
public final class Diagnostics {

    /** Before a console is attached, and after: errors only, one line on standard error. */
    private static final Output UNATTACHED = new Output() {
        @Override
        public Level threshold() {
            return Level.ERROR;
        }

        @Override
        public void accept(Diagnostic diagnostic) {
            PrintStream err = System.err;
            err.println("peer: " + diagnostic.text());
            err.flush();
        }
    };

    private static volatile Output output = UNATTACHED;

    private Diagnostics() {
    }

    /**
     * Routes Netty's and {@code java.util.logging}'s messages here and makes an exception that no thread
     * caught an error line instead of a stack trace. Call first thing in {@code main}: Netty's classes
     * take their loggers when they are loaded.
     */
    public static void install() {
        InternalLoggerFactory.setDefaultFactory(NettyLoggers.INSTANCE);
        // Unless the command line chose a configuration: JulBridge.Config configures it on first use.
        if (System.getProperty("java.util.logging.config.class") == null
                && System.getProperty("java.util.logging.config.file") == null) {
            System.setProperty("java.util.logging.config.class", JulBridge.CONFIG_CLASS);
        }
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> log("simchat.peer", Level.ERROR,
                "internal error in thread " + thread.getName() + " (a bug: please report it)", e));
    }

    /**
     * Shows diagnostics on {@code console} as {@code renderer} renders status lines, until closed. A
     * thread of its own prints them: many are logged on the event loop, which must never wait for the
     * console.
     */
    public static Shown showOn(Console console, Renderer renderer, boolean verbose) {
        Shown shown = new Shown(console, renderer, verbose ? Level.INFO : Level.ERROR);
        output = shown.sink;
        return shown;
    }

    static boolean enabled(Level level) {
        return level.getSeverity() >= output.threshold().getSeverity();
    }

    /** Records one message; cheap and non-blocking, from any thread. */
    static void log(String logger, Level level, String message, Throwable thrown) {
        Output current = output;
        if (level != Level.OFF && level.getSeverity() >= current.threshold().getSeverity()) {
            current.accept(new Diagnostic(logger, level, message, thrown));
        }
    }

    private interface Output {
        Level threshold();

        void accept(Diagnostic diagnostic);
    }

    /** Diagnostics being shown on a chat's console; {@link #close()} prints what is queued and detaches. */
    public static final class Shown implements AutoCloseable {

        /** Bounds memory if something logs in a loop; a diagnostic that finds it full is dropped. */
        private static final int QUEUE = 256;
        private static final Diagnostic END = new Diagnostic("simchat.peer", Level.OFF, "", null);

        private final Console console;
        private final Renderer renderer;
        private final BlockingQueue<Diagnostic> queue = new ArrayBlockingQueue<>(QUEUE);
        private final Output sink;
        private final Thread printer;

        private Shown(Console console, Renderer renderer, Level threshold) {
            this.console = requireNonNull(console, "console");
            this.renderer = requireNonNull(renderer, "renderer");
            requireNonNull(threshold, "threshold");
            this.sink = new Output() {
                @Override
                public Level threshold() {
                    return threshold;
                }

                @Override
                public void accept(Diagnostic diagnostic) {
                    queue.offer(diagnostic);
                }
            };
            this.printer = new Thread(this::print, "peer-diagnostics");
            printer.setDaemon(true);
            printer.start();
        }

        private void print() {
            try {
                for (Diagnostic d = queue.take(); d != END; d = queue.take()) {
                    String line = renderer.render(new ChatEvent.Status(d.text(), !d.severe()));
                    if (line != null) {
                        console.println(line);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Detaches, then waits (at most a second) until what was logged before is printed. */
        @Override
        public void close() {
            if (output == sink) {
                output = UNATTACHED;
            }
            try {
                if (queue.offer(END, 1, TimeUnit.SECONDS)) {
                    printer.join(TimeUnit.SECONDS.toMillis(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
