package io.profilingkit.otherapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A service that is not the workshop's: no Micronaut, no Netty, no dependency beyond the JDK. It
 * serves HTTP with the JDK's own {@code com.sun.net.httpserver} on a pool of threads, one request
 * per thread, and does its CPU work on the request's thread. The integration tests start it through
 * {@code run-instrumented.sh} as a user would start theirs, to show the kit instruments any JVM
 * service.
 *
 * <p>{@code GET /collatz?n=N}: the longest Collatz chain below N (CPU only, in {@link #longestCollatzChain});
 * {@code GET /health}: {@code ok}. The port is the first argument (default 8090).
 */
public final class PlainHttpApp {

    private PlainHttpApp() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/health", exchange -> answer(exchange, 200, "ok"));
        server.createContext("/collatz", PlainHttpApp::collatz);
        server.start();
        System.out.println("plain-http-app listening on " + port);
    }

    private static void collatz(HttpExchange exchange) throws IOException {
        long n;
        try {
            n = Long.parseLong(param(exchange.getRequestURI(), "n", "1000000"));
        } catch (NumberFormatException e) {
            answer(exchange, 400, "n must be a whole number");
            return;
        }
        if (n < 2 || n > 50_000_000) {
            answer(exchange, 400, "n must be between 2 and 50000000");
            return;
        }
        long[] best = longestCollatzChain(n);
        answer(exchange, 200, "{\"below\":" + n + ",\"start\":" + best[0] + ",\"steps\":" + best[1] + "}");
    }

    /** The hot method: the start below {@code limit} with the longest Collatz chain, and its length. */
    static long[] longestCollatzChain(long limit) {
        long bestStart = 1;
        long bestSteps = 0;
        for (long start = 1; start < limit; start++) {
            long x = start;
            long steps = 0;
            while (x != 1) {
                x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
                steps++;
            }
            if (steps > bestSteps) {
                bestSteps = steps;
                bestStart = start;
            }
        }
        return new long[] {bestStart, bestSteps};
    }

    private static String param(URI uri, String name, String fallback) {
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return fallback;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
