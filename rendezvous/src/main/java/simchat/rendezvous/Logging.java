package simchat.rendezvous;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

/**
 * Start-up of the rendezvous' logging: SLF4J with Logback behind it ({@link LogConfigurator}), Netty's own
 * messages included, and {@code -v} mapped to the debug level of the rendezvous' loggers.
 */
final class Logging {

    /** The system property {@link LogConfigurator} reads the level of the {@code simchat} loggers from. */
    static final String LEVEL_PROPERTY = "simchat.rendezvous.level";

    private Logging() {
    }

    /**
     * Must run before anything logs: Logback reads its configuration (and the level) once, at the first
     * logger, and every Netty class takes its logger when it is loaded.
     */
    static void configure(boolean verbose) {
        if (verbose) {
            System.setProperty(LEVEL_PROPERTY, "DEBUG");
        }
        // Netty would also find SLF4J on the class path by itself, but only if nothing asked it for a
        // logger earlier; saying so makes its warnings reach the same log whatever the order.
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
    }
}
