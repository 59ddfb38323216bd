package io.profilingkit.otherapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service that is not the workshop's: no Micronaut, no Netty, no dependency beyond the JDK. It
 * serves HTTP with the JDK's own {@code com.sun.net.httpserver} on a pool of threads, one request
 * per thread, and does its CPU work on the request's thread. The integration tests start it through
 * {@code run-instrumented.sh} as a user would start theirs, to show the kit instruments any JVM
 * service.
 *
 * <p>{@code GET /collatz?n=N}: the longest Collatz chain below N (CPU only, in {@link #longestCollatzChain});
 * {@code GET /report?n=N}: first {@link #lookupInventory} (a child span when the agent is told to
 * trace that method, CPU in {@link #inventoryChecksum}), then the same Collatz work on the request's
 * thread; {@code GET /async?n=N}: the Collatz work handed to a pool of its own
 * ({@code CompletableFuture.supplyAsync}, threads {@code collatz-worker-N}) while the request's
 * thread waits; {@code GET /housekeeping}: from then on a thread of the app's own, outside any
 * request, hands {@link #housekeeping} to the same pool every 200 ms (work no request's span may
 * claim); {@code GET /health}: {@code ok}. The port is the first argument (default 8090).
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
        server.createContext("/report", PlainHttpApp::report);
        server.createContext("/async", PlainHttpApp::async);
        CountDownLatch housekeepingAsked = new CountDownLatch(1);
        server.createContext("/housekeeping", exchange -> {
            housekeepingAsked.countDown();
            answer(exchange, 200, "housekeeping on");
        });
        Thread housekeeper = new Thread(() -> {
            try {
                housekeepingAsked.await();
                while (true) {
                    WORKERS.submit(() -> housekeeping(300_000)).get();
                    Thread.sleep(200);
                }
            } catch (InterruptedException | ExecutionException e) {
                Thread.currentThread().interrupt();
            }
        }, "housekeeper");
        housekeeper.setDaemon(true);
        housekeeper.start();
        server.start();
        System.out.println("plain-http-app listening on " + port);
    }

    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(2, new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "collatz-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private static void collatz(HttpExchange exchange) throws IOException {
        long n = limit(exchange);
        if (n > 0) {
            long[] best = longestCollatzChain(n);
            answer(exchange, 200, "{\"below\":" + n + ",\"start\":" + best[0] + ",\"steps\":" + best[1] + "}");
        }
    }

    private static void report(HttpExchange exchange) throws IOException {
        long n = limit(exchange);
        if (n > 0) {
            long checksum = lookupInventory(n);
            long[] best = longestCollatzChain(n);
            answer(exchange, 200, "{\"below\":" + n + ",\"inventory\":" + checksum + ",\"steps\":" + best[1] + "}");
        }
    }

    private static void async(HttpExchange exchange) throws IOException {
        long n = limit(exchange);
        if (n > 0) {
            long[] best = CompletableFuture.supplyAsync(() -> longestCollatzChain(n), WORKERS).join();
            answer(exchange, 200, "{\"below\":" + n + ",\"start\":" + best[0] + ",\"steps\":" + best[1] + "}");
        }
    }

    /** N from the query, or 0 after answering 400. */
    private static long limit(HttpExchange exchange) throws IOException {
        long n;
        try {
            n = Long.parseLong(param(exchange.getRequestURI(), "n", "1000000"));
        } catch (NumberFormatException e) {
            answer(exchange, 400, "n must be a whole number");
            return 0;
        }
        if (n < 2 || n > 50_000_000) {
            answer(exchange, 400, "n must be between 2 and 50000000");
            return 0;
        }
        return n;
    }

    /** Background work on the request pool's threads, outside every request. */
    static long housekeeping(long limit) {
        return longestCollatzChain(limit)[1];
    }

    /** The step before the main work: a method the tests have the agent trace as a child span. */
    static long lookupInventory(long n) {
        return inventoryChecksum(n / 2);
    }

    /** CPU inside the child span: a hash over 0..limit. */
    static long inventoryChecksum(long limit) {
        long h = 1125899906842597L;
        for (long i = 0; i < limit * 64; i++) {
            h = 31 * h + (i ^ (h >>> 7));
        }
        return h;
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
