package simchat.rendezvous.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link Message} as one line of JSON. */
@Sharable
final class MessageEncoder extends MessageToByteEncoder<Message> {

    MessageEncoder() {
        super(Message.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, ByteBuf out) throws Exception {
        // Jackson escapes control characters inside strings, so the only newline is the delimiter.
        out.writeBytes(Protocol.mapper().writeValueAsBytes(message));
        out.writeByte('\n');
    }
}
