package io.profilingkit.workshop.incident;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
class IncidentSwitchTest {

    @Inject
    ApplicationContext context;
    @Inject
    TestHttp http;

    @Test
    void incidentCanBeSwitchedOff() {
        // application-test.yml sets workshop.incident.enabled=false
        assertFalse(context.containsBean(IncidentSimulator.class));
    }

    /** Switched off, the gauge is still there at 0, so the dashboard's incident panel shows 0, not "No data". */
    @Test
    void theIncidentGaugeStaysAtZero() {
        TestHttp.Response metrics = http.get("/metrics");

        assertTrue(metrics.raw().lines().anyMatch(line -> line.startsWith("workshop_incident_active{")
                && line.endsWith(" 0.0")), metrics.raw());
    }
}
