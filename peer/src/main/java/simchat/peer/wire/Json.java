package simchat.peer.wire;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one configured Jackson mapper of the wire protocol. */
public final class Json {

    /**
     * Unknown properties are ignored on purpose: a later protocol revision may add fields that this
     * build can safely skip. Unknown message types, missing primitives and trailing garbage are errors.
     */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Parses one frame's text, turning every failure into a one-line {@link ProtocolException}. */
    public static Message parse(String frame) {
        Message message;
        try {
            message = MAPPER.readValue(frame, Message.class);
        } catch (InvalidTypeIdException e) {
            String id = e.getTypeId();
            throw new ProtocolException(id == null
                    ? "frame without a \"type\""
                    : "unknown message type \"" + id + "\"");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProtocolException("invalid frame: " + cause.getMessage());
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed frame: " + e.getOriginalMessage());
        }
        if (message == null) {
            throw new ProtocolException("malformed frame: not a JSON object");
        }
        return message;
    }

    /** The wire name of a message's type, e.g. {@code pake1}; for anything else its string form. */
    public static String typeName(Object message) {
        for (JsonSubTypes.Type type : Message.class.getAnnotation(JsonSubTypes.class).value()) {
            if (type.value() == message.getClass()) {
                return type.name();
            }
        }
        return String.valueOf(message);
    }

    /** Serialises a message as one line of JSON, without the newline. */
    public static String format(Message message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + message, e);
        }
    }
}
