/**
 * The overhead benchmark ({@code make bench}, {@code make bench-quick}; bench/README.md): what the
 * instrumentation costs, measured as ratios against the bare service in the same run.
 *
 * <p>{@link io.profilingkit.workshop.bench.OverheadBench} is the entry point: it starts each
 * {@link io.profilingkit.workshop.bench.BenchConfig} in alternating rounds
 * ({@link io.profilingkit.workshop.bench.BenchPlan}), drives it with the load generator, reads
 * CPU and memory from {@code /proc} ({@link io.profilingkit.workshop.bench.ProcStats}) and what
 * arrives at the fake backends, and writes {@link io.profilingkit.workshop.bench.BenchSummary}.
 * {@link io.profilingkit.workshop.bench.OverheadBenchIT} runs the same machinery for seconds in
 * {@code make test} so that it cannot rot; its figures are not a measurement.
 */
package io.profilingkit.workshop.bench;
