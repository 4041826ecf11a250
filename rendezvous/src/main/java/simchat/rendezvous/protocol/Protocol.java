package simchat.rendezvous.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The rendezvous wire format: newline-delimited JSON {@link Message}s of at most
 * {@link #MAX_FRAME_BYTES} bytes each. Both the rendezvous and the peer's rendezvous client use it.
 */
public final class Protocol {

    /** Longest frame accepted, newline excluded; real frames are a few hundred bytes. */
    public static final int MAX_FRAME_BYTES = 8 * 1024;

    /** Rounds of measure-sync-dial before the rendezvous gives up with {@link ErrorCode#PUNCH_FAILED}. */
    public static final int MAX_ROUNDS = 3;

    /** How long a relay token is good: both peers must splice within this of the {@code relay} frame. */
    public static final int RELAY_TOKEN_SECONDS = 10;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            // Unknown fields are ignored so that a newer peer can add optional fields without
            // breaking an older rendezvous (and vice versa); unknown *types* are still rejected.
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // Everything else is strict: a frame is one JSON object with fields of the right type.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private static final MessageEncoder ENCODER = new MessageEncoder();

    private Protocol() {
    }

    /** The configured mapper; do not reconfigure it. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * Adds framing, decoding and encoding to a pipeline: after it, inbound handlers receive
     * {@link Message}s and {@link ProtocolException}s via {@code exceptionCaught}, and
     * {@code channel.writeAndFlush(message)} sends a frame.
     */
    public static void addCodec(ChannelPipeline pipeline) {
        // Framing first: it bounds every later allocation by MAX_FRAME_BYTES, and fails fast so
        // an endless line is rejected without buffering it.
        pipeline.addLast("framer", new LineBasedFrameDecoder(MAX_FRAME_BYTES, true, true));
        pipeline.addLast("decoder", new MessageDecoder());
        pipeline.addLast("encoder", ENCODER);
    }

    /** One frame's JSON, without the newline. */
    public static String encode(Message message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses one frame's JSON (without the newline).
     *
     * @throws ProtocolException with {@link ErrorCode#BAD_REQUEST} if it is not a valid message
     */
    public static Message decode(String json) {
        try {
            return MAPPER.readValue(json, Message.class);
        } catch (InvalidTypeIdException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    e.getTypeId() == null ? "missing \"type\"" : "unknown type \"" + e.getTypeId() + "\"");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProtocolException(ErrorCode.BAD_REQUEST, cause instanceof NullPointerException
                    ? "missing \"" + cause.getMessage() + "\""
                    : shorten(String.valueOf(cause.getMessage())));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new ProtocolException(ErrorCode.BAD_REQUEST, field.isEmpty()
                    ? "not a valid message: " + shorten(e.getOriginalMessage())
                    : "\"" + field + "\": missing or of the wrong type");
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "not a valid message: " + shorten(e.getOriginalMessage()));
        }
    }

    // Reasons echo parts of the input; keep them well below a frame.
    private static String shorten(String reason) {
        return reason.length() <= 200 ? reason : reason.substring(0, 200) + "...";
    }
}
