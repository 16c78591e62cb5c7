package dev.emma.it.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty 4.2 HTTP server as a service runs it (NIO transport, Netty's default allocator, the
 * README's flags), under load from its first request: from the first line of {@code main}, without
 * waiting for the agent, it serves {@code requests} requests from {@code clients} concurrent
 * keep-alive clients in this JVM. Every buffer Netty hands the pipeline (each socket read) and every
 * response body it allocates is checked: does its address lie in Emma's memory?
 *
 * <p>Output: {@code netty cleaner=<class> firstAnswerMillis=<uptime>}, then
 * {@code buffers count=<n> bytes=<n> emmaBytes=<n>} and {@code mbean EmmaShare=<d> Fallbacks=<n>}.
 */
public final class NettyServerApp {

    static final int BODY = 8192;
    static final AtomicLong COUNT = new AtomicLong();
    static final AtomicLong BYTES = new AtomicLong();
    static final AtomicLong EMMA_BYTES = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new ReadChecker(), new HttpServerCodec(),
                                    new HttpObjectAggregator(1 << 16), new Hello());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            HttpResponse<byte[]> first = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            Check.that(first.statusCode() == 200 && first.body().length == BODY, "bad first answer " + first.statusCode());
            long firstAnswer = ManagementFactory.getRuntimeMXBean().getUptime();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < requests / clients; i++) {
                        try {
                            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
                            Check.that(r.statusCode() == 200 && r.body().length == BODY, "bad answer " + r.statusCode());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            System.out.println("netty cleaner=" + cleanerName() + " firstAnswerMillis=" + firstAnswer);
            System.out.println("buffers count=" + COUNT + " bytes=" + BYTES + " emmaBytes=" + EMMA_BYTES);
            Check.that(AgentProbe.awaitActive(10_000), "the agent's MBean is missing");
            Object share = ManagementFactory.getPlatformMBeanServer().getAttribute(new javax.management.ObjectName(AgentProbe.OBJECT_NAME), "EmmaShare");
            System.out.println("mbean EmmaShare=" + share + " Fallbacks=" + AgentProbe.attribute("Fallbacks"));
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    static void check(ByteBuf buffer) {
        if (!buffer.isDirect() || buffer.capacity() == 0) {
            return;
        }
        long address = buffer.hasMemoryAddress() ? buffer.memoryAddress()
                : MemorySegment.ofBuffer(buffer.internalNioBuffer(0, buffer.capacity())).address();
        COUNT.incrementAndGet();
        BYTES.addAndGet(buffer.capacity());
        if (AgentProbe.emmaOwns(address)) {
            EMMA_BYTES.addAndGet(buffer.capacity());
        }
    }

    /** First in the pipeline: sees each buffer a socket read filled. */
    static final class ReadChecker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buffer) {
                check(buffer);
            }
            ctx.fireChannelRead(msg);
        }
    }

    static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            ByteBuf body = ctx.alloc().directBuffer(BODY);
            check(body);
            body.writeZero(BODY);
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, BODY);
            ctx.writeAndFlush(response);
        }
    }

    private static String cleanerName() {
        try {
            java.lang.reflect.Field field = io.netty.util.internal.PlatformDependent.class.getDeclaredField("CLEANER");
            field.setAccessible(true);
            Object cleaner = field.get(null);
            return cleaner == null ? "none" : cleaner.getClass().getSimpleName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown";
        }
    }
}
