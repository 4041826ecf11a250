package simchat.peer.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Protocol;

/**
 * The peer's relay connection against a scripted relay on loopback (real sockets): the splice frame it sends,
 * the other peer's first bytes arriving in the same segment as {@code spliced} kept for the chat, and each way
 * the relay can say no, in words.
 */
class RelayClientTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void sendsItsTokenAndKeepsWhatTheOtherPeerSentInTheSameSegmentAsSplicedForTheChat() throws Exception {
        try (ServerSocket relay = new ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<String> splice = script(relay, (Protocol.encode(new Message.Spliced()) + "\n"
                    + "{\"type\":\"starttls\",\"nonce\":\"ab\"}\n").getBytes(StandardCharsets.UTF_8), false);

            Future<RelayClient.Spliced> spliced = RelayClient.splice(loop, address(relay), TOKEN).await();

            assertThat(splice.get(5, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"splice\",\"token\":\"" + TOKEN + "\"}");
            assertThat(spliced.isSuccess()).as(String.valueOf(spliced.cause())).isTrue();
            RelayClient.Spliced got = spliced.getNow();
            assertThat(got.early().toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"starttls\",\"nonce\":\"ab\"}\n");
            assertThat(got.channel().config().isAutoRead()).as("reading waits for the chat").isFalse();
            assertThat(got.channel().pipeline().names()).as("nothing of the greeting is left in the pipeline")
                    .doesNotContain("RelayClient$Greeting#0");
            got.early().release();
            got.channel().close().sync();
        }
    }

    @Test
    void bytesAfterSplicedInLaterSegmentsReachTheChatsPipelineInOrder() throws Exception {
        try (ServerSocket relay = new ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = relay.accept();
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    // The answer dribbles in: half the frame, then its end and the first chat bytes.
                    OutputStream out = s.getOutputStream();
                    out.write("{\"type\":\"spli".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(50);
                    out.write("ced\"}\nfirst ".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return s;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            RelayClient.Spliced got = RelayClient.splice(loop, address(relay), TOKEN).get(5, TimeUnit.SECONDS);
            StringBuilder seen = new StringBuilder();
            CompletableFuture<String> all = new CompletableFuture<>();
            loop.submit(() -> {
                got.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        seen.append(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
                        ((ByteBuf) msg).release();
                        if (seen.toString().endsWith("second")) {
                            all.complete(seen.toString());
                        }
                    }
                });
                got.channel().pipeline().fireChannelRead(got.early());
                got.channel().config().setAutoRead(true);
            }).sync();
            Socket s = accepted.get(5, TimeUnit.SECONDS);
            s.getOutputStream().write("second".getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();

            assertThat(all.get(5, TimeUnit.SECONDS)).isEqualTo("first second");
            s.close();
            got.channel().close().sync();
        }
    }

    @Test
    void aRefusalIsReportedWithTheRelaysCodeAndWords() throws Exception {
        try (ServerSocket relay = new ServerSocket(0, 1, LOOPBACK)) {
            script(relay, (Protocol.encode(new Message.Error("unknown-token", "no such relay token")) + "\n")
                    .getBytes(StandardCharsets.UTF_8), true);

            Future<RelayClient.Spliced> spliced = RelayClient.splice(loop, address(relay), TOKEN).await();

            assertThat(spliced.cause()).hasMessage("relay: unknown-token: no such relay token");
        }
    }

    @Test
    void aRelayThatClosesWithoutAnAnswerIsReported() throws Exception {
        try (ServerSocket relay = new ServerSocket(0, 1, LOOPBACK)) {
            script(relay, new byte[0], true);

            Future<RelayClient.Spliced> spliced = RelayClient.splice(loop, address(relay), TOKEN).await();

            assertThat(spliced.cause()).hasMessage("the relay closed the connection before the other peer came");
        }
    }

    @Test
    void anAnswerThatIsNotSplicedIsReportedByItsType() throws Exception {
        try (ServerSocket relay = new ServerSocket(0, 1, LOOPBACK)) {
            script(relay, (Protocol.encode(new Message.Ping(1)) + "\n").getBytes(StandardCharsets.UTF_8), false);

            Future<RelayClient.Spliced> spliced = RelayClient.splice(loop, address(relay), TOKEN).await();

            assertThat(spliced.cause()).hasMessage("the relay answered \"ping\" instead of \"spliced\"");
        }
    }

    @Test
    void aRelayThatIsNotThereIsReported() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket closed = new ServerSocket(0, 1, LOOPBACK)) {
            nobody = address(closed);
        }

        Future<RelayClient.Spliced> spliced = RelayClient.splice(loop, nobody, TOKEN).await();

        assertThat(spliced.cause().getMessage()).containsIgnoringCase("refused");
    }

    /** Accepts one connection, reads its splice line, answers {@code answer} and maybe closes; gives the line. */
    private static CompletableFuture<String> script(ServerSocket relay, byte[] answer, boolean close) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket s = relay.accept();
                s.setSoTimeout(5_000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
                if (close) {
                    s.close();
                }
                return line;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static InetSocketAddress address(ServerSocket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }
}
