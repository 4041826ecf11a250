package simchat.rendezvous.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns one frame (a line without its newline) into a {@link Message}; blank lines are skipped so
 * that a human with {@code nc} can poke at the rendezvous.
 */
final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        String json;
        try {
            // Strict decoding: a replacement character would silently change the frame.
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(frame.nioBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame is not valid UTF-8");
        }
        if (json.isBlank()) {
            return;
        }
        out.add(Protocol.decode(json));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            cause = new ProtocolException(ErrorCode.FRAME_TOO_LONG,
                    "frame longer than " + Protocol.MAX_FRAME_BYTES + " bytes");
        }
        ctx.fireExceptionCaught(cause);
    }
}
