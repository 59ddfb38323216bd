package io.profilingkit.workshop.backends;

import static org.awaitility.Awaitility.await;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (the Debian package's binary, on loopback) scraping the service with the
 * project's own {@code prometheus/prometheus.yml}, only the target address substituted.
 */
public final class LocalPrometheus implements AutoCloseable {

    /** The scrape target in the project's config, replaced by the test service's address. */
    public static final String COMPOSE_TARGET = "service:8080";

    private final Process process;
    private final int port;
    private final Path dir;
    private final JsonMapper json = JsonMapper.createDefault();
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalPrometheus(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static LocalPrometheus scraping(Path projectConfig, String target) throws IOException {
        String config = Files.readString(projectConfig);
        if (!config.contains(COMPOSE_TARGET)) {
            throw new IllegalStateException(projectConfig + " does not scrape " + COMPOSE_TARGET);
        }
        Path dir = Files.createTempDirectory("prometheus-it");
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config.replace(COMPOSE_TARGET, target));
        int port = InstrumentedService.freePort();
        Path log = InstrumentedService.SERVICE_DIR.resolve("target/it-logs/prometheus.log");
        Files.createDirectories(log.getParent());
        Process process;
        try {
            process = new ProcessBuilder("prometheus", "--config.file=" + configFile,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--enable-feature=exemplar-storage")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("the 'prometheus' binary is needed (Debian package prometheus;"
                    + " .ci/run installs it)", e);
        }
        LocalPrometheus prometheus = new LocalPrometheus(process, port, dir);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(prometheus::ready);
        return prometheus;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited with " + process.exitValue()
                    + "; see target/it-logs/prometheus.log");
        }
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code data.result} of an instant query. */
    public List<Map<String, Object>> query(String promql) throws IOException {
        return resultOf(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)), promql);
    }

    /** The {@code data} of an exemplar query over the last {@code seconds}. */
    public List<Map<String, Object>> exemplars(String promql, long seconds) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        return resultOf(get("/api/v1/query_exemplars?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + (now - seconds) + "&end=" + (now + 5)), promql);
    }

    /** The scrape targets' health as Prometheus reports it. */
    public Map<String, Object> targets() throws IOException {
        return json.readValue(get("/api/v1/targets").body(), Argument.mapOf(String.class, Object.class));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> resultOf(HttpResponse<String> response, String promql) throws IOException {
        Map<String, Object> body = json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
        if (!"success".equals(body.get("status"))) {
            throw new IllegalStateException("Prometheus refused " + promql + ": " + response.body());
        }
        Object data = body.get("data");
        if (data instanceof Map<?, ?> map) {
            return (List<Map<String, Object>>) map.get("result");
        }
        return (List<Map<String, Object>>) data;
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
