package io.profilingkit.workshop.backends;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the test backends share: an HTTP server on loopback, on a given or any free port, that can
 * play a slow backend by waiting before it answers, or a backend that demands credentials
 * ({@link #demand}: 401 for any request without the given headers, as Grafana Cloud or a
 * multi-tenant Tempo or Pyroscope behind a gateway answers).
 */
public abstract class LoopbackReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Duration delay;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private volatile Map<String, String> demanded = Map.of();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param port  the port to listen on (0: any free one)
     * @param delay how long to wait before answering each request
     */
    protected LoopbackReceiver(int port, Duration delay) throws IOException {
        this.delay = delay;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(handlers);
    }

    /** Starts serving {@code path}; the subclass calls it last in its constructor, once its state exists. */
    protected final void serve(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            if (authorised(exchange)) {
                handler.handle(exchange);
            }
        });
        server.start();
    }

    /**
     * From now on, answer 401 to every request that lacks one of these headers with exactly this
     * value (names case-insensitive, as in HTTP).
     */
    public void demand(Map<String, String> headers) {
        demanded = Map.copyOf(headers);
    }

    /** Requests answered 401 so far for missing or wrong credentials. */
    public long refused() {
        return refused.get();
    }

    private boolean authorised(HttpExchange exchange) throws IOException {
        for (Map.Entry<String, String> header : demanded.entrySet()) {
            if (!header.getValue().equals(exchange.getRequestHeaders().getFirst(header.getKey()))) {
                refused.incrementAndGet();
                try (exchange; InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                    byte[] body = "unauthorized".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(401, body.length);
                    exchange.getResponseBody().write(body);
                }
                return false;
            }
        }
        return true;
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void pause() {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
