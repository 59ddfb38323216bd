package io.profilingkit.workshop.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import java.util.List;
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

        TestHttp.Response scrape = http.get("/metrics");
        // what a failure shows: every route's count line, with its tags (once, the tags were empty:
        // make test handed the service an empty APP_ENV, APP_VERSION and SERVICE_NAME)
        List<String> counts = scrape.raw().lines().filter(l -> l.startsWith("http_server_requests_seconds_count")).toList();

        assertEquals(200, scrape.status());
        assertTrue(scrape.contentType().startsWith("application/openmetrics-text"), scrape.contentType());
        assertTrue(scrape.raw().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        for (String route : new String[] {"/api/primes", "/api/hash/{key}"}) {
            String bucket = "http_server_requests_seconds_bucket{env=\"workshop\",exception=\"none\",method=\"GET\","
                    + "service_name=\"workshop-service\",status=\"200\",uri=\"" + route + "\",version=\"1.0.0\",le=\"0.1\"}";
            assertTrue(scrape.raw().contains(bucket), "no 100 ms bucket for " + route + "; the counts: " + counts);
        }
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
