/**
 * What the instrumented service emits, checked at the fake backends
 * ({@link io.profilingkit.workshop.backends}): traces, span-labelled profiles and exemplars
 * ({@code TelemetryIT}), and how it behaves when the backends are down, slow or absent
 * ({@code BackendFaultIT}, {@code NoBackendIT}).
 */
package io.profilingkit.workshop.telemetry;
