package io.profilingkit.workshop.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.otherapp.AppJar;
import io.profilingkit.otherapp.PlainHttpApp;
import io.profilingkit.workshop.backends.InstrumentedService;
import io.profilingkit.workshop.backends.TraceParent;
import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.OtlpTraceReceiver.ReceivedSpan;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver.ProfileUpload;
import io.profilingkit.workshop.backends.PyroscopeReceiver.Sample;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kit on a service that is not the workshop's: {@link PlainHttpApp} (the JDK's own HTTP
 * server, thread per request, CPU work on the request's thread) packed as a jar of its own and
 * started as a user starts theirs, {@code run-instrumented.sh --name ... --env ... --version ...
 * --jar app.jar}, with nothing else set but the two addresses. What arrives must be under its own
 * name and tags, and its CPU samples must carry its server spans' ids, in its hot method.
 */
class OwnServiceIT {

    static final String NAME = "collatz-api";
    static final String CPU = "jdk.ExecutionSample";
    static final Duration SIGNAL_DEADLINE = Duration.ofSeconds(30);

    @Test
    void aJdkHttpServerAppStartedThroughTheLauncherSendsLinkedTracesAndProfilesUnderItsOwnName() throws IOException {
        Path jar = AppJar.build(InstrumentedService.SERVICE_DIR.resolve("target/test-classes"),
                InstrumentedService.SERVICE_DIR.resolve("target/it-apps/plain-http-app.jar"), PlainHttpApp.class);
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver();
             PyroscopeReceiver profiles = new PyroscopeReceiver();
             InstrumentedService app = InstrumentedService.startApp("own-service",
                     port -> List.of("--name", NAME, "--env", "staging", "--version", "2.4.1", "--jar", jar.toString(),
                             Integer.toString(port)),
                     Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint(),
                             "PYROSCOPE_SERVER_ADDRESS", profiles.address()),
                     "/health", List.of("bash"))) {
            List<String> traceIds = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String traceId = TraceParent.newTraceId();
                traceIds.add(traceId);
                HttpResponse<String> response = app.get("/collatz?n=3000000", TraceParent.traceparent(traceId));
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(response.body().contains("\"steps\":"), response.body());
            }

            // spans: one SERVER span per request, under the app's own name and tags
            List<ReceivedSpan> servers = await().atMost(SIGNAL_DEADLINE).until(
                    () -> traces.spans().stream().filter(s -> traceIds.contains(s.traceId()))
                            .filter(s -> s.kind().equals("SPAN_KIND_SERVER")).toList(),
                    list -> list.size() == traceIds.size());
            for (ReceivedSpan s : servers) {
                assertEquals(NAME, s.resource().get("service.name"), s.toString());
                assertEquals("staging", s.resource().get("deployment.environment.name"), s.toString());
                assertEquals("2.4.1", s.resource().get("service.version"), s.toString());
                assertEquals(s.spanId(), s.attributes().get("pyroscope.profile.id"), s.toString());
            }
            Set<String> serverIds = servers.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());

            // CPU samples carry those span ids, in the hot method, on the request threads
            List<Sample> tagged = await().atMost(SIGNAL_DEADLINE).until(
                    () -> profiles.samples(CPU).stream().filter(s -> serverIds.contains(s.spanId())).toList(),
                    list -> list.size() >= 20 && list.stream().map(Sample::spanId).distinct().count() == serverIds.size());
            long hot = tagged.stream().filter(s -> s.hasFrame(".longestCollatzChain")).count();
            long hotUntagged = profiles.samples(CPU).stream()
                    .filter(s -> s.hasFrame(".longestCollatzChain") && s.spanId() == null).count();

            List<ProfileUpload> uploads = profiles.uploads();
            for (ProfileUpload u : uploads) {
                assertEquals(NAME, u.appName(), u.query().toString());
                assertEquals("staging", u.labels().get("env"), u.query().toString());
                assertEquals("2.4.1", u.labels().get("version"), u.query().toString());
            }
            ReceivedSpan first = servers.get(0);
            System.out.printf("[OwnServiceIT] %d server spans as %s (name '%s', http.route %s, %.0f-%.0f ms),"
                            + " %d spans in all; %d CPU samples carry their ids, %d of them in %s.longestCollatzChain"
                            + " (%d samples there without a span id), threads %s; %d uploads as %s%s%n",
                    servers.size(), NAME, first.name(), first.attributes().get("http.route"),
                    servers.stream().mapToDouble(ReceivedSpan::durationMs).min().orElse(0),
                    servers.stream().mapToDouble(ReceivedSpan::durationMs).max().orElse(0), traces.spans().size(),
                    tagged.size(), hot, PlainHttpApp.class.getSimpleName(), hotUntagged,
                    tagged.stream().map(Sample::thread).collect(Collectors.toCollection(java.util.TreeSet::new)),
                    uploads.size(), NAME, uploads.isEmpty() ? "" : Map.of("env", uploads.get(0).labels().get("env"),
                            "version", uploads.get(0).labels().get("version")));
            // with wall clock on, some of a busy thread's CPU samples land in async-profiler's own
            // wall-clock signal handler (a native stack of the profiler alone): counted apart
            long profilerOwn = tagged.stream().filter(s -> s.frames().stream().allMatch(f -> f.startsWith("lib"))
                    && s.frames().stream().anyMatch(f -> f.contains("asyncProfiler"))).count();
            System.out.printf("[OwnServiceIT] of the tagged samples: %d in the hot method, %d in the profiler's own"
                    + " signal handler, %d elsewhere%n", hot, profilerOwn, tagged.size() - hot - profilerOwn);
            assertTrue(hot >= 0.9 * (tagged.size() - profilerOwn), hot + " of " + tagged.size() + " tagged samples in the hot method ("
                    + profilerOwn + " in the profiler)");
            assertTrue(uploads.size() >= 2, "uploads: " + uploads.size());
        }
    }

    /**
     * The production preset on the same app: about a tenth of the traces kept (parent-based ratio;
     * the requests carry no traceparent, so the root decides), no wall clock; the CPU samples that
     * carry a span id carry only ids of exported spans, so "Profiles for this span" works for every
     * trace there is and no profile points at a trace that was dropped.
     */
    @Test
    void theProductionPresetKeepsATenthOfTheTracesAndLabelsOnlyTheirSamples() throws IOException {
        Path jar = AppJar.build(InstrumentedService.SERVICE_DIR.resolve("target/test-classes"),
                InstrumentedService.SERVICE_DIR.resolve("target/it-apps/plain-http-app.jar"), PlainHttpApp.class);
        int requests = 120;
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver();
             PyroscopeReceiver profiles = new PyroscopeReceiver();
             InstrumentedService app = InstrumentedService.startApp("own-service-production",
                     port -> List.of("--name", NAME, "--preset", "production", "--jar", jar.toString(), Integer.toString(port)),
                     Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint(),
                             "PYROSCOPE_SERVER_ADDRESS", profiles.address()),
                     "/health", List.of("bash"))) {
            for (int i = 0; i < requests; i++) {
                assertEquals(200, app.get("/collatz?n=200000", Map.of()).statusCode());
            }
            int uploadsSoFar = profiles.uploads().size();
            await().atMost(SIGNAL_DEADLINE).until(() -> profiles.uploads().size() >= uploadsSoFar + 2);
            List<ReceivedSpan> servers = traces.spans().stream().filter(s -> s.name().equals("GET /collatz")).toList();
            Set<String> exported = traces.spans().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
            List<Sample> cpu = profiles.samples(CPU);
            List<Sample> labelled = cpu.stream().filter(s -> s.spanId() != null).toList();
            long dangling = labelled.stream().filter(s -> !exported.contains(s.spanId())).count();
            long wall = profiles.samples("profiler.WallClockSample").size();
            long hotLabelled = labelled.stream().filter(s -> s.hasFrame(".longestCollatzChain")).count();
            long hotAll = cpu.stream().filter(s -> s.hasFrame(".longestCollatzChain")).count();
            System.out.printf("[OwnServiceIT] production preset: %d of %d requests traced; %d of %d CPU samples in the"
                            + " hot method carry a span id, all of exported spans (%d dangling); %d wall-clock samples;"
                            + " %d uploads%n", servers.size(), requests, hotLabelled, hotAll, dangling, wall,
                    profiles.uploads().size());
            assertTrue(servers.size() >= 1 && servers.size() <= 36, servers.size() + " of " + requests + " traced");
            assertEquals(0, dangling, "samples labelled with spans that were not exported");
            assertEquals(0, wall, "no wall clock in the production preset");
            assertTrue(hotAll > hotLabelled, "the untraced requests are profiled too, without a span id");
        }
    }
}
