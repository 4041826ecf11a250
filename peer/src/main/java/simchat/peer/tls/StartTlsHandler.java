package simchat.peer.tls;

import static java.util.Objects.requireNonNull;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import simchat.peer.wire.Hello;
import simchat.peer.wire.Json;
import simchat.peer.wire.Message;
import simchat.peer.wire.ProtocolException;
import simchat.peer.wire.StartTls;

/**
 * The plaintext prologue of an encrypted chat, at the very front of the pipeline: sends our
 * {@link StartTls}, holds back every other write, reads the peer's {@code starttls} line, picks the TLS
 * role from the nonces and replaces itself with the {@link SslHandler}. Writes it held then go through
 * TLS, and bytes that arrived behind the peer's line (its TLS records) are handed to TLS too, so nothing
 * but the two {@code starttls} lines ever crosses the wire in the clear.
 */
final class StartTlsHandler extends ChannelDuplexHandler {

    /** Far more than a {@code starttls} line needs; a peer sending more without a newline is not one of us. */
    static final int MAX_LINE_BYTES = 1024;

    private final String nonce;
    private final Function<Boolean, SslHandler> tls;
    private PendingWriteQueue held;
    private ByteBuf received;
    private boolean sent;
    private boolean replaced;

    /** {@code tls} makes the TLS handler: a client one when given true. */
    StartTlsHandler(String nonce, Function<Boolean, SslHandler> tls) {
        this.nonce = requireNonNull(nonce, "nonce");
        this.tls = requireNonNull(tls, "tls");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        held = new PendingWriteQueue(ctx);
        received = ctx.alloc().buffer();
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (!sent) {
            sent = true;
            ctx.writeAndFlush(ByteBufUtil.writeUtf8(ctx.alloc(), Json.format(new StartTls(nonce)) + "\n"));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        held.add(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // Held writes are flushed by TLS once it is up.
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes) || replaced) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            received.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        int eol = received.indexOf(received.readerIndex(), received.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (received.readableBytes() > MAX_LINE_BYTES) {
                throw new ProtocolException("no starttls within the first " + MAX_LINE_BYTES + " bytes");
            }
            return;
        }
        String line = received.readCharSequence(eol - received.readerIndex(), StandardCharsets.UTF_8).toString();
        received.skipBytes(1);
        Message message = Json.parse(line);
        if (message instanceof Hello) {
            throw new ProtocolException("the other peer runs with --plaintext and this one encrypts:"
                    + " start both peers with --plaintext, or neither");
        }
        if (!(message instanceof StartTls theirs)) {
            throw new ProtocolException("expected starttls, got "
                    + message.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        }
        if (theirs.nonce().equals(nonce)) {
            throw new ProtocolException("connected to itself: --remote points back at this peer");
        }
        replaced = true;
        ctx.pipeline().replace(this, "tls", tls.apply(nonce.compareTo(theirs.nonce()) > 0));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (replaced) {
            // Netty routes events from a replaced handler's context through its replacement: TLS.
            held.removeAndWriteAll();
            ctx.flush();
            if (received.isReadable()) {
                ctx.fireChannelRead(received);
                ctx.fireChannelReadComplete();
            } else {
                received.release();
            }
        } else {
            held.removeAndFailAll(new ClosedChannelException());
            ReferenceCountUtil.release(received);
        }
        received = null;
    }
}
