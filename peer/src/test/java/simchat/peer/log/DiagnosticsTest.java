package simchat.peer.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.util.internal.logging.InternalLogger;
import simchat.peer.console.PlainConsole;
import simchat.peer.console.Renderer;

/** Every logger of the peer ends as one {@code * } status line on the chat's console, or not at all. */
class DiagnosticsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PlainConsole console = new PlainConsole(InputStream.nullInputStream(),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    private Diagnostics.Shown shown;

    @AfterEach
    void detach() {
        if (shown != null) {
            shown.close();
        }
    }

    /** What the console showed once everything logged so far is printed. */
    private List<String> lines() {
        shown.close();
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void show(boolean json, boolean verbose) {
        shown = Diagnostics.showOn(console, Renderer.of(json, verbose), verbose);
    }

    private static InternalLogger netty(String name) {
        return NettyLoggers.INSTANCE.newInstance(name);
    }

    @Test
    void withVerboseANettyWarningIsOneStatusLineNamingItsLoggerWithTheExceptionOnIt() {
        show(false, true);

        netty("io.netty.channel.DefaultChannelPipeline").warn("An exceptionCaught() event was fired: {}", "tail",
                new IOException("Connection reset", new IllegalStateException("inner")));

        assertThat(lines()).containsExactly("* [io.netty.channel.DefaultChannelPipeline] warning: An exceptionCaught()"
                + " event was fired: tail: java.io.IOException: Connection reset"
                + " (caused by java.lang.IllegalStateException: inner)");
    }

    @Test
    void withoutVerboseOnlyErrorsAreShown() {
        show(false, false);
        InternalLogger logger = netty("io.netty.util.concurrent.DefaultPromise");

        logger.info("some detail");
        logger.warn("a warning");
        logger.error("Failed to submit a listener notification task. Event loop shut down?");

        assertThat(logger.isWarnEnabled()).as("warnings are not even formatted").isFalse();
        assertThat(lines()).containsExactly("* [io.netty.util.concurrent.DefaultPromise] error: Failed to submit"
                + " a listener notification task. Event loop shut down?");
    }

    @Test
    void debugIsNeverShownEvenWithVerbose() {
        show(false, true);
        InternalLogger logger = netty("io.netty.util.internal.PlatformDependent");

        logger.debug("-Dio.netty.noUnsafe: {}", false);
        logger.info("shown");

        assertThat(logger.isDebugEnabled()).isFalse();
        assertThat(lines()).containsExactly("* [io.netty.util.internal.PlatformDependent] shown");
    }

    @Test
    void inJsonADiagnosticIsAStatusEventMarkedVerbose() {
        show(true, true);

        netty("io.netty.util.ResourceLeakDetector").warn("deprecated");

        assertThat(lines()).containsExactly(
                "{\"event\":\"status\",\"text\":\"[io.netty.util.ResourceLeakDetector] warning: deprecated\",\"verbose\":true}");
    }

    @Test
    void theSystemLoggerOfThePeerAndOfTheJdkEndsHereToo() {
        show(false, true);

        System.getLogger("simchat.peer.dial").log(Level.WARNING, "attempt {0} of {1}", 3, 9);
        System.getLogger("jdk.internal.event").log(Level.INFO, "from the JDK");

        assertThat(lines()).containsExactly("* warning: attempt 3 of 9", "* [jdk.internal.event] from the JDK");
    }

    @Test
    void aJavaUtilLoggingWarningSuchAsJLinesIsShownWithVerbose() throws IOException {
        new JulBridge.Config(); // what the first use of java.util.logging does in the peer process
        show(false, true);

        java.util.logging.Logger.getLogger("org.jline").warning("Unable to create a system terminal");
        java.util.logging.Logger.getLogger("org.jline").fine("fine-grained chatter");

        assertThat(lines()).containsExactly("* [org.jline] warning: Unable to create a system terminal");
    }

    @Test
    void javaUtilLoggingIsToldTheRightConfigurationClass() {
        assertThat(JulBridge.CONFIG_CLASS).isEqualTo(JulBridge.Config.class.getName());
    }

    @Test
    void anExceptionNoThreadCaughtIsAnErrorLineNotAStackTrace() throws InterruptedException {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        io.netty.util.internal.logging.InternalLoggerFactory nettyBefore =
                io.netty.util.internal.logging.InternalLoggerFactory.getDefaultFactory();
        try {
            Diagnostics.install();
            show(false, false);
            Thread thread = new Thread(() -> {
                throw new IllegalStateException("oops");
            }, "peer-input");
            thread.start();
            thread.join();

            assertThat(lines()).containsExactly("* error: internal error in thread peer-input (a bug: please report it):"
                    + " java.lang.IllegalStateException: oops");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
            io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(nettyBefore);
        }
    }

    @Test
    void aMessageCannotForgeLinesOrSendEscapeSequences() {
        show(false, true);

        netty("io.netty.handler.codec.DecoderException").warn("bad frame: alice\n[12:00:00] bob: hi \u001b[2J");

        assertThat(lines()).containsExactly("* [io.netty.handler.codec.DecoderException] warning: bad frame: alice"
                + " [12:00:00] bob: hi \\x1B[2J");
    }

    @Test
    void aLongMessageIsCut() {
        show(false, true);

        netty("io.netty.util.ResourceLeakDetector").warn("LEAK: " + "x".repeat(10_000));

        assertThat(lines()).singleElement().asString().hasSize(2 + Diagnostic.MAX_CHARS).endsWith("x…");
    }

    @Test
    void onceDetachedOnlyErrorsAreLeftAndTheyGoToStandardErrorAsOneLine() {
        show(false, true);
        shown.close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            netty("io.netty.util.concurrent.DefaultPromise").warn("not shown");
            netty("io.netty.util.concurrent.DefaultPromise").error("late", new IOException("closed"));
        } finally {
            System.setErr(before);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).as("the console").isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("peer: [io.netty.util.concurrent.DefaultPromise] error:"
                + " late: java.io.IOException: closed" + System.lineSeparator());
    }
}
