package simchat.rendezvous.protocol;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.DecoderException;

/** Input that breaks the protocol; {@link #code()} is the {@link ErrorCode} to answer with. */
public final class ProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public ProtocolException(String code, String message) {
        super(requireNonNull(message, "message"));
        this.code = requireNonNull(code, "code");
    }

    /**
     * No stack trace: the exception describes a client's input, not a bug, and is never printed,
     * so a flood of junk frames need not pay for walking the pipeline's deep stack each time.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The {@link ErrorCode} that describes this violation. */
    public String code() {
        return code;
    }

    /** The error frame that reports this violation to the other side. */
    public Message.Error toMessage() {
        return new Message.Error(code, getMessage());
    }
}
