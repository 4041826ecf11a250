package simchat.peer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A run of file bytes: raw, not JSON. On the wire a zero byte where a line would start, the transfer's id (4
 * bytes), the offset of the bytes within the current file (8 bytes), their length (4 bytes, at most
 * {@link #MAX_BYTES}), then the bytes themselves (see {@link FileDataSplitter}). Sent only to a peer that
 * announced {@code "files"}, for a transfer it accepted.
 */
public final class FileData extends DefaultByteBufHolder {

    /** The frame's first byte: never the first byte of a JSON line. */
    public static final byte MARKER = 0;
    /** Marker, id, offset and length. */
    public static final int HEADER_BYTES = 1 + 4 + 8 + 4;
    /** Most bytes in one frame. */
    public static final int MAX_BYTES = 256 * 1024;

    private final int id;
    private final long offset;

    public FileData(int id, long offset, ByteBuf data) {
        super(data);
        FileFrame.checkId(id);
        if (offset < 0) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
        }
        if (data.readableBytes() > MAX_BYTES) {
            throw new IllegalArgumentException("data: " + data.readableBytes() + " bytes (expected: at most "
                    + MAX_BYTES + ")");
        }
        this.id = id;
        this.offset = offset;
    }

    public int id() {
        return id;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return content().readableBytes();
    }

    @Override
    public FileData replace(ByteBuf content) {
        return new FileData(id, offset, content);
    }

    @Override
    public String toString() {
        return "FileData(id=" + id + ", offset=" + offset + ", length=" + length() + ")";
    }
}
