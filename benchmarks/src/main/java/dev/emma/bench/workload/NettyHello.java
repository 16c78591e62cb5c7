package dev.emma.bench.workload;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A Netty HTTP hello-world server on loopback for {@code wrk}. The response body is written into a
 * buffer from the channel's allocator, so the allocator chosen with
 * {@code -Dio.netty.allocator.type} (and whatever native allocator lies beneath it) is exercised on
 * every request. Prints {@code READY port=N}, serves until its standard input closes, then prints
 * its {@code RESULT} line (peak RSS) and exits.
 *
 * <p>Arguments: {@code port=0} (0 picks a free port); {@code awaitAgent=false} starts serving at
 * once, as a service does, instead of first waiting until the agent is active (the harness waits,
 * so that every measured request meets the allocator it names; agent/bench/first-answer.sh does not).
 */
public final class NettyHello {

    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("port", "awaitAgent"));
        if (Boolean.parseBoolean(args.string("awaitAgent", "true"))) {
            ResultLine.awaitAgent();
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpServerCodec(), new HelloHandler());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), args.integer("port", 0)))
                    .sync().channel();
            System.out.println("READY port=" + ((InetSocketAddress) server.localAddress()).getPort()
                    + " allocator=" + io.netty.buffer.ByteBufAllocator.DEFAULT.getClass().getSimpleName());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the harness closes our stdin
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
        new ResultLine().put("throughput", 0L).put("unit", "see wrk").print();
    }

    private static final class HelloHandler extends SimpleChannelInboundHandler<HttpObject> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (!(message instanceof HttpRequest request)) {
                return;
            }
            ByteBuf body = ctx.alloc().buffer(BODY.length).writeBytes(BODY);
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            if (HttpUtil.isKeepAlive(request)) {
                if (!request.protocolVersion().isKeepAliveDefault()) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                ctx.write(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.write(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
