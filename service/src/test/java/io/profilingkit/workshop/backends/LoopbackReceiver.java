package io.profilingkit.workshop.backends;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the test backends share: an HTTP server on loopback, on a given or any free port, that can
 * play a slow backend by waiting before it answers.
 */
public abstract class LoopbackReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Duration delay;
    private final ExecutorService handlers = Executors.newCachedThreadPool();

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
        server.createContext(path, handler);
        server.start();
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
