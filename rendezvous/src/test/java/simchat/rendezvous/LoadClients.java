package simchat.rendezvous;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import simchat.rendezvous.protocol.Endpoint;
import simchat.rendezvous.protocol.Message;
import simchat.rendezvous.protocol.Protocol;

/**
 * The benchmark's idle registrations, in a process of their own (each process may hold only
 * 20,000 files). Reads commands on stdin, answers on stdout:
 * {@code fill N} → {@code filled N MILLIS FAILED}, {@code count} → {@code open N}, {@code quit}.
 * Every registration joins a fresh room and answers keep-alive pings, like a peer waiting for
 * the other person.
 */
final class LoadClients {

    private static final int IN_FLIGHT = 256;
    /** Loopback source addresses to spread the clients over, so ephemeral ports never run short. */
    private static final int SOURCE_ADDRESSES = 4;

    private LoadClients() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        Endpoint lan = new Endpoint("192.168.1.10", 8000);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Protocol.addCodec(ch.pipeline());
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<Message>() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(new Message.Join(null, lan, null));
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
                                if (msg instanceof Message.Joined) {
                                    open.add(ctx.channel());
                                    inFlight.release();
                                } else if (msg instanceof Message.Ping ping) {
                                    ctx.writeAndFlush(new Message.Pong(ping.seq()));
                                } else if (msg instanceof Message.Error error) {
                                    System.err.println("load client: " + error);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int started = 0;
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            if (line.startsWith("fill ")) {
                int target = Integer.parseInt(line.substring(5).trim());
                long t0 = System.nanoTime();
                while (started < target) {
                    if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                        break; // the server stopped answering; report what we have
                    }
                    String source = "127.0.0." + (2 + started % SOURCE_ADDRESSES);
                    started++;
                    bootstrap.connect(server, new InetSocketAddress(source, 0))
                            .addListener((ChannelFutureListener) f -> {
                                if (!f.isSuccess()) {
                                    failed.incrementAndGet();
                                    inFlight.release();
                                }
                            });
                }
                // Wait for the last joins to be answered.
                inFlight.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS);
                inFlight.release(IN_FLIGHT);
                System.out.println("filled " + open.size() + " " + (System.nanoTime() - t0) / 1_000_000 + " " + failed.get());
            } else if (line.equals("count")) {
                System.out.println("open " + open.size());
            }
            System.out.flush();
        }
        open.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
