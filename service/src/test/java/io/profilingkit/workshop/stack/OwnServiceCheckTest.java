package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code make check SERVICE_NAME=...} ({@code scripts/check-stack.sh} for a service of one's own)
 * against fake Grafana, Tempo and Pyroscope APIs that answer as the real ones do for a stack in a
 * known state: what a user would see for a healthy service, a wrong name, a service without the
 * span-profile extension, and spans whose profiles are empty.
 */
class OwnServiceCheckTest {

    private static final String SPAN = "{\"spanID\": \"00f067aa0ba902b7\", \"name\": \"GET /orders/{customer}/report\"}";

    /** What the fake backends hold. */
    record Stack(List<String> tempoServices, boolean profileIds, List<String> pyroscopeServices, long spanProfileNanos) {
    }

    @Test
    void aLinkedServicePassesEveryCheck() throws Exception {
        CheckScript.Result result = check(new Stack(List.of("orders"), true, List.of("orders"), 120_000_000));
        assertEquals(0, result.exit(), result.output());
        for (String check : List.of("grafana: traces-to-profiles link", "tempo: traces of orders",
                "tempo: spans with pyroscope.profile.id", "pyroscope: profiles of orders", "pyroscope: CPU profile of orders")) {
            assertTrue(result.output().contains("PASS  " + check), check + " in\n" + result.output());
        }
        assertTrue(result.output().contains("PASS  pyroscope: a span profile is not empty")
                && result.output().contains("span 00f067aa0ba902b7 GET /orders/{customer}/report: 120 ms"), result.output());
        assertTrue(result.output().contains("All 7 checks passed."), result.output());
    }

    /** docs/own-service.md: it asks Tempo and Pyroscope; a Grafana that is not there is left out, not a failure. */
    @Test
    void withoutGrafanaTheTempoAndPyroscopeChecksPassAlone() throws Exception {
        Stack stack = new Stack(List.of("orders"), true, List.of("orders"), 120_000_000);
        String nowhere = "http://127.0.0.1:" + freePort();
        CheckScript.Result result = CheckScript.run(Map.of("SERVICE_NAME", "orders", "GRAFANA_URL", nowhere),
                request -> answers(stack, request));

        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("SKIP  grafana: does not answer"), result.output());
        assertTrue(!result.output().contains("DOWN") && !result.output().contains("grafana: admin login"), result.output());
        assertTrue(result.output().contains("All 5 checks passed."), result.output());
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aWrongNameIsNamedWithTheNamesTheBackendsKnow() throws Exception {
        CheckScript.Result result = check(new Stack(List.of("orders-api"), true, List.of("orders-api"), 120_000_000));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("FAIL  tempo: traces of orders")
                && result.output().contains("Tempo has traces of: orders-api. Wrong name?"), result.output());
        assertTrue(result.output().contains("FAIL  pyroscope: profiles of orders")
                && result.output().contains("Pyroscope has profiles of: orders-api"), result.output());
    }

    @Test
    void tracesWithoutProfileIdsPointAtTheExtension() throws Exception {
        CheckScript.Result result = check(new Stack(List.of("orders"), false, List.of("orders"), 0));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("FAIL  tempo: spans with pyroscope.profile.id")
                && result.output().contains("the span-profile extension is not loaded"), result.output());
    }

    @Test
    void emptySpanProfilesSayWhyTheyCanBeEmpty() throws Exception {
        CheckScript.Result result = check(new Stack(List.of("orders"), true, List.of("orders"), 0));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("FAIL  pyroscope: a span profile is not empty")
                && result.output().contains("samples carry no span ids"), result.output());
        assertTrue(result.output().contains("1 of 7 checks failed."), result.output());
    }

    @Test
    void noTracesAtAllPointAtTheEndpointAndTheSampler() throws Exception {
        CheckScript.Result result = check(new Stack(List.of(), true, List.of("orders"), 0));
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("no traces at all: does OTEL_EXPORTER_OTLP_ENDPOINT reach Tempo")
                && result.output().contains("Is the sampler dropping them"), result.output());
    }

    private static CheckScript.Result check(Stack stack) throws Exception {
        return CheckScript.run(Map.of("SERVICE_NAME", "orders"), request -> answers(stack, request));
    }

    private static String answers(Stack stack, CheckScript.Request request) {
        return switch (request.path()) {
            case "/ready", "/api/health" -> "{}";
            case "/api/user" -> "{\"login\": \"admin\"}";
            case "/api/datasources/uid/tempo" -> "{\"jsonData\": {\"tracesToProfiles\": {\"datasourceUid\": \"pyroscope\"}}}";
            case "/api/search" -> tempoSearch(request.query(), stack);
            case "/api/v2/search/tag/resource.service.name/values" -> "{\"tagValues\": ["
                    + String.join(", ", stack.tempoServices().stream().map(s -> "{\"type\": \"string\", \"value\": \"" + s + "\"}").toList())
                    + "]}";
            case "/querier.v1.QuerierService/LabelValues" -> labelValues(request.body(), stack);
            case "/querier.v1.QuerierService/SelectMergeSpanProfile" ->
                    "{\"flamegraph\": {\"total\": \"" + stack.spanProfileNanos() + "\"}}";
            default -> null;
        };
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
