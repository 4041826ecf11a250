package simchat.peer.rendezvous;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioSocketChannel;
import simchat.rendezvous.protocol.Protocol;

/**
 * Opens connections to the rendezvous <em>from the peer's fixed local port</em>, so that the public
 * endpoint the rendezvous observes is the NAT mapping the simultaneous open will reuse.
 */
final class RendezvousClient {

    /** A rendezvous that does not answer within this is unreachable for our purposes. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private RendezvousClient() {
    }

    /** Connects {@code local} to {@code remote} with {@code handler} after the rendezvous codec. */
    static ChannelFuture connect(EventLoop loop, InetSocketAddress local, InetSocketAddress remote,
                                 ChannelHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channelFactory(() -> new NioSocketChannel(SelectorProvider.provider(),
                        remote.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6
                                : InternetProtocolFamily.IPv4))
                .localAddress(local)
                // The chat's dialers bind the same port while this connection is open: every socket on
                // it sets SO_REUSEADDR, and none listens, so Linux lets them share the port.
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Line framing and JSON <-> Message, shared with the rendezvous itself.
                        Protocol.addCodec(ch.pipeline());
                        // Pings are RTT samples: answered here, first, without waiting for anything.
                        ch.pipeline().addLast("pong", PongResponder.INSTANCE);
                        // Everything else goes to the introduction's state machine.
                        ch.pipeline().addLast("rendezvous", handler);
                    }
                })
                .connect(remote);
    }
}
