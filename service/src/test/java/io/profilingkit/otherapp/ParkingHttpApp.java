package io.profilingkit.otherapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK {@code HttpServer} service whose requests park mid-request and then compute, as a request
 * that calls a database or another service does: each {@code GET /work?client=C} sleeps 10 ms, then
 * ({@link #compute}) does {@link #SLICES} slices of 15 ms of the client's CPU work ({@link ClientWork})
 * with a 3 ms sleep after each. The second argument picks the executor the requests run on:
 * {@code virtual} (a virtual thread per request, JDK 21 and later; every sleep unmounts it from its
 * carrier) or {@code platform} (a fixed pool of 16 threads). The first argument is the port.
 *
 * <p>{@code GET /background}: from then on the app runs work of its own on the same executor, in
 * {@link #backgroundWork} (3 ms of CPU, then 7 ms asleep, over and over), outside any request: work
 * whose samples no request's span may claim.
 */
public final class ParkingHttpApp {

    static final int SLICES = 6;
    static final long SLICE_NANOS = 15_000_000;

    private ParkingHttpApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean virtual = args.length > 1 && args[1].equals("virtual");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        // by reflection: the tests are compiled for Java 17, the app runs on 21 and later
        ExecutorService executor = virtual
                ? (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null)
                : Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.createContext("/health", exchange -> answer(exchange, 200, "ok"));
        server.createContext("/work", ParkingHttpApp::work);
        CountDownLatch backgroundAsked = new CountDownLatch(1);
        server.createContext("/background", exchange -> {
            backgroundAsked.countDown();
            answer(exchange, 200, "background on");
        });
        // the app's own work, on the requests' executor but outside any request: handed over by a thread
        // that never serves one, so no request's context goes with it
        Thread starter = new Thread(() -> {
            try {
                backgroundAsked.await();
                executor.submit(ParkingHttpApp::background);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "background-starter");
        starter.setDaemon(true);
        starter.start();
        server.start();
        System.out.println("parking-http-app listening on " + port + " (" + (virtual ? "virtual" : "platform") + " threads)");
    }

    private static void work(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        int client = query != null && query.startsWith("client=") ? Integer.parseInt(query.substring(7)) : 0;
        long sum = 0;
        try {
            Thread.sleep(10);
            sum = compute(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the thread, so that a test can see the request ran on a virtual one ("VirtualThread[#...")
        answer(exchange, 200, "{\"client\":" + client + ",\"sum\":" + sum + ",\"thread\":\"" + Thread.currentThread() + "\"}");
    }

    /**
     * The slices of CPU work with their sleeps: one method, so that a test can make it a child span
     * that is current through all of them (a span per slice would set the context again after every park).
     */
    static long compute(int client) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < SLICES; i++) {
            sum += ClientWork.slice(client, SLICE_NANOS);
            Thread.sleep(3);
        }
        return sum;
    }

    /** Until the app stops: 3 ms of CPU work in {@link #backgroundWork}, then 7 ms asleep. */
    private static void background() {
        try {
            while (true) {
                backgroundWork(System.nanoTime() + 3_000_000);
                Thread.sleep(7);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long backgroundWork(long until) {
        long x = 1;
        while (System.nanoTime() < until) {
            x = x * 31 + System.identityHashCode(Thread.currentThread());
        }
        return x;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
