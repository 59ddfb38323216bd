/**
 * What the instrumented service emits, checked at the fake backends
 * ({@link io.profilingkit.workshop.backends}): traces, span-labelled profiles and exemplars
 * ({@code TelemetryIT}), and how it behaves when the backends are down, slow or absent
 * ({@code BackendFaultIT}, {@code NoBackendIT}); the same launcher on an application that is not
 * the workshop's ({@code OwnServiceIT}, both presets) and against backends that demand credentials
 * ({@code AuthenticatedBackendsIT}).
 */
package io.profilingkit.workshop.telemetry;
