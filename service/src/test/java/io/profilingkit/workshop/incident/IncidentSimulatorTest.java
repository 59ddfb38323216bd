package io.profilingkit.workshop.incident;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@MicronautTest
@Property(name = "workshop.incident.enabled", value = "true")
@Property(name = "workshop.incident.initial-delay", value = "100ms")
@Property(name = "workshop.incident.period", value = "300ms")
@Property(name = "workshop.incident.duration", value = "400ms")
@Property(name = "workshop.incident.threads", value = "1")
class IncidentSimulatorTest {

    @Inject
    IncidentSimulator incident;
    @Inject
    MeterRegistry registry;

    @Test
    void incidentRecursAndItsGaugeGoesUpAndDown() {
        AtomicBoolean sawActive = new AtomicBoolean();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (registry.get("workshop.incident.active").gauge().value() == 1.0) {
                sawActive.set(true);
            }
            return incident.completed() >= 2;
        });

        assertTrue(sawActive.get(), "the gauge never showed the incident");
        await().atMost(Duration.ofSeconds(2)).until(() ->
                registry.get("workshop.incident.active").gauge().value() == 0.0 || incident.active());
    }

    @Test
    void burnerStopsAtItsDeadline() {
        long start = System.nanoTime();
        IncidentSimulator.burnCpuDuringIncident(start + Duration.ofMillis(100).toNanos());
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        // At least the 100 ms by construction; a burner that ignores its deadline never returns, a working
        // one returns within one 10,000-step loop (microseconds) plus how long a busy machine holds it off.
        assertTrue(tookMs >= 100 && tookMs < 3_000, "burned for " + tookMs + " ms");
    }
}
