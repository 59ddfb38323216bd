package io.profilingkit.workshop.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import org.awaitility.core.ConditionTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scrape endpoint Prometheus reads; exemplars need the agent and are proven in TelemetryIT. */
@MicronautTest
class MetricsControllerTest {

    @Inject
    TestHttp http;

    @Test
    void servesLatencyHistogramPerRouteInOpenMetricsWithTheWorkshopTags() {
        assertEquals(200, http.get("/api/primes?limit=100").status());
        assertEquals(200, http.get("/api/hash/metrics-key").status());

        List<String> buckets = Stream.of("/api/primes", "/api/hash/{key}")
                .map(route -> "http_server_requests_seconds_bucket{env=\"workshop\",exception=\"none\",method=\"GET\","
                        + "service_name=\"workshop-service\",status=\"200\",uri=\"" + route + "\",version=\"1.0.0\",le=\"0.1\"}")
                .toList();
        // Micronaut records a request once its response has gone out, so the client can ask for
        // /metrics before the timer stopped (seen on a fresh clone): a few scrapes, not one. Broken
        // (no histogram per route), no scrape in 10 s ever has the buckets.
        AtomicReference<TestHttp.Response> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                last.set(http.get("/metrics"));
                return buckets.stream().allMatch(last.get().raw()::contains);
            });
        } catch (ConditionTimeoutException e) {
            fail("no 100 ms bucket of both routes in 10 s; the request counts were "
                    + last.get().raw().lines().filter(l -> l.startsWith("http_server_requests_seconds_count")).toList());
        }
        TestHttp.Response scrape = last.get();

        assertEquals(200, scrape.status());
        assertTrue(scrape.contentType().startsWith("application/openmetrics-text"), scrape.contentType());
        assertTrue(scrape.raw().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(scrape.raw().contains("jvm_memory_used_bytes{"), "JVM metrics");
        assertTrue(scrape.raw().contains("process_cpu_usage{"), "process metrics");
        // the incident is off in tests: its gauge is there, at 0 (IncidentSwitchTest)
        assertTrue(scrape.raw().contains("workshop_incident_active{"), "the incident gauge");
    }

    /**
     * The Accept header Prometheus 3.14 sends by default (scrape/scrape.go acceptHeader with
     * config.DefaultScrapeProtocols, read at tag v3.14.0): OpenMetrics 1.0.0 is chosen, and the answer
     * names its own type, not the scraper's weighted entry.
     */
    @Test
    void prometheus3sAcceptHeaderGetsOpenMetricsWithItsOwnType() {
        String accept = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
                + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
        TestHttp.Response scrape = http.get("/metrics", "Accept", accept);

        assertEquals(200, scrape.status());
        assertEquals(MetricsController.OPENMETRICS, scrape.contentType());
        assertTrue(scrape.raw().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    }
}
