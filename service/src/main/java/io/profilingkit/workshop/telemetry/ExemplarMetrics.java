package io.profilingkit.workshop.telemetry;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.configuration.metrics.micrometer.prometheus.PrometheusMeterRegistryFactory;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Value;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.agent.OpenTelemetryAgentSpanContext;
import jakarta.inject.Singleton;
import java.util.Properties;

/**
 * The Prometheus registry, built so that histograms carry {@code trace_id}/{@code span_id}
 * exemplars of the current span when the OpenTelemetry agent is attached, and the common tags
 * every series carries.
 */
@Factory
class ExemplarMetrics {

    @Singleton
    @Replaces(factory = PrometheusMeterRegistryFactory.class, bean = PrometheusMeterRegistry.class)
    PrometheusMeterRegistry prometheusMeterRegistry() {
        PrometheusConfig config = new PrometheusConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public Properties prometheusProperties() {
                Properties properties = PrometheusConfig.super.prometheusProperties();
                // Micrometer's default puts exemplars on _count lines too, and Prometheus then
                // rejects the whole scrape; keep them on buckets (and counters) only.
                properties.setProperty("io.prometheus.exporter.exemplarsOnAllMetricTypes", "false");
                return properties;
            }
        };
        OpenTelemetryAgentSpanContext spans =
                OpenTelemetryAgentSpanContext.isAvailable() ? new OpenTelemetryAgentSpanContext() : null;
        return new PrometheusMeterRegistry(config, new PrometheusRegistry(), Clock.SYSTEM, spans);
    }

    /** {@code service_name}, {@code env} and {@code version} on every series, as on profiles and traces. */
    @Singleton
    MeterFilter commonTags(@Value("${micronaut.application.name}") String serviceName,
                           @Value("${workshop.telemetry.env}") String env,
                           @Value("${workshop.telemetry.version}") String version) {
        return MeterFilter.commonTags(io.micrometer.core.instrument.Tags.of(
                "service_name", serviceName, "env", env, "version", version));
    }
}
