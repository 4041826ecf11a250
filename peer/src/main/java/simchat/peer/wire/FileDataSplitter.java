package simchat.peer.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * In front of the line framing: once {@linkplain #enable() enabled} (both peers announced {@code "files"}), a
 * zero byte where a line would start begins a binary {@link FileData} frame, which it takes out of the stream;
 * everything else passes on as it came, line by line, to the line decoder. Until then it passes every byte on.
 * One per channel (it holds state).
 */
public final class FileDataSplitter extends ByteToMessageDecoder {

    private boolean enabled;
    /** Whether the bytes passed on so far ended in the middle of a line. */
    private boolean midLine;
    /** A bad header was seen: the stream cannot be framed any more, and the channel is being closed. */
    private boolean broken;

    /** From now on zero bytes at the start of a line begin binary frames; call it on the channel's event loop. */
    public void enable() {
        enabled = true;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            if (!enabled) {
                out.add(in.readRetainedSlice(in.readableBytes()));
                return;
            }
            if (!midLine && in.getByte(in.readerIndex()) == FileData.MARKER) {
                if (in.readableBytes() < FileData.HEADER_BYTES) {
                    return;
                }
                int start = in.readerIndex();
                int id = in.getInt(start + 1);
                long offset = in.getLong(start + 5);
                int length = in.getInt(start + 13);
                if (id < 1 || offset < 0 || length < 0 || length > FileData.MAX_BYTES) {
                    broken = true;
                    in.skipBytes(in.readableBytes());
                    throw new ProtocolException("bad file data header (id " + id + ", offset " + offset
                            + ", length " + length + ")");
                }
                if (in.readableBytes() < FileData.HEADER_BYTES + length) {
                    return;
                }
                in.skipBytes(FileData.HEADER_BYTES);
                out.add(new FileData(id, offset, in.readRetainedSlice(length)));
                continue;
            }
            int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            int end = newline < 0 ? in.writerIndex() : newline + 1;
            midLine = newline < 0;
            out.add(in.readRetainedSlice(end - in.readerIndex()));
        }
    }
}
