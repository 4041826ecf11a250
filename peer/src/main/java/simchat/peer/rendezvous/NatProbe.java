package simchat.peer.rendezvous;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.Promise;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;

/**
 * Asks the rendezvous' probe port, from the same fixed local port, which public endpoint it sees. A
 * NAT that keeps one mapping per local port shows the same endpoint to both rendezvous ports; a
 * symmetric (or port-randomising) NAT shows another port, and hole punching through it cannot work.
 */
final class NatProbe {

    static final long TIMEOUT_MILLIS = 5_000;

    private NatProbe() {
    }

    /** The endpoint the probe port observed; fails if it does not answer within {@link #TIMEOUT_MILLIS}. */
    static Promise<Endpoint> probe(EventLoop loop, InetSocketAddress local, InetSocketAddress probe) {
        Promise<Endpoint> result = loop.newPromise();
        ChannelFuture connect = RendezvousClient.connect(loop, local, probe, new Answer(result));
        connect.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                f.channel().writeAndFlush(new Message.Probe());
            } else {
                result.tryFailure(f.cause());
            }
        });
        var timeout = loop.schedule(() -> {
            if (result.tryFailure(new IllegalStateException("no answer within " + TIMEOUT_MILLIS + " ms"))) {
                connect.channel().close();
            }
        }, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        result.addListener(f -> timeout.cancel(false));
        return result;
    }

    /** Takes the one {@code observed} frame; the rendezvous closes the connection after it. */
    private static final class Answer extends SimpleChannelInboundHandler<Message> {

        private final Promise<Endpoint> result;

        Answer(Promise<Endpoint> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
            if (msg instanceof Message.Observed observed) {
                result.trySuccess(observed.observed());
            } else {
                result.tryFailure(new IllegalStateException("unexpected answer: " + msg));
            }
            // No close here: the rendezvous closes first, so the TIME_WAIT stays on its side.
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.tryFailure(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.tryFailure(new IllegalStateException("closed without an answer"));
        }
    }
}
