package io.profilingkit.workshop.telemetry;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
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

    /**
     * The type is set here, not negotiated: Micronaut would answer with the client's own Accept entry,
     * parameters and all (seen with Prometheus 3.14's header: {@code ...;escaping=allow-utf-8;q=0.6}),
     * claiming an escaping scheme and a weight that are not the body's.
     */
    @Get(produces = OPENMETRICS)
    HttpResponse<String> scrape() {
        return HttpResponse.ok(registry.scrape(OPENMETRICS)).contentType(OPENMETRICS);
    }
}
