package io.profilingkit.workshop.isolation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.annotation.Property;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import io.profilingkit.workshop.incident.IncidentSimulator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * 150 requests waiting on slow I/O plus the CPU-burning incident at once: /health and light
 * requests still answer promptly, because nothing blocks the event loop.
 */
@MicronautTest
@Property(name = "workshop.incident.enabled", value = "true")
@Property(name = "workshop.incident.initial-delay", value = "0s")
@Property(name = "workshop.incident.period", value = "100ms")
@Property(name = "workshop.incident.duration", value = "4s")
@Property(name = "workshop.incident.threads", value = "2")
class LoadIsolationTest {

    static final long SLOW_IO_MS = 2500;
    /** Setting the scene (the incident on, the flood's 150 connections waiting): broken, it never happens; a busy machine takes seconds. */
    static final Duration SETUP_DEADLINE = Duration.ofSeconds(30);

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    IncidentSimulator incident;

    @Test
    void healthAndLightRequestsStayPromptUnderSlowIoFloodDuringTheIncident() {
        TestHttp flood = new TestHttp(server, json);
        TestHttp http = new TestHttp(server, json);
        await().atMost(SETUP_DEADLINE).until(incident::active);
        ExecutorService clients = Executors.newFixedThreadPool(150);
        List<CompletableFuture<TestHttp.Response>> slow = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> flood.get("/api/slow_io?ms=" + SLOW_IO_MS), clients));
        }
        // the flood's 150 connections are open and waiting before the light requests start
        await().atMost(SETUP_DEADLINE).until(() -> waitingSlowIo(http) >= 140);

        long worstMs = 0;
        for (int i = 0; i < 20; i++) {
            for (String light : List.of("/health", "/api/primes?limit=1000", "/api/hash_cached/light")) {
                long start = System.nanoTime();
                TestHttp.Response response = http.get(light);
                worstMs = Math.max(worstMs, (System.nanoTime() - start) / 1_000_000);
                assertEquals(200, response.status(), light + ": " + response.raw());
            }
        }
        boolean incidentStillOn = incident.active();
        List<TestHttp.Response> slowAnswers = slow.stream().map(CompletableFuture::join).toList();
        clients.shutdown();

        System.out.printf("[LoadIsolationTest] worst light-request latency %d ms with 150 slow_io waiting"
                + " and the incident on (still on at the end: %s)%n", worstMs, incidentStillOn);
        // Broken (a slow_io wait on the event loop, or light requests queued behind the flood in one
        // pool), a light request waits out at least one whole 2.5 s slow_io; working, it needs a few
        // milliseconds of CPU, which a loaded machine can stretch to a few hundred. Half the wait lies between.
        assertTrue(worstMs < SLOW_IO_MS / 2, "a light request took " + worstMs + " ms");
        assertTrue(slowAnswers.stream().allMatch(r -> r.status() == 200), "every slow_io request was answered");
    }

    /** Requests being served by the IO pool right now, from the service's own executor metrics. */
    private static double waitingSlowIo(TestHttp http) {
        String metrics = http.get("/metrics").raw();
        return metrics.lines().filter(l -> l.startsWith("executor_active_threads{") && l.contains("name=\"io\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
