package io.profilingkit.workshop.telemetry;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /metrics}: every meter in OpenMetrics text format, the only text format that carries
 * exemplars. Micronaut's own {@code /prometheus} endpoint serves the older format only.
 */
@Controller("/metrics")
class MetricsController {

    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get(produces = OPENMETRICS)
    String scrape() {
        return registry.scrape(OPENMETRICS);
    }
}
