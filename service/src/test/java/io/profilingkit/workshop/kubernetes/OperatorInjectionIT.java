package io.profilingkit.workshop.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.profilingkit.otherapp.AppJar;
import io.profilingkit.otherapp.ClientWork;
import io.profilingkit.otherapp.ParkingHttpApp;
import io.profilingkit.otherapp.PlainHttpApp;
import io.profilingkit.workshop.backends.ConcurrentRun;
import io.profilingkit.workshop.backends.InstrumentedService;
import io.profilingkit.workshop.backends.MavenApp;
import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.OtlpTraceReceiver.ReceivedSpan;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver.ProfileUpload;
import io.profilingkit.workshop.backends.PyroscopeReceiver.Sample;
import io.profilingkit.workshop.backends.TraceParent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a pod gets from the chart's Instrumentation, without a cluster: the JVM of a workload that is
 * not ours (a Spring Boot 4 service with a JPA repository, built in the test from
 * src/test/it-apps/spring-orders, and {@link PlainHttpApp}, the JDK's own server, packed as its own
 * jar) started with plain {@code java -jar} and
 * exactly the environment the OpenTelemetry Operator v0.158.0 gives an annotated container
 * ({@code internal/instrumentation/sdk.go} injectJava, {@code javaagent.go}): the Instrumentation's
 * java.env as the chart renders it, {@code JAVA_TOOL_OPTIONS} with the agent copied from the chart's
 * agent version (2.31.1) and the extensions directory holding the kit's extension, and what the
 * operator derives per pod ({@code OTEL_SERVICE_NAME} from the Deployment's name, {@code service.version}
 * from the image tag, the sampler and endpoint of the spec). No {@code PYROSCOPE_APPLICATION_NAME}
 * and no {@code PYROSCOPE_LABELS}: the profiles must still arrive under the workload's name and tags.
 */
class OperatorInjectionIT {

    static final String CPU = "jdk.ExecutionSample";
    /**
     * Spans are exported every 200 ms and profiles uploaded every 2 s here (the pod's own env, below):
     * a working agent delivers within a few seconds even on a loaded machine; one that exports
     * nothing, or under another name, never does.
     */
    static final Duration SIGNAL_DEADLINE = Duration.ofSeconds(30);

    /** A workload as a Deployment would run it: its name, its image's tag, how it starts, what to ask and where it burns CPU. */
    record Workload(String deployment, String version, String jar, List<String> args, String path, String hotFrame) {
        @Override
        public String toString() {
            return deployment;
        }
    }

    static Stream<Workload> workloads() throws IOException {
        Path serviceDir = InstrumentedService.SERVICE_DIR;
        return Stream.of(
                new Workload("orders", "4.0.7", MavenApp.build("spring-orders").toString(), List.of("--server.port=%d"),
                        "/orders/customer-%d/report?n=2000000", ".scoreOrders"),
                new Workload("collatz-api", "3.1.4", AppJar.build(serviceDir.resolve("target/test-classes"),
                        serviceDir.resolve("target/it-apps/plain-http-app.jar"), PlainHttpApp.class).toString(), List.of("%d"),
                        "/collatz?n=3000000", ".longestCollatzChain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void aWorkloadInjectedAsTheOperatorDoesSendsLinkedTracesAndProfilesUnderItsName(Workload workload) throws IOException {
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver(); PyroscopeReceiver profiles = new PyroscopeReceiver()) {
            Map<String, Object> instrumentation = instrumentation(traces, profiles);
            try (InstrumentedService app = startInjected(workload, instrumentation)) {
                List<String> traceIds = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String traceId = TraceParent.newTraceId();
                    traceIds.add(traceId);
                    // a sampled parent: the production preset's parent-based sampler keeps these
                    assertEquals(200, app.get(workload.path().formatted(i), TraceParent.traceparent(traceId)).statusCode());
                }

                List<ReceivedSpan> servers = await().atMost(SIGNAL_DEADLINE).until(
                        () -> traces.spans().stream().filter(s -> traceIds.contains(s.traceId()))
                                .filter(s -> s.kind().equals("SPAN_KIND_SERVER")).toList(),
                        list -> list.size() == traceIds.size());
                for (ReceivedSpan s : servers) {
                    assertEquals(workload.deployment(), s.resource().get("service.name"), s.toString());
                    assertEquals(workload.version(), s.resource().get("service.version"), s.toString());
                    assertEquals("prod", s.resource().get("deployment.environment.name"), s.toString());
                    assertEquals(s.spanId(), s.attributes().get("pyroscope.profile.id"), s.toString());
                }
                Set<String> serverIds = servers.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
                List<Sample> hot = await().atMost(SIGNAL_DEADLINE).until(
                        () -> profiles.samples(CPU).stream().filter(s -> s.hasFrame(workload.hotFrame())).toList(),
                        list -> list.size() >= 20);
                long labelled = hot.stream().filter(s -> serverIds.contains(s.spanId())).count();
                List<ProfileUpload> uploads = profiles.uploads();
                System.out.printf("[OperatorInjectionIT] agent %s, %d server spans as %s %s; %d of %d CPU samples in"
                                + " %s carry their server span's id; %d uploads as %s %s; %d wall-clock samples%n",
                        Chart.java(instrumentation).get("image"), servers.size(), servers.get(0).resource().get("service.name"),
                        servers.get(0).resource().get("service.version"), labelled, hot.size(), workload.hotFrame(), uploads.size(),
                        uploads.get(0).appName(), uploads.get(0).labels(), profiles.samples("profiler.WallClockSample").size());
                for (ProfileUpload u : uploads) {
                    assertEquals(workload.deployment(), u.appName(), "profiles under the workload's service name: " + u.query());
                    assertEquals("prod", u.labels().get("env"), u.query().toString());
                    assertEquals(workload.version(), u.labels().get("version"), u.query().toString());
                }
                assertTrue(labelled >= 0.95 * hot.size(), labelled + " of " + hot.size() + " hot samples carry a server span id");
                assertEquals(0, profiles.samples("profiler.WallClockSample").size(), "the production preset has no wall clock");
            }
        }
    }

    /**
     * A workload on virtual threads ({@link ParkingHttpApp}: requests that park, then compute), eight
     * requests at once: the CPU samples of each request's work carry that request's server span, as
     * with the launcher (VirtualThreadSpanProfilesIT).
     */
    @Test
    void aVirtualThreadWorkloadInjectedAsTheOperatorDoesLabelsEachRequestsOwnSamples() throws IOException {
        Path jar = AppJar.build(InstrumentedService.SERVICE_DIR.resolve("target/test-classes"),
                InstrumentedService.SERVICE_DIR.resolve("target/it-apps/parking-http-app.jar"), ParkingHttpApp.class);
        Workload workload = new Workload("parking-api", "2.0.1", jar.toString(), List.of("%d", "virtual"), "/work", ".compute");
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver(); PyroscopeReceiver profiles = new PyroscopeReceiver()) {
            Map<String, Object> instrumentation = instrumentation(traces, profiles);
            try (InstrumentedService app = startInjected(workload, instrumentation)) {
                ConcurrentRun run = ConcurrentRun.drive("operator-injection-virtual-threads", traces, profiles, app,
                        ClientWork.CLIENTS, 15, client -> "/work?client=" + client, "VirtualThread[");
                run.assertServerSpansHaveProfileIds();
                run.assertAttribution(true, 0.95, 0.01);
            }
        }
    }

    /** The chart's Instrumentation, rendered with the receivers as its destinations. */
    private static Map<String, Object> instrumentation(OtlpTraceReceiver traces, PyroscopeReceiver profiles) {
        return Chart.render(List.of(), Map.of("environment", "prod", "destination.endpoints.traces", traces.endpoint(),
                "destination.endpoints.profiles", profiles.address())).instrumentations().get(0);
    }

    /** The workload started with plain java and the env the operator gives its container. */
    private static InstrumentedService startInjected(Workload workload, Map<String, Object> instrumentation) throws IOException {
        Path serviceDir = InstrumentedService.SERVICE_DIR;
        // the operator's volume, as its init containers fill it: cp /javaagent.jar; cp -r /extensions/.
        Path volume = serviceDir.resolve("target/it-apps/otel-auto-instrumentation-java-app");
        Files.createDirectories(volume.resolve("extensions"));
        Files.copy(serviceDir.resolve("target/chart-agent/javaagent.jar"), volume.resolve("javaagent.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(serviceDir.resolve("target/agents/span-profiles-extension.jar"), volume.resolve("extensions/span-profiles-extension.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = operatorEnv(instrumentation, volume, workload);
        // the pod's own env wins over the Instrumentation's (the operator appends only what is not
        // set): short intervals so that the test sees data in seconds, as every IT here does
        env.put("PYROSCOPE_UPLOAD_INTERVAL", "2s");
        env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        return InstrumentedService.startJava("operator-injection-" + workload.deployment(), port -> {
            List<String> args = new ArrayList<>(List.of("-Xmx256m", "-jar", workload.jar()));
            workload.args().forEach(arg -> args.add(arg.formatted(port)));
            return args;
        }, env, "/health");
    }

    /**
     * The env the operator v0.158.0 gives the container: java.env (appendIfNotSet), the defaults
     * (JAVA_TOOL_OPTIONS), then the SDK config (service name, endpoint, sampler, propagators,
     * OTEL_RESOURCE_ATTRIBUTES last). Secrets and downward-API values do not occur in this rendering.
     */
    static Map<String, String> operatorEnv(Map<String, Object> instrumentation, Path volume, Workload workload) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : Chart.javaEnv(instrumentation)) {
            env.putIfAbsent(var.getName(), var.getValue());
        }
        env.put("JAVA_TOOL_OPTIONS", " -javaagent:" + volume.resolve("javaagent.jar")
                + " -Dotel.javaagent.extensions=" + volume.resolve("extensions"));
        Map<String, Object> spec = Chart.spec(instrumentation);
        env.put("OTEL_SERVICE_NAME", workload.deployment());
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", (String) ((Map<?, ?>) spec.get("exporter")).get("endpoint"));
        Map<?, ?> sampler = (Map<?, ?>) spec.get("sampler");
        env.put("OTEL_TRACES_SAMPLER", (String) sampler.get("type"));
        if (sampler.get("argument") != null) {
            env.put("OTEL_TRACES_SAMPLER_ARG", (String) sampler.get("argument"));
        }
        env.put("OTEL_PROPAGATORS", String.join(",", ((List<?>) spec.get("propagators")).stream().map(String::valueOf).toList()));
        Map<String, String> resource = new LinkedHashMap<>();
        resource.put("k8s.container.name", "app");
        resource.put("k8s.deployment.name", workload.deployment());
        resource.put("k8s.namespace.name", "shop");
        resource.put("k8s.pod.name", workload.deployment() + "-7d9f8b6c5d-x2x9q");
        // parseServiceVersionFromImage: the tag of registry.example.com/shop/<name>:<version>
        resource.put("service.version", workload.version());
        Map<?, ?> res = (Map<?, ?>) spec.get("resource");
        if (res != null && res.get("resourceAttributes") instanceof Map<?, ?> attributes) {
            attributes.forEach((k, v) -> resource.put(String.valueOf(k), String.valueOf(v)));
        }
        env.put("OTEL_RESOURCE_ATTRIBUTES", resource.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
        return env;
    }
}
