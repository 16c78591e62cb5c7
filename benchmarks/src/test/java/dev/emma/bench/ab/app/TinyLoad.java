package dev.emma.bench.ab.app;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/** The load of the A/B runner's test: GET requests to {@code http://127.0.0.1:PORT/} for SECONDS, one at a time. */
public final class TinyLoad {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long end = System.nanoTime() + (long) (Double.parseDouble(args[1]) * 1e9);
        long requests = 0;
        while (System.nanoTime() < end) {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("HTTP " + connection.getResponseCode());
            }
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes();
            }
            requests++;
        }
        System.out.println("requests=" + requests);
    }
}
