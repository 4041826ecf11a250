package simchat.peer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link Message} as one line of UTF-8 JSON ended by {@code \n}. */
@Sharable
public final class MessageEncoder extends MessageToByteEncoder<Message> {

    public static final MessageEncoder INSTANCE = new MessageEncoder();

    private MessageEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, ByteBuf out) {
        ByteBufUtil.writeUtf8(out, Json.format(message));
        out.writeByte('\n');
    }
}
