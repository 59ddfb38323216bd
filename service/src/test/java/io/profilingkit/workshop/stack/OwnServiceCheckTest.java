package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code make check SERVICE_NAME=...} ({@code scripts/check-stack.sh} for a service of one's own)
 * against fake Grafana, Tempo and Pyroscope APIs that answer as the real ones do for a stack in a
 * known state: what a user would see for a healthy service, a wrong name, a service without the
 * span-profile extension, and spans whose profiles are empty.
 */
class OwnServiceCheckTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String SPAN = "{\"spanID\": \"00f067aa0ba902b7\", \"name\": \"GET /orders/{customer}/report\"}";

    /** What the fake backends hold. */
    record Stack(List<String> tempoServices, boolean profileIds, List<String> pyroscopeServices, long spanProfileNanos) {
    }

    @Test
    void aLinkedServicePassesEveryCheck() throws Exception {
        Result result = check(new Stack(List.of("orders"), true, List.of("orders"), 120_000_000));
        assertEquals(0, result.exit(), result.output());
        for (String check : List.of("grafana: traces-to-profiles link", "tempo: traces of orders",
                "tempo: spans with pyroscope.profile.id", "pyroscope: profiles of orders", "pyroscope: CPU profile of orders")) {
            assertTrue(result.output().contains("PASS  " + check), check + " in\n" + result.output());
        }
        assertTrue(result.output().contains("PASS  pyroscope: a span profile is not empty")
                && result.output().contains("span 00f067aa0ba902b7 GET /orders/{customer}/report: 120 ms"), result.output());
        assertTrue(result.output().contains("All 7 checks passed."), result.output());
    }

    @Test
    void aWrongNameIsNamedWithTheNamesTheBackendsKnow() throws Exception {
        Result result = check(new Stack(List.of("orders-api"), true, List.of("orders-api"), 120_000_000));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("FAIL  tempo: traces of orders")
                && result.output().contains("Tempo has traces of: orders-api. Wrong name?"), result.output());
        assertTrue(result.output().contains("FAIL  pyroscope: profiles of orders")
                && result.output().contains("Pyroscope has profiles of: orders-api"), result.output());
    }

    @Test
    void tracesWithoutProfileIdsPointAtTheExtension() throws Exception {
        Result result = check(new Stack(List.of("orders"), false, List.of("orders"), 0));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("FAIL  tempo: spans with pyroscope.profile.id")
                && result.output().contains("the span-profile extension is not loaded"), result.output());
    }

    @Test
    void emptySpanProfilesSayWhyTheyCanBeEmpty() throws Exception {
        Result result = check(new Stack(List.of("orders"), true, List.of("orders"), 0));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("FAIL  pyroscope: a span profile is not empty")
                && result.output().contains("samples carry no span ids"), result.output());
        assertTrue(result.output().contains("1 of 7 checks failed."), result.output());
    }

    @Test
    void noTracesAtAllPointAtTheEndpointAndTheSampler() throws Exception {
        Result result = check(new Stack(List.of(), true, List.of("orders"), 0));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("no traces at all: does OTEL_EXPORTER_OTLP_ENDPOINT reach Tempo")
                && result.output().contains("Is the sampler dropping them"), result.output());
    }

    record Result(int exit, String output) {
    }

    private static Result check(Stack stack) throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> answer(exchange, stack));
        fake.start();
        try {
            String base = "http://127.0.0.1:" + fake.getAddress().getPort();
            ProcessBuilder builder = new ProcessBuilder("bash", ROOT.resolve("scripts/check-stack.sh").toString())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("SERVICE_NAME", "orders");
            env.put("GRAFANA_URL", base);
            env.put("TEMPO_URL", base);
            env.put("PYROSCOPE_URL", base);
            env.put("GRAFANA_ADMIN_PASSWORD", "test");
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

    private static void answer(HttpExchange exchange, Stack stack) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery() == null ? ""
                : URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String json = switch (path) {
            case "/ready", "/api/health" -> "{}";
            case "/api/user" -> "{\"login\": \"admin\"}";
            case "/api/datasources/uid/tempo" -> "{\"jsonData\": {\"tracesToProfiles\": {\"datasourceUid\": \"pyroscope\"}}}";
            case "/api/search" -> tempoSearch(query, stack);
            case "/api/v2/search/tag/resource.service.name/values" -> "{\"tagValues\": ["
                    + String.join(", ", stack.tempoServices().stream().map(s -> "{\"type\": \"string\", \"value\": \"" + s + "\"}").toList())
                    + "]}";
            case "/querier.v1.QuerierService/LabelValues" -> labelValues(body, stack);
            case "/querier.v1.QuerierService/SelectMergeSpanProfile" ->
                    "{\"flamegraph\": {\"total\": \"" + stack.spanProfileNanos() + "\"}}";
            default -> null;
        };
        byte[] bytes = (json == null ? "not found" : json).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(json == null ? 404 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Tempo's search: traces of the service the query names, if Tempo holds it. */
    private static String tempoSearch(String query, Stack stack) {
        boolean held = stack.tempoServices().stream().anyMatch(s -> query.contains("resource.service.name=\"" + s + "\""));
        if (!held || (query.contains("pyroscope.profile.id") && !stack.profileIds())) {
            return "{\"traces\": []}";
        }
        return "{\"traces\": [{\"traceID\": \"4bf92f3577b34da6a3ce929d0e0e4736\", \"rootTraceName\": \"GET /orders/{customer}/report\","
                + " \"spanSets\": [{\"spans\": [" + SPAN + "]}]}]}";
    }

    /** Pyroscope's LabelValues: with the service matcher, that service if held; without, every service. */
    private static String labelValues(String body, Stack stack) {
        boolean matched = body.contains("matchers");
        if (body.contains("\"__profile_type__\"")) {
            return "{\"names\": [\"process_cpu:cpu:nanoseconds:cpu:nanoseconds\", \"wall:wall:nanoseconds:wall:nanoseconds\"]}";
        }
        List<String> names = stack.pyroscopeServices().stream()
                .filter(s -> !matched || body.contains("service_name=\\\"" + s + "\\\"")).toList();
        return "{\"names\": [" + String.join(", ", names.stream().map(s -> "\"" + s + "\"").toList()) + "]}";
    }
}
