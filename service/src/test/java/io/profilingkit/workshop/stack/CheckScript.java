package io.profilingkit.workshop.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs {@code scripts/check-stack.sh} ({@code make check}) against one fake HTTP server that plays
 * Grafana, Prometheus, Tempo, Pyroscope and the service, answering each request as the given
 * function says (null: 404).
 */
final class CheckScript {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    /** One request to the fake: its path, decoded query and body. */
    record Request(String path, String query, String body) {
    }

    /** What the script printed and its exit code. */
    record Result(int exit, String output) {
    }

    private CheckScript() {
    }

    static Result run(Map<String, String> env, Function<Request, String> answers) throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> answer(exchange, answers));
        fake.start();
        try {
            String base = "http://127.0.0.1:" + fake.getAddress().getPort();
            ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("scripts/check-stack.sh").toString())
                    .redirectErrorStream(true);
            for (String url : new String[] {"GRAFANA_URL", "PROMETHEUS_URL", "TEMPO_URL", "PYROSCOPE_URL", "SERVICE_URL"}) {
                builder.environment().put(url, base);
            }
            builder.environment().put("GRAFANA_ADMIN_PASSWORD", "test");
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // a few dozen local HTTP calls; a script that hangs on one would wait out curl's 15 s per call
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("check-stack.sh did not end:\n" + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            fake.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, Function<Request, String> answers) throws IOException {
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Request request = new Request(exchange.getRequestURI().getPath(),
                rawQuery == null ? "" : URLDecoder.decode(rawQuery, StandardCharsets.UTF_8),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String json = answers.apply(request);
        byte[] bytes = (json == null ? "not found" : json).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(json == null ? 404 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
