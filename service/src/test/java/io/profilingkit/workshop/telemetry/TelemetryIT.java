package io.profilingkit.workshop.telemetry;

import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import io.profilingkit.workshop.backends.InstrumentedService;
import static io.profilingkit.workshop.backends.TraceParent.newTraceId;
import static io.profilingkit.workshop.backends.TraceParent.traceparent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.backends.OtlpTraceReceiver.ReceivedSpan;
import io.profilingkit.workshop.backends.PyroscopeReceiver.Sample;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service with the real agents, in a child JVM on the container's Java version, sending to
 * receivers in this JVM that decode what arrives. Proves that traces, profiles and metrics
 * carry the ids that let Grafana jump from one to the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryIT {

    static final String CPU = "jdk.ExecutionSample";
    static final String WALL = "profiler.WallClockSample";
    static final String[] ALLOC = {"jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB"};
    static final String[] LOCK = {"jdk.JavaMonitorEnter", "jdk.ThreadPark"};
    static final Duration SIGNAL_DEADLINE = Duration.ofSeconds(30);
    /** The shipped CPU sampling interval (100 Hz), used to turn sample counts into CPU time. */
    static final double CPU_SAMPLE_MS = 10.0;

    OtlpTraceReceiver traces;
    PyroscopeReceiver profiles;
    InstrumentedService service;

    @BeforeAll
    void start() throws IOException {
        traces = new OtlpTraceReceiver();
        profiles = new PyroscopeReceiver();
        service = InstrumentedService.start("telemetry", Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint(),
                "PYROSCOPE_SERVER_ADDRESS", profiles.address(),
                "PROFILING_WALL_CLOCK", "on"));
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (traces != null) {
            System.out.printf("[TelemetryIT] spans received: %d in %d OTLP requests, %d bytes%n",
                    traces.spans().size(), traces.requests(), traces.bytes());
            traces.close();
        }
        if (profiles != null) {
            List<PyroscopeReceiver.ProfileUpload> uploads = profiles.uploads();
            System.out.printf("[TelemetryIT] profile uploads: %d, bytes: %s%n", uploads.size(),
                    uploads.stream().map(u -> Integer.toString(u.bytes())).collect(Collectors.joining(",")));
            profiles.close();
        }
    }

    @Test
    void cpuHeavyRequestLinksItsSpanToProfileSamplesOfTheHotFunction() throws IOException {
        String traceId = newTraceId();
        HttpResponse<String> response = service.get("/api/primes?limit=3000000", traceparent(traceId));
        assertEquals(200, response.statusCode(), response.body());

        ReceivedSpan server = awaitSpan(traceId, "GET /api/primes");
        assertEquals("/api/primes", server.attributes().get("http.route"));
        assertEquals("SPAN_KIND_SERVER", server.kind());
        ReceivedSpan work = awaitSpan(traceId, "PrimeCounter.computePrimesSlow");
        assertEquals(work.spanId(), work.attributes().get("pyroscope.profile.id"),
                "the span to click for 'Profiles for this span' carries pyroscope.profile.id");

        List<Sample> tagged = await().atMost(SIGNAL_DEADLINE).until(
                () -> samplesOfSpans(Set.of(work.spanId()), CPU), list -> list.size() >= 5);
        long inHotFunction = tagged.stream().filter(s -> s.hasFrame(".computePrimesSlow")).count();
        System.out.printf("[TelemetryIT] primes: span %.0f ms, %d CPU samples carry its id, %d in computePrimesSlow%n",
                work.durationMs(), tagged.size(), inHotFunction);
        // Most, not all: on a busy machine more stacks are cut short (seen: 46 of 74 under a load
        // average of 13, 73 of 75 quiet). Broken (the span id on the wrong thread), none would be.
        assertTrue(inHotFunction > 0.5 * tagged.size(),
                inHotFunction + " of " + tagged.size() + " tagged samples are in computePrimesSlow; the others' leaf frames: "
                        + tagged.stream().filter(s -> !s.hasFrame(".computePrimesSlow"))
                        .map(s -> s.frames().isEmpty() ? "(none)" : s.frames().get(0)).distinct().limit(10).toList());
    }

    /**
     * The OpenTelemetry agent's start-up code is left to C1 ({@code agent-jit-directives.json},
     * passed by {@code run-instrumented.sh}): C2 optimises the service's hot code, never ByteBuddy,
     * ASM or the agent's tooling, which is what {@code make bench} measures as start-up time saved.
     */
    @Test
    void agentStartUpCodeIsLeftToC1WhileC2CompilesTheService() throws IOException {
        for (int i = 0; i < 300; i++) {
            assertEquals(200, service.get("/api/hash/jit-" + i, Map.of()).statusCode());
        }
        List<String> agentPackages = List.of("net.bytebuddy.", "org.objectweb.asm.", "io.opentelemetry.javaagent.tooling.");
        // Compiler.codelist: "<compile id> <tier> <state> <class.method(signature)> [<addresses>]"
        Map<Boolean, List<String[]>> c2OrNot = service.jcmd("Compiler.codelist").lines()
                .map(line -> line.split(" ", 5))
                .filter(fields -> fields.length >= 4 && fields[1].matches("[0-4]"))
                .collect(Collectors.partitioningBy(fields -> fields[1].equals("4")));
        List<String> c2 = c2OrNot.get(true).stream().map(fields -> fields[3]).toList();
        List<String> agentC1 = c2OrNot.get(false).stream().map(fields -> fields[3])
                .filter(method -> agentPackages.stream().anyMatch(method::startsWith)).toList();
        List<String> agentC2 = c2.stream().filter(method -> agentPackages.stream().anyMatch(method::startsWith)).toList();
        System.out.printf("[TelemetryIT] JIT: %d methods compiled by C2 (%d of them the agent's start-up code),"
                + " %d of the agent's by C1%n", c2.size(), agentC2.size(), agentC1.size());
        assertTrue(c2.size() >= 20, "C2 compiled only " + c2.size() + " methods");
        assertFalse(agentC1.isEmpty(), "C1 compiles the agent's start-up code");
        assertEquals(List.of(), agentC2, "the agent's start-up code compiled by C2");
    }

    @Test
    void slowIoTraceShowsTheWaitWhileItsCpuProfileIsNearlyEmpty() throws IOException {
        int waitMs = 500;
        String traceId = newTraceId();
        HttpResponse<String> response = service.get("/api/slow_io?ms=" + waitMs, traceparent(traceId));
        assertEquals(200, response.statusCode(), response.body());

        ReceivedSpan io = awaitSpan(traceId, "SlowIoService.simulateBlockingIo");
        ReceivedSpan server = awaitSpan(traceId, "GET /api/slow_io");
        assertTrue(io.durationMs() >= waitMs, "the I/O child span lasts " + io.durationMs() + " ms");
        assertEquals(Integer.toString(waitMs), io.attributes().get("workshop.io.wait_ms"));
        Set<String> requestSpans = spansOf(traceId).stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());

        // wall-clock at 20 ms: a 500 ms wait is about 25 samples
        List<Sample> wall = await().atMost(SIGNAL_DEADLINE).until(
                () -> samplesOfSpans(Set.of(io.spanId()), WALL), list -> weight(list) >= 10);
        // the request is over; one more upload and every sample taken during it has arrived
        int uploadsSoFar = profiles.uploads().size();
        await().atMost(SIGNAL_DEADLINE).until(() -> profiles.uploads().size() > uploadsSoFar);
        List<Sample> cpu = samplesOfSpans(requestSpans, CPU);
        double cpuMs = cpu.size() * CPU_SAMPLE_MS;
        long waitingFrames = weight(wall.stream().filter(s -> s.hasFrame(".simulateBlockingIo")).toList());
        System.out.printf("[TelemetryIT] slow_io: server span %.0f ms, I/O span %.0f ms, %d CPU samples (~%.0f ms CPU)"
                        + " on its %d spans, %d wall samples on the I/O span (%d in simulateBlockingIo)%n",
                server.durationMs(), io.durationMs(), cpu.size(), cpuMs, requestSpans.size(), weight(wall), waitingFrames);
        assertTrue(cpuMs <= 0.1 * waitMs, "a CPU profile should miss the wait: " + cpuMs + " ms of CPU samples");
        assertTrue(waitingFrames >= 0.9 * weight(wall), "wall samples of the I/O span show the waiting frame");
    }

    @Test
    void profilesArriveUnderTheServiceNameWithTagsAndAllThreeKinds() throws IOException {
        String allocTrace = newTraceId();
        String lockTrace = newTraceId();
        assertEquals(200, service.get("/api/alloc?mb=128", traceparent(allocTrace)).statusCode());
        assertEquals(200, service.get("/api/contention?threads=8&ms=1000", traceparent(lockTrace)).statusCode());
        assertEquals(200, service.get("/api/primes?limit=2000000", Map.of()).statusCode());

        // each kind arrives in its workload's frames, tagged with the workload spans' ids
        await().atMost(SIGNAL_DEADLINE).until(() ->
                samplesOfSpans(spanIdsNamed(allocTrace, "AllocationWorkload.allocateGarbage"), ALLOC).stream()
                        .anyMatch(s -> s.hasFrame(".allocateGarbage"))
                        && samplesOfSpans(spanIdsNamed(lockTrace, "LockContentionWorkload.contendOnSharedLock"), LOCK)
                        .stream().anyMatch(s -> s.hasFrame(".contendOnSharedLock"))
                        && profiles.samples(CPU).stream().anyMatch(s -> s.hasFrame(".computePrimesSlow")));

        for (PyroscopeReceiver.ProfileUpload upload : profiles.uploads()) {
            assertEquals("workshop-service", upload.appName());
            assertEquals("workshop", upload.labels().get("env"), upload.query().get("name"));
            assertEquals("1.0.0", upload.labels().get("version"), upload.query().get("name"));
            assertEquals("jfr", upload.query().get("format"));
        }
        Set<String> allocSpans = spanIdsNamed(allocTrace, "AllocationWorkload.allocateGarbage");
        Set<String> lockSpans = spanIdsNamed(lockTrace, "LockContentionWorkload.contendOnSharedLock");
        long allocTagged = samplesOfSpans(allocSpans, ALLOC).size();
        long lockTagged = samplesOfSpans(lockSpans, LOCK).size();
        System.out.printf("[TelemetryIT] alloc: %d samples (%d on the request's span); lock: %d samples (%d on its %d worker spans)%n",
                profiles.samples(ALLOC).size(), allocTagged, profiles.samples(LOCK).size(), lockTagged, lockSpans.size());
        assertEquals(8, lockSpans.size(), "one span per contending worker");
    }

    @Test
    void openMetricsHistogramCarriesExemplarsOfExportedTraces() throws IOException {
        for (String path : List.of("/api/primes?limit=100000", "/api/slow_io?ms=20", "/api/hash/exemplar",
                "/api/hash_cached/exemplar", "/api/alloc?mb=1", "/api/contention?ms=20")) {
            assertEquals(200, service.get(path, Map.of()).statusCode(), path);
        }

        Pattern exemplar = Pattern.compile(
                "^http_server_requests_seconds_bucket\\{.*uri=\"([^\"]+)\".*\\} \\d+ # \\{span_id=\"([0-9a-f]{16})\",trace_id=\"([0-9a-f]{32})\"\\}",
                Pattern.MULTILINE);
        await().atMost(SIGNAL_DEADLINE).untilAsserted(() -> {
            HttpResponse<String> scrape = service.get("/metrics",
                    Map.of("Accept", "application/openmetrics-text; version=1.0.0"));
            assertEquals(200, scrape.statusCode());
            Set<String> exported = traces.spans().stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
            Matcher m = exemplar.matcher(scrape.body());
            Set<String> routesWithExportedExemplar = new java.util.TreeSet<>();
            while (m.find()) {
                if (exported.contains(m.group(3))) {
                    routesWithExportedExemplar.add(m.group(1));
                }
            }
            assertTrue(routesWithExportedExemplar.containsAll(List.of("/api/primes", "/api/slow_io",
                    "/api/hash/{key}", "/api/hash_cached/{key}", "/api/alloc", "/api/contention")),
                    "routes with an exemplar of an exported trace: " + routesWithExportedExemplar);
            assertFalse(scrape.body().contains("_count{") && scrape.body().matches("(?s).*_count\\{[^\\n]*# \\{.*"),
                    "no exemplar on _count lines (Prometheus rejects the whole scrape)");
        });
    }

    /**
     * What the stack does all day (a Prometheus scrape and a health check every few seconds) next to
     * workshop traffic: the scrapes and health checks export no span at all, while every API request
     * still has its server span, an exemplar of an exported trace on the latency histogram, and CPU
     * samples tagged with its work span.
     */
    @Test
    void scrapesAndHealthChecksExportNoSpansWhileApiRequestsKeepTracesExemplarsAndProfiles() throws IOException {
        List<String> apiTraces = new java.util.ArrayList<>();
        int polls = 0;
        for (int i = 0; i < 40; i++) {
            assertEquals(200, service.get("/metrics", Map.of("Accept", MetricsController.OPENMETRICS)).statusCode());
            assertEquals(200, service.get("/health", Map.of()).statusCode());
            // a caller's own sampled traceparent does not bring the polling back into the traces
            assertEquals(200, service.get("/health", traceparent(newTraceId())).statusCode());
            polls += 3;
            String traceId = newTraceId();
            String path = i % 10 == 0 ? "/api/primes?limit=1500000" : "/api/hash/untraced-" + i;
            assertEquals(200, service.get(path, traceparent(traceId)).statusCode(), path);
            apiTraces.add(traceId);
        }

        // The batch exporter sends spans in the order they end: once the last API request's server
        // span is here, every span of the polling before it would be here too.
        for (String traceId : apiTraces) {
            ReceivedSpan server = await().atMost(SIGNAL_DEADLINE).until(
                    () -> spansOf(traceId).stream().filter(s -> "SPAN_KIND_SERVER".equals(s.kind())).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            assertTrue(server.attributes().get("http.route").startsWith("/api/"), server.name());
        }
        Set<String> untraced = Set.of("/metrics", "/health");
        List<ReceivedSpan> polling = traces.spans().stream()
                .filter(s -> untraced.contains(s.attributes().getOrDefault("url.path", ""))
                        || untraced.contains(s.attributes().getOrDefault("http.route", "")))
                .toList();
        System.out.printf("[TelemetryIT] polling: %d scrapes and health checks, %d spans exported for them;"
                + " %d API requests, all %d traced%n", polls, polling.size(), apiTraces.size(), apiTraces.size());
        assertEquals(List.of(), polling.stream().map(s -> s.name() + " " + s.attributes().get("url.path")).toList(),
                "spans of /metrics or /health were exported");

        ReceivedSpan work = awaitSpan(apiTraces.get(30), "PrimeCounter.computePrimesSlow");
        assertEquals(work.spanId(), work.attributes().get("pyroscope.profile.id"));
        await().atMost(SIGNAL_DEADLINE).until(() -> samplesOfSpans(Set.of(work.spanId()), CPU), list -> !list.isEmpty());

        Pattern exemplarTrace = Pattern.compile("uri=\"/api/hash/\\{key}\".*# \\{span_id=\"[0-9a-f]{16}\",trace_id=\"([0-9a-f]{32})\"\\}");
        await().atMost(SIGNAL_DEADLINE).untilAsserted(() -> {
            Matcher m = exemplarTrace.matcher(service.get("/metrics", Map.of("Accept", MetricsController.OPENMETRICS)).body());
            Set<String> exported = traces.spans().stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
            boolean found = false;
            while (m.find()) {
                found |= exported.contains(m.group(1));
            }
            assertTrue(found, "an exemplar of /api/hash/{key} points at an exported trace");
        });
    }

    /** The control for the test above: with the list emptied, the same scrape is traced, so its absence there is the exclusion. */
    @Test
    void withNoUntracedPathsAScrapeIsTraced() throws IOException {
        try (OtlpTraceReceiver allTraces = new OtlpTraceReceiver();
             InstrumentedService traced = InstrumentedService.start("telemetry-all-paths-traced", Map.of(
                     "OTEL_EXPORTER_OTLP_ENDPOINT", allTraces.endpoint(),
                     "PYROSCOPE_SERVER_ADDRESS", profiles.address(),
                     "WORKSHOP_TELEMETRY_UNTRACED_PATHS", ""))) {
            assertEquals(200, traced.get("/metrics", Map.of("Accept", MetricsController.OPENMETRICS)).statusCode());
            await().atMost(SIGNAL_DEADLINE).until(() -> allTraces.spans().stream()
                    .anyMatch(s -> "/metrics".equals(s.attributes().get("url.path"))));
        }
    }

    private static long weight(List<Sample> samples) {
        return samples.stream().mapToLong(Sample::weight).sum();
    }

    private List<ReceivedSpan> spansOf(String traceId) {
        return traces.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private Set<String> spanIdsNamed(String traceId, String name) {
        return spansOf(traceId).stream().filter(s -> s.name().equals(name))
                .map(ReceivedSpan::spanId).collect(Collectors.toSet());
    }

    private ReceivedSpan awaitSpan(String traceId, String name) {
        return await().atMost(SIGNAL_DEADLINE).until(
                () -> spansOf(traceId).stream().filter(s -> s.name().equals(name)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    private List<Sample> samplesOfSpans(Set<String> spanIds, String... eventTypes) {
        return profiles.samples(eventTypes).stream().filter(s -> s.spanId() != null && spanIds.contains(s.spanId())).toList();
    }
}
