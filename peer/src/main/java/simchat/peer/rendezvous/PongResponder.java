package simchat.peer.rendezvous;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import simchat.rendezvous.protocol.Message;

/**
 * Answers the rendezvous' pings at once, on the event loop: they are its RTT samples, so any delay
 * here would skew the timing of the dial.
 */
@ChannelHandler.Sharable
final class PongResponder extends SimpleChannelInboundHandler<Message.Ping> {

    static final PongResponder INSTANCE = new PongResponder();

    private PongResponder() {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message.Ping ping) {
        ctx.writeAndFlush(new Message.Pong(ping.seq()));
    }
}
