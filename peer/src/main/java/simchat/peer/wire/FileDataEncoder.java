package simchat.peer.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/** Writes a {@link FileData} frame: its 17-byte header, then its bytes as they are (no copy). */
@Sharable
public final class FileDataEncoder extends MessageToMessageEncoder<FileData> {

    public static final FileDataEncoder INSTANCE = new FileDataEncoder();

    private FileDataEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, FileData frame, List<Object> out) {
        ByteBuf header = ctx.alloc().buffer(FileData.HEADER_BYTES);
        header.writeByte(FileData.MARKER).writeInt(frame.id()).writeLong(frame.offset()).writeInt(frame.length());
        out.add(header);
        out.add(frame.content().retain());
    }
}
