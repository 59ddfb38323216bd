package io.profilingkit.workshop.stack;

import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import io.profilingkit.workshop.backends.LocalPrometheus;
import io.profilingkit.workshop.backends.InstrumentedService;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.profilingkit.workshop.backends.OtlpTraceReceiver.ReceivedSpan;
import io.profilingkit.workshop.backends.PyroscopeReceiver.ProfileUpload;
import io.profilingkit.workshop.backends.PyroscopeReceiver.Sample;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana stack, proven by contract: Grafana, Tempo and Pyroscope cannot run here, so every
 * query, label, profile type and attribute the dashboards and data sources use is checked against
 * what the real service and agents emit, and every PromQL expression runs in a real Prometheus
 * that scrapes the service with the project's own prometheus.yml.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StackContractIT {

    static final Path ROOT = InstrumentedService.SERVICE_DIR.getParent();
    static final Duration LOAD = Duration.ofSeconds(25);
    static final List<String> EVERY_ENDPOINT = List.of("/api/primes?limit=300000", "/api/primes?algorithm=sieve",
            "/api/hash/contract", "/api/hash_cached/contract", "/api/slow_io?ms=250", "/api/alloc?mb=32",
            "/api/contention?ms=100", "/health", "/api/primes?limit=-1");

    /**
     * How Pyroscope names the profile types of the JFR events the Java agent sends (grafana/jfr-parser,
     * pprof package, read upstream): each event type becomes these profile type ids.
     */
    static final Map<String, List<String>> PROFILE_TYPES_OF_EVENT = Map.of(
            "jdk.ExecutionSample", List.of("process_cpu:cpu:nanoseconds:cpu:nanoseconds"),
            "profiler.WallClockSample", List.of("wall:wall:nanoseconds:wall:nanoseconds"),
            "jdk.ObjectAllocationInNewTLAB", List.of("memory:alloc_in_new_tlab_objects:count:space:bytes",
                    "memory:alloc_in_new_tlab_bytes:bytes:space:bytes"),
            "jdk.ObjectAllocationOutsideTLAB", List.of("memory:alloc_outside_tlab_objects:count:space:bytes",
                    "memory:alloc_outside_tlab_bytes:bytes:space:bytes"),
            "jdk.JavaMonitorEnter", List.of("mutex:contentions:count:mutex:count", "mutex:delay:nanoseconds:mutex:count"),
            "jdk.ThreadPark", List.of("block:contentions:count:block:count", "block:delay:nanoseconds:block:count"));
    static final Pattern PROFILE_TYPE_ID = Pattern.compile("\\b(?:process_cpu|wall|memory|mutex|block):[a-z_]+:[a-z]+:[a-z_]+:[a-z]+\\b");
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    static final Pattern TRACEQL_ATTRIBUTE = Pattern.compile("\\b(resource|span)\\.([a-zA-Z0-9_.]+?)(?=\\s*(?:=~|!=|=|>|<|\\)|\\s|$))");
    static final Pattern TRACEQL_EQUALS = Pattern.compile("\\b(resource|span)\\.([a-zA-Z0-9_.]+)\\s*=\\s*\"([^\"$]*)\"");
    /** The span-name intrinsic {@code name = "..."}, not the end of an attribute such as {@code service.name}. */
    static final Pattern TRACEQL_NAME = Pattern.compile("(?<![.\\w])name\\s*=\\s*\"([^\"$]*)\"");

    final JsonMapper json = JsonMapper.createDefault();
    OtlpTraceReceiver traces;
    PyroscopeReceiver profiles;
    InstrumentedService service;
    LocalPrometheus prometheus;
    List<Map<String, Object>> dashboards;
    Map<String, Object> datasources;

    @BeforeAll
    void runTheServiceUnderLoadWithPrometheusScrapingIt() throws Exception {
        dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(json.readValue(Files.readString(file), Argument.mapOf(String.class, Object.class)));
            }
        }
        assertEquals(3, dashboards.size(), "the three dashboards");
        datasources = new Yaml().load(Files.readString(ROOT.resolve("grafana/provisioning/datasources/datasources.yaml")));

        traces = new OtlpTraceReceiver();
        profiles = new PyroscopeReceiver();
        service = InstrumentedService.start("stack-contract", Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint(),
                "PYROSCOPE_SERVER_ADDRESS", profiles.address(),
                // the incident panel needs the incident; short and early so the test sees one
                "WORKSHOP_INCIDENT_ENABLED", "true",
                "WORKSHOP_INCIDENT_INITIAL_DELAY", "2s",
                "WORKSHOP_INCIDENT_DURATION", "2s",
                "WORKSHOP_INCIDENT_THREADS", "1",
                "WORKSHOP_INCIDENT_PERIOD", "1m"));
        prometheus = LocalPrometheus.scraping(ROOT.resolve("prometheus/prometheus.yml"),
                "127.0.0.1:" + service.port());
        drive(LOAD);
    }

    /** Two clients cycle through every endpoint (and one bad request) for the whole load window. */
    private void drive(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int offset = c;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int i = offset; System.nanoTime() < deadline; i++) {
                    try {
                        service.get(EVERY_ENDPOINT.get(i % EVERY_ENDPOINT.size()), Map.of());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        clients.forEach(CompletableFuture::join);
    }

    @AfterAll
    void stop() throws IOException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (service != null) {
            service.close();
        }
        if (traces != null) {
            traces.close();
        }
        if (profiles != null) {
            profiles.close();
        }
    }

    @Test
    void prometheusScrapesTheServiceWithTheProjectConfig() throws IOException {
        Map<String, Object> targets = prometheus.targets();
        String body = json.writeValueAsString(targets);
        assertTrue(body.contains("\"health\":\"up\""), "scrape target healthy: " + body);
        assertTrue(body.contains("\"job\":\"workshop-service\""), body);
    }

    @Test
    void everyDashboardExpressionReturnsDataInRealPrometheus() throws IOException {
        Map<String, String> empty = new LinkedHashMap<>();
        List<String> expressions = promqlOfDashboards();
        assertTrue(expressions.size() >= 10, "found " + expressions.size() + " expressions");
        for (String expr : expressions) {
            String promql = fillVariables(expr);
            if (prometheus.query(promql).isEmpty()) {
                empty.put(expr, promql);
            }
        }
        assertTrue(empty.isEmpty(), "no data for: " + empty.keySet());
    }

    @Test
    void tracesToMetricsQueriesOfTheTempoDataSourceReturnData() throws IOException {
        Map<String, Object> toMetrics = jsonDataMap("tempo", "tracesToMetrics");
        List<String> labels = new ArrayList<>();
        for (Map<String, Object> tag : listOfMaps(toMetrics.get("tags"))) {
            String attribute = (String) tag.get("key");
            String label = (String) tag.get("value");
            String value = spanAttributeValue(attribute);
            labels.add(label + "=\"" + value + "\"");
        }
        for (Map<String, Object> q : listOfMaps(toMetrics.get("queries"))) {
            // "$$" in provisioning files is Grafana's escape for a literal "$"
            String promql = ((String) q.get("query")).replace("$$", "$").replace("$__tags", String.join(",", labels));
            assertFalse(prometheus.query(promql).isEmpty(), q.get("name") + ": no data for " + promql);
        }
    }

    @Test
    void exemplarsInPrometheusCarryTraceIdsOfExportedTraces() throws IOException {
        String traceIdLabel = (String) listOfMaps(jsonData("prometheus", "exemplarTraceIdDestinations")).get(0).get("name");
        Set<String> exported = traces.spans().stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());

        List<Map<String, Object>> series = prometheus.exemplars(
                "http_server_requests_seconds_bucket{service_name=\"workshop-service\"}", 300);
        Set<String> traceIds = new HashSet<>();
        for (Map<String, Object> s : series) {
            for (Map<String, Object> exemplar : listOfMaps(s.get("exemplars"))) {
                traceIds.add((String) ((Map<?, ?>) exemplar.get("labels")).get(traceIdLabel));
            }
        }
        traceIds.retainAll(exported);
        assertFalse(traceIds.isEmpty(), "an exemplar's " + traceIdLabel + " is an exported trace");
    }

    @Test
    void everyProfileTypeUsedIsOneTheAgentSends() {
        Set<String> sent = sentProfileTypes();
        Set<String> used = new TreeSet<>();
        for (String text : allStrings(dashboards)) {
            Matcher m = PROFILE_TYPE_ID.matcher(decode(text));
            while (m.find()) {
                used.add(m.group());
            }
        }
        used.add((String) jsonDataMap("tempo", "tracesToProfiles").get("profileTypeId"));
        assertTrue(used.size() >= 4, "profile types used: " + used);
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(sent);
        assertTrue(unknown.isEmpty(), "used but never sent: " + unknown + "; sent: " + sent);
    }

    @Test
    void everyPyroscopeLabelSelectorMatchesWhatTheAgentSends() {
        Map<String, Set<String>> sent = sentProfileLabels();
        List<Map<String, Object>> queries = findMaps(dashboards, m -> m.containsKey("labelSelector"));
        assertFalse(queries.isEmpty());
        for (Map<String, Object> query : queries) {
            String selector = (String) query.get("labelSelector");
            Matcher m = MATCHER.matcher(selector);
            int matchers = 0;
            while (m.find()) {
                matchers++;
                String label = m.group(1);
                assertTrue(sent.containsKey(label), "label " + label + " of " + selector + " is never sent; sent: " + sent.keySet());
                for (String value : valuesOf(m.group(3))) {
                    if (m.group(2).equals("=") || !value.equals(".*")) {
                        assertTrue(sent.get(label).contains(value),
                                label + "=" + value + " of " + selector + " is never sent; sent: " + sent.get(label));
                    }
                }
            }
            assertTrue(matchers > 0, "no matcher in " + selector);
            for (Object groupBy : listOf(query.get("groupBy"))) {
                assertTrue(sent.containsKey((String) groupBy), "groupBy " + groupBy + " is never sent");
            }
        }
        Map<String, Object> toProfiles = jsonDataMap("tempo", "tracesToProfiles");
        for (Map<String, Object> tag : listOfMaps(toProfiles.get("tags"))) {
            assertTrue(sent.containsKey((String) tag.get("value")), "tracesToProfiles maps to " + tag.get("value"));
            assertEquals(Set.of(spanResourceValue((String) tag.get("key"))), sent.get((String) tag.get("value")),
                    "the span's " + tag.get("key") + " equals the profiles' " + tag.get("value"));
        }
    }

    @Test
    void everyTraceQlAttributeAndNameExistsOnExportedSpans() {
        List<ReceivedSpan> spans = traces.spans();
        Set<String> resourceKeys = spans.stream().flatMap(s -> s.resource().keySet().stream()).collect(Collectors.toSet());
        Set<String> spanKeys = spans.stream().flatMap(s -> s.attributes().keySet().stream()).collect(Collectors.toSet());
        Set<String> names = spans.stream().map(ReceivedSpan::name).collect(Collectors.toSet());

        List<String> traceql = new ArrayList<>();
        for (String text : allStrings(dashboards)) {
            String decoded = decode(text);
            if (decoded.contains("resource.service.name") || decoded.contains("span.")) {
                traceql.add(decoded);
            }
        }
        assertTrue(traceql.size() >= 2, "TraceQL found: " + traceql);
        for (String query : traceql) {
            Matcher attribute = TRACEQL_ATTRIBUTE.matcher(query);
            while (attribute.find()) {
                Set<String> keys = attribute.group(1).equals("resource") ? resourceKeys : spanKeys;
                assertTrue(keys.contains(attribute.group(2)), attribute.group() + " in " + query + " is on no exported span");
            }
            Matcher equals = TRACEQL_EQUALS.matcher(query);
            while (equals.find()) {
                String key = equals.group(2);
                String value = equals.group(3);
                boolean found = spans.stream().anyMatch(s -> value.equals(
                        (equals.group(1).equals("resource") ? s.resource() : s.attributes()).get(key)));
                assertTrue(found, equals.group() + " in " + query + " matches no exported span");
            }
            Matcher name = TRACEQL_NAME.matcher(query);
            while (name.find()) {
                assertTrue(names.contains(name.group(1)), "span name " + name.group(1) + " was never exported");
            }
        }
        // the Tempo data source's own links
        assertTrue(spans.stream().anyMatch(s -> s.attributes().containsKey("pyroscope.profile.id")),
                "'Profiles for this span' needs pyroscope.profile.id on spans");
        for (Map<String, Object> tag : listOfMaps(jsonDataMap("tempo", "tracesToMetrics").get("tags"))) {
            String key = (String) tag.get("key");
            assertTrue(resourceKeys.contains(key) || spanKeys.contains(key), "tracesToMetrics tag " + key);
        }
    }

    @Test
    void everyDashboardVariableOptionOfSpanNamesIsASentSpanName() {
        Set<String> sentSpanNames = sentProfileLabels().getOrDefault("span_name", Set.of());
        for (Map<String, Object> variable : findMaps(dashboards, m -> "custom".equals(m.get("type")) && m.containsKey("query"))) {
            if ("span_name".equals(variable.get("name"))) {
                for (String option : ((String) variable.get("query")).split(",")) {
                    assertTrue(sentSpanNames.contains(option.trim()), option + " is not a span_name the agent sent: " + sentSpanNames);
                }
            }
        }
    }

    // ---- what was sent

    private Set<String> sentProfileTypes() {
        return profiles.uploads().stream().flatMap(u -> u.samples().stream())
                .map(Sample::eventType).filter(PROFILE_TYPES_OF_EVENT::containsKey)
                .flatMap(e -> PROFILE_TYPES_OF_EVENT.get(e).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Label names and values as Pyroscope will store them: service_name, the agent's labels, span_name. */
    private Map<String, Set<String>> sentProfileLabels() {
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        for (ProfileUpload upload : profiles.uploads()) {
            labels.computeIfAbsent("service_name", k -> new TreeSet<>()).add(upload.appName());
            upload.labels().forEach((k, v) -> labels.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
            for (Sample sample : upload.samples()) {
                String spanName = upload.spanName(sample);
                if (spanName != null) {
                    labels.computeIfAbsent("span_name", k -> new TreeSet<>()).add(spanName);
                }
            }
        }
        return labels;
    }

    private String spanAttributeValue(String key) {
        return traces.spans().stream().map(s -> s.attributes().containsKey(key) ? s.attributes().get(key) : s.resource().get(key))
                .filter(v -> v != null && v.startsWith("/api/") || v != null && !key.equals("http.route"))
                .findFirst().orElseThrow(() -> new AssertionError("no exported span has " + key));
    }

    private String spanResourceValue(String key) {
        return traces.spans().stream().map(s -> s.resource().get(key)).filter(v -> v != null)
                .findFirst().orElseThrow(() -> new AssertionError("no exported span has resource " + key));
    }

    // ---- what the dashboards and data sources ask for

    private List<String> promqlOfDashboards() {
        return findMaps(dashboards, m -> m.get("expr") instanceof String).stream()
                .map(m -> (String) m.get("expr")).filter(e -> !e.isBlank()).distinct().toList();
    }

    /** Grafana's interval variables as Grafana would fill them for a 15-minute range; other variables as All. */
    private static String fillVariables(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "15m")
                .replaceAll("\\$\\{?[a-zA-Z_]+}?", ".*");
    }

    /** A matcher value: a literal, or a dashboard variable standing for each of its options. */
    private Set<String> valuesOf(String raw) {
        Matcher variable = Pattern.compile("^\\$\\{?([a-zA-Z_]+)}?$").matcher(raw);
        if (!variable.matches()) {
            return Set.of(raw);
        }
        Set<String> values = new LinkedHashSet<>();
        for (Map<String, Object> v : findMaps(dashboards, m -> variable.group(1).equals(m.get("name")) && m.containsKey("type"))) {
            if ("custom".equals(v.get("type"))) {
                for (String option : ((String) v.get("query")).split(",")) {
                    values.add(option.trim());
                }
            }
            values.add(".*");
        }
        return values;
    }

    /** A key of a provisioned data source's jsonData. */
    @SuppressWarnings("unchecked")
    private Object jsonData(String uid, String key) {
        Map<String, Object> ds = listOfMaps(datasources.get("datasources")).stream()
                .filter(d -> uid.equals(d.get("uid"))).findFirst().orElseThrow();
        return ((Map<String, Object>) ds.get("jsonData")).get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> jsonDataMap(String uid, String key) {
        return (Map<String, Object>) jsonData(uid, key);
    }

    private static List<Map<String, Object>> listOfMaps(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : listOf(value)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            out.add(m);
        }
        return out;
    }

    private static List<?> listOf(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static List<Map<String, Object>> findMaps(Object node, java.util.function.Predicate<Map<String, Object>> wanted) {
        List<Map<String, Object>> found = new ArrayList<>();
        walk(node, o -> {
            if (o instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) map;
                if (wanted.test(m)) {
                    found.add(m);
                }
            }
        });
        return found;
    }

    private static List<String> allStrings(Object node) {
        List<String> strings = new ArrayList<>();
        walk(node, o -> {
            if (o instanceof String s) {
                strings.add(s);
            }
        });
        return strings;
    }

    private static void walk(Object node, java.util.function.Consumer<Object> visit) {
        visit.accept(node);
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> walk(v, visit));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, visit));
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
