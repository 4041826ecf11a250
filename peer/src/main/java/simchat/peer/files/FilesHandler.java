package simchat.peer.files;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import simchat.peer.session.PeerIdentified;
import simchat.peer.wire.Bye;
import simchat.peer.wire.FileData;
import simchat.peer.wire.FileDataSplitter;
import simchat.peer.wire.FileFrame;
import simchat.peer.wire.Features;
import simchat.peer.wire.Hello;
import simchat.peer.wire.ProtocolException;

/**
 * Connects one channel to the chat's {@link Transfers}, just in front of the chat handler: takes the file frames
 * out of the stream, tells the transfers when the link is up (and whether the peer announced {@code "files"}, which
 * turns on binary frames), writable again, or gone. File frames from a peer that did not announce the feature are
 * a protocol error. One per channel.
 */
public final class FilesHandler extends ChannelInboundHandlerAdapter {

    private final Transfers transfers;
    private final FileDataSplitter splitter;
    private boolean negotiated;

    /** {@code splitter}: this channel's binary-frame splitter, enabled once both peers announced files. */
    public FilesHandler(Transfers transfers, FileDataSplitter splitter) {
        this.transfers = requireNonNull(transfers, "transfers");
        this.splitter = requireNonNull(splitter, "splitter");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof PeerIdentified identified) {
            Hello peer = identified.hello();
            negotiated = peer.supports(Features.FILES);
            if (negotiated) {
                // The peer sends binary frames only after we accepted, so after this hello: no byte is misread.
                splitter.enable();
            }
            transfers.attached(ctx.channel(), peer);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FileFrame || msg instanceof FileData) {
            if (!negotiated) {
                ReferenceCountUtil.release(msg);
                throw new ProtocolException("a file frame from a peer that did not announce \"files\"");
            }
            if (msg instanceof FileData data) {
                transfers.data(data);
            } else {
                transfers.received((FileFrame) msg);
            }
            return;
        }
        if (msg instanceof Bye) {
            transfers.detached(ctx.channel(), "the other peer left");
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            transfers.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        transfers.detached(ctx.channel(), "the connection was lost");
        ctx.fireChannelInactive();
    }
}
