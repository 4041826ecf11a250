package simchat.peer.tls;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import simchat.peer.console.ChatEvent;
import simchat.peer.wire.Limits;
import simchat.peer.wire.Message;
import simchat.peer.wire.MessageDecoder;
import simchat.peer.wire.MessageEncoder;

/**
 * A TLS end that is not a chat peer, for attacks: it speaks starttls and TLS 1.3 with its own key, accepts
 * any key, records the frames it decrypts and hands them to {@link #forwardTo} if set (a relay in the
 * middle), and can write raw bytes inside TLS.
 */
final class TlsRelay {

    final EmbeddedChannel channel = new EmbeddedChannel();
    final List<Message> received = new CopyOnWriteArrayList<>();
    final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    TlsRelay forwardTo;

    TlsRelay(LocalIdentity identity) {
        channel.pipeline().addLast(new LineBasedFrameDecoder(Limits.MAX_FRAME_BYTES, true, true),
                MessageDecoder.INSTANCE, MessageEncoder.INSTANCE);
        new TlsSetup(identity, new TrustPolicy.Unverified(), events::add, Runnable::run, new SecureRandom())
                .install(channel.pipeline());
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add((Message) msg);
                if (forwardTo != null && forwardTo.channel.isOpen()) {
                    forwardTo.channel.writeAndFlush(msg);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }

    /** Writes {@code line} and a newline inside TLS, bypassing the encoder. */
    void writeRaw(String line) {
        channel.writeAndFlush(Unpooled.copiedBuffer(line + "\n", StandardCharsets.UTF_8));
    }

    /** Moves bytes both ways between each pair of channels until all are quiet. */
    static void pump(EmbeddedChannel... pairs) {
        boolean moved = true;
        for (int rounds = 0; moved && rounds < 200; rounds++) {
            moved = false;
            for (int i = 0; i < pairs.length; i += 2) {
                moved |= carry(pairs[i], pairs[i + 1]) | carry(pairs[i + 1], pairs[i]);
            }
        }
    }

    private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
        from.runPendingTasks();
        boolean moved = false;
        for (ByteBuf buf; (buf = from.readOutbound()) != null; ) {
            moved = true;
            if (to.isOpen()) {
                to.pipeline().fireChannelRead(buf);
                to.pipeline().fireChannelReadComplete();
            } else {
                buf.release();
            }
        }
        to.runPendingTasks();
        try {
            to.checkException();
        } catch (Exception reportedAfterClose) {
            // An embedded channel reports what happens after its close here; the sessions' events matter.
        }
        return moved;
    }
}
