package simchat.peer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Turns one framed line into a {@link Message}; the text must be strict UTF-8 JSON. */
@Sharable
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    public static final MessageDecoder INSTANCE = new MessageDecoder();

    private MessageDecoder() {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(Json.parse(strictUtf8(frame)));
    }

    /** Jackson would guess UTF-16 or UTF-32 from some byte patterns; the protocol allows only UTF-8. */
    private static String strictUtf8(ByteBuf frame) {
        ByteBuffer bytes = frame.nioBuffer();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("frame is not valid UTF-8");
        }
    }
}
