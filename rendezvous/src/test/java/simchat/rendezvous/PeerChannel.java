package simchat.rendezvous;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import simchat.rendezvous.protocol.Message;

/** An embedded rendezvous connection from a given remote address, with the server's pipeline. */
final class PeerChannel extends EmbeddedChannel {

    private final InetSocketAddress remote;

    PeerChannel(InetSocketAddress remote) {
        super(false, false);
        this.remote = remote;
    }

    static PeerChannel connect(String host, int port, Rooms rooms, RendezvousConfig config) {
        return connect(host, port, rooms, new PendingConnections(config.maxPendingPerAddress()), config);
    }

    /** A connection through the server's handlers; {@code pending} may be shared between connections. */
    static PeerChannel connect(String host, int port, Rooms rooms, PendingConnections pending,
                               RendezvousConfig config) {
        PeerChannel channel = new PeerChannel(new InetSocketAddress(host, port));
        // The server's pipeline without the idle handler, whose events the tests fire themselves.
        channel.pipeline().addLast(new FrameDeadlineHandler(config.frameTimeout()));
        simchat.rendezvous.protocol.Protocol.addCodec(channel.pipeline());
        channel.pipeline().addLast(new SessionHandler(rooms, pending, config));
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return channel;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    /** Feeds a message as if the peer had sent it (through the encoder, so as real bytes). */
    void send(Message message) {
        EmbeddedChannel encoder = new EmbeddedChannel();
        simchat.rendezvous.protocol.Protocol.addCodec(encoder.pipeline());
        encoder.writeOutbound(message);
        writeInbound((Object) encoder.readOutbound());
        encoder.finishAndReleaseAll();
    }

    /** The next message the server sent to this peer, or {@code null}. */
    Message next() {
        runPendingTasks();
        return (Message) readOutboundDecoded();
    }

    private Object readOutboundDecoded() {
        Object frame = readOutbound();
        if (frame == null) {
            return null;
        }
        EmbeddedChannel decoder = new EmbeddedChannel();
        simchat.rendezvous.protocol.Protocol.addCodec(decoder.pipeline());
        decoder.writeInbound(frame);
        Object message = decoder.readInbound();
        decoder.finishAndReleaseAll();
        return message;
    }
}
