package dev.emma.bench.ab.app;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The small real server of the A/B runner's test: the JDK's HTTP server on a free loopback port,
 * each request taking a 64 KiB direct buffer (the last 64 stay live, as a service's I/O buffers
 * would), so that every arm has off-heap memory to show. Prints {@code LISTENING port=N}; serves
 * until it is stopped.
 */
public final class TinyServer {

    private static final ByteBuffer[] LIVE = new ByteBuffer[64];
    private static int next;

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            buffer.put(body);
            synchronized (LIVE) {
                LIVE[next++ & (LIVE.length - 1)] = buffer;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("LISTENING port=" + server.getAddress().getPort());
    }
}
