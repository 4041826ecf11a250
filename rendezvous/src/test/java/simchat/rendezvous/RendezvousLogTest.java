package simchat.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The rendezvous' log: SLF4J to Logback, Netty's warnings included, one line per event. */
class RendezvousLogTest {

    private static final String TIME = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    RendezvousLogTest() {
        Logging.configure(false);
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void detach() {
        root.detachAppender(captured);
    }

    @Test
    void nettyLogsThroughSlf4j() {
        assertThat(InternalLoggerFactory.getDefaultFactory()).isSameAs(Slf4JLoggerFactory.INSTANCE);
    }

    @Test
    void aWarningNettyRaisesInAPipelineReachesTheLog() throws Exception {
        // A real channel: an EmbeddedChannel keeps unhandled exceptions for its test instead of warning.
        EventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter()).bind(new LocalAddress("log-test")).sync().channel();
            Channel channel = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
            // Nothing handles it: the pipeline's tail warns, as it would for a handler that forgot to.
            channel.eventLoop().submit(() -> channel.pipeline().fireExceptionCaught(new IOException("boom"))).sync();
            channel.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }

        assertThat(captured.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getLoggerName()).isEqualTo("io.netty.channel.DefaultChannelPipeline");
            assertThat(event.getFormattedMessage()).contains("exceptionCaught() event was fired");
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("boom");
        });
    }

    @Test
    void theRendezvousOwnEventsAreDebugAndHiddenWithoutVerbose() {
        LoggerFactory.getLogger(Room.class).debug("room {}: expired", "7-amber-falcon");
        LoggerFactory.getLogger(Room.class).warn("something odd");

        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("something odd").doesNotContain("room 7-amber-falcon: expired");
    }

    @Test
    void anEventOfTheRendezvousIsItsTimeAndMessage() {
        assertThat(layout(event("simchat.rendezvous.Room", Level.DEBUG, "room 7-amber-falcon: expired", null)))
                .matches(TIME + "room 7-amber-falcon: expired" + System.lineSeparator());
    }

    @Test
    void aWarningSaysSo() {
        assertThat(layout(event("simchat.rendezvous.SessionHandler", Level.WARN, "/127.0.0.1:4000: unexpected x", null)))
                .matches(TIME + "warning: /127.0.0.1:4000: unexpected x" + System.lineSeparator());
    }

    @Test
    void anotherLibrarysLineNamesItsLoggerAndItsExceptionStaysOnTheLine() {
        IOException cause = new IOException("broken\npipe", new IllegalStateException("inner"));

        assertThat(layout(event("io.netty.channel.DefaultChannelPipeline", Level.WARN, "An exceptionCaught() event", cause)))
                .matches(TIME + "\\[io.netty.channel.DefaultChannelPipeline\\] warning: An exceptionCaught\\(\\) event"
                        + ": java.io.IOException: broken pipe \\(caused by java.lang.IllegalStateException: inner\\)"
                        + System.lineSeparator());
    }

    @Test
    void aLineBreakInAMessageCannotStartAForgedLine() {
        assertThat(layout(event("simchat.rendezvous.Room", Level.INFO, "room x: paired alice\n10:00:00.000 fake", null)))
                .matches(TIME + "room x: paired alice 10:00:00.000 fake" + System.lineSeparator());
    }

    /** The real console appender's layout, found behind the asynchronous one that the configuration made. */
    @SuppressWarnings("unchecked")
    private String layout(ILoggingEvent event) {
        AsyncAppenderBase<ILoggingEvent> async = (AsyncAppenderBase<ILoggingEvent>) root.getAppender("ASYNC");
        assertThat(async).as("the asynchronous appender").isNotNull();
        Appender<ILoggingEvent> console = async.getAppender("STDOUT");
        byte[] line = ((OutputStreamAppender<ILoggingEvent>) console).getEncoder().encode(event);
        return new String(line, StandardCharsets.UTF_8);
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable cause) {
        return new LoggingEvent(RendezvousLogTest.class.getName(), context.getLogger(logger), level, message, cause, null);
    }
}
