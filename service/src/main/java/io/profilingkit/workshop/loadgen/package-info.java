/**
 * The workshop's load generator: plain Java on the JDK's HTTP client, shipped in the service jar
 * but never started by it (no class here is a Micronaut bean).
 *
 * <p>From a shell: {@link io.profilingkit.workshop.loadgen.LoadGenerator} ({@code --help}). From code:
 * {@link io.profilingkit.workshop.loadgen.LoadRun#run(Options)} with
 * {@link io.profilingkit.workshop.loadgen.Options}, which returns a
 * {@link io.profilingkit.workshop.loadgen.Report} of counts and HdrHistogram latencies per endpoint.
 */
package io.profilingkit.workshop.loadgen;
