package simchat.peer.rendezvous;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.ProtocolException;

/** Hands the rendezvous' messages to a {@link RendezvousListener}: the last handler of the pipeline. */
final class RendezvousHandler extends ChannelInboundHandlerAdapter {

    private final RendezvousListener listener;
    private Throwable failure;

    RendezvousHandler(RendezvousListener listener) {
        this.listener = requireNonNull(listener, "listener");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Message.Joined joined) {
            listener.joined(joined);
        } else if (msg instanceof Message.Peer peer) {
            listener.peer(peer);
        } else if (msg instanceof Message.Sync sync) {
            listener.sync(sync);
        } else if (msg instanceof Message.Relay relay) {
            listener.relay(relay);
        } else if (msg instanceof Message.Error error) {
            listener.error(error);
        } else {
            throw new ProtocolException("unexpected-message", "unexpected " + msg.getClass().getSimpleName()
                    .toLowerCase(java.util.Locale.ROOT) + " from the rendezvous");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset is an ordinary way for a connection to end; the listener decides what it means.
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.closed(failure);
    }
}
