package io.profilingkit.workshop.incident;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;

/**
 * The gauge {@code workshop_incident_active}: 1 while the incident burns CPU, else 0, from start-up on
 * ({@code @Context}: created with the application, not at the first incident). Also there, at 0, when
 * the incident is switched off ({@code WORKSHOP_INCIDENT_ENABLED=false}): the dashboard's incident
 * panel then shows a flat 0, not "No data".
 */
@Context
final class IncidentGauge {

    IncidentGauge(MeterRegistry registry, @Nullable IncidentSimulator incident) {
        Gauge.builder("workshop.incident.active", () -> incident != null && incident.active() ? 1 : 0)
                .description("1 while the simulated incident burns CPU, else 0")
                .register(registry);
    }
}
