package simchat.rendezvous;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration for the rendezvous, found through {@code META-INF/services}: {@link LogLayout}
 * lines on standard output, written by a thread of their own. In code rather than in a
 * {@code logback.xml}: parsing that took 0.4-0.9 s of the rendezvous' start on a busy two-core machine.
 * An operator's own {@code -Dlogback.configurationFile} still wins.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogLayout layout = new LogLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName("STDOUT");
        console.setContext(context);
        console.setEncoder(encoder);
        console.start();
        // Most lines are logged on the event loop, which must never wait for the console: the appender's
        // worker thread writes them, and a full queue sheds lines rather than block (neverBlock).
        AsyncAppender async = new AsyncAppender();
        async.setName("ASYNC");
        async.setContext(context);
        async.setNeverBlock(true);
        async.addAppender(console);
        async.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
        // -v makes it DEBUG (every join, pairing and round); Netty and the others stay at INFO.
        context.getLogger("simchat").setLevel(Level.toLevel(System.getProperty(Logging.LEVEL_PROPERTY), Level.INFO));
        // At exit, stop the context so that the asynchronous appender writes what it still holds.
        Runtime.getRuntime().addShutdownHook(new Thread(context::stop, "rendezvous-log"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
