package io.profilingkit.workshop.telemetry;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built service started in a child JVM through {@code run-instrumented.sh}, the same script
 * the container runs, with the real agents. Output goes to {@code target/it-logs/<name>.log}.
 */
final class InstrumentedService implements AutoCloseable {

    static final Path SERVICE_DIR = Path.of(System.getProperty("service.basedir", ".")).toAbsolutePath();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private InstrumentedService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the service and waits until {@code /health} answers.
     *
     * @param env settings on top of the test defaults (short upload and batch intervals, no incident)
     */
    static InstrumentedService start(String name, Map<String, String> env) throws IOException {
        int port = freePort();
        Path log = SERVICE_DIR.resolve("target/it-logs/" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", SERVICE_DIR.resolve("run-instrumented.sh").toString(),
                "-micronaut.server.port=" + port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("JAVA_HOME", ContainerJdk.home(SERVICE_DIR).toString());
        environment.putAll(testDefaults());
        environment.putAll(env);
        InstrumentedService service = new InstrumentedService(builder.start(), port, log);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(service::healthy);
        } catch (RuntimeException e) {
            service.close();
            throw new IllegalStateException("the service did not become healthy; see " + log, e);
        }
        return service;
    }

    /** Short intervals, so that a test sees data in seconds: set only here, never in the shipped defaults. */
    private static Map<String, String> testDefaults() {
        Map<String, String> env = new HashMap<>();
        env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        env.put("PYROSCOPE_UPLOAD_INTERVAL", "2s");
        env.put("WORKSHOP_INCIDENT_ENABLED", "false");
        env.put("JAVA_OPTS", "-Xmx256m");
        return env;
    }

    /** A port nothing listens on (bound, then released). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return get("/health", Map.of()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
