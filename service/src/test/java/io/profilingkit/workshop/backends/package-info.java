/**
 * The fake backends every integration test and the benchmark send to: stand-ins that decode what
 * the real agents send, in this JVM, while the service runs with its agents in a child JVM.
 *
 * <ul>
 *   <li>{@link io.profilingkit.workshop.backends.OtlpTraceReceiver}: Tempo's OTLP/HTTP endpoint;
 *       decodes each {@code ExportTraceServiceRequest} into spans.</li>
 *   <li>{@link io.profilingkit.workshop.backends.PyroscopeReceiver}: Pyroscope's {@code /ingest};
 *       reads the JFR part with {@code jdk.jfr} and the labels part, so samples carry their span ids.</li>
 *   <li>{@link io.profilingkit.workshop.backends.LocalPrometheus}: a real Prometheus binary with the
 *       project's {@code prometheus.yml}, scraping the service.</li>
 *   <li>{@link io.profilingkit.workshop.backends.InstrumentedService}: the service started through
 *       {@code run-instrumented.sh} (the launcher users run) on the container's JDK
 *       ({@link io.profilingkit.workshop.backends.ContainerJdk}); or any other application through
 *       the same launcher ({@code startApp}, e.g. {@code io.profilingkit.otherapp.PlainHttpApp}).</li>
 * </ul>
 *
 * Both receivers share {@link io.profilingkit.workshop.backends.LoopbackReceiver}: loopback only,
 * an optional delay per answer (a slow backend), pause (a backend that is down), and demanded
 * headers (a backend that wants credentials: 401 without them).
 */
package io.profilingkit.workshop.backends;
