package simchat.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import simchat.rendezvous.protocol.Protocol;

/**
 * The pipeline of every rendezvous connection: idle detection, frame deadline, framing + JSON,
 * session logic.
 */
final class RendezvousInitializer extends ChannelInitializer<SocketChannel> {

    private final Rooms rooms;
    private final PendingConnections pending;
    private final RendezvousConfig config;

    RendezvousInitializer(Rooms rooms, PendingConnections pending, RendezvousConfig config) {
        this.rooms = requireNonNull(rooms, "rooms");
        this.pending = requireNonNull(pending, "pending");
        this.config = requireNonNull(config, "config");
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // First, so that it sees raw reads and writes: reader idle ends the connection, writer
        // idle (a third of it) sends a keep-alive ping whose pong counts as a read.
        long idle = config.idleTimeout().toNanos();
        pipeline.addLast("idle", new IdleStateHandler(idle, idle / 3, 0, TimeUnit.NANOSECONDS));
        // Before the framer, which buffers a partial frame silently: a frame must end in time.
        pipeline.addLast("frame-deadline", new FrameDeadlineHandler(config.frameTimeout()));
        // Newline framing with a hard frame limit, strict UTF-8, JSON <-> Message.
        Protocol.addCodec(pipeline);
        // Join, probe, pong, result; errors close this connection only.
        pipeline.addLast("session", new SessionHandler(rooms, pending, config));
    }
}
