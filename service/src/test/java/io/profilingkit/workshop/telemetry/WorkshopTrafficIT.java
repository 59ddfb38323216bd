package io.profilingkit.workshop.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.backends.InstrumentedService;
import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver.Sample;
import io.profilingkit.workshop.loadgen.LoadRun;
import io.profilingkit.workshop.loadgen.Options;
import io.profilingkit.workshop.loadgen.Report;
import io.profilingkit.workshop.loadgen.Scenario;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a learner sees in the CPU flame graph under the default traffic ({@code mixed}, what the
 * stack's load generator and {@code make load} send), outside incident windows: the slow prime
 * function is the widest application frame, as the guide's exercise says, and the lock exercise
 * keeps its lesson (the lock profile shows the waiters) without a clock call as the widest leaf.
 */
class WorkshopTrafficIT {

    static final String PRIMES = "io.profilingkit.workshop.primes.PrimeCounter.computePrimesSlow";
    static final Duration TRAFFIC = Duration.ofSeconds(75);
    static final Duration SIGNAL_DEADLINE = Duration.ofSeconds(60);

    @Test
    void underMixedTrafficTheSlowPrimeFunctionIsTheWidestApplicationFrame() throws IOException {
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver();
             PyroscopeReceiver profiles = new PyroscopeReceiver();
             InstrumentedService service = InstrumentedService.start("workshop-traffic", Map.of(
                     "OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint(),
                     "PYROSCOPE_SERVER_ADDRESS", profiles.address()))) {
            Report report = LoadRun.run(Options.defaults().url(URI.create("http://127.0.0.1:" + service.port()))
                    .scenario(Scenario.MIXED).duration(TRAFFIC));
            int uploadsSoFar = profiles.uploads().size();
            await().atMost(SIGNAL_DEADLINE).until(() -> profiles.uploads().size() >= uploadsSoFar + 2);

            List<Sample> cpu = profiles.samples("jdk.ExecutionSample");
            Map<String, Long> byAppFrame = count(cpu, WorkshopTrafficIT::firstApplicationFrame);
            Map<String, Long> byLeaf = count(cpu, s -> s.frames().isEmpty() ? "(none)" : s.frames().get(0));
            List<Map.Entry<String, Long>> apps = top(byAppFrame);
            List<Map.Entry<String, Long>> leaves = top(byLeaf);
            long lockWaits = profiles.samples("jdk.JavaMonitorEnter").stream()
                    .filter(s -> s.hasFrame(".contendOnSharedLock")).count();
            System.out.printf("[WorkshopTrafficIT] %d requests of mixed traffic in %s, %d CPU samples; by application frame: %s;"
                            + " by leaf: %s; lock samples in contendOnSharedLock: %d%n",
                    report.total().requests(), TRAFFIC, cpu.size(), share(apps, cpu.size()), share(leaves, cpu.size()), lockWaits);

            assertTrue(report.total().requests() > 0, "traffic sent");
            assertTrue(!apps.isEmpty() && apps.get(0).getKey().equals(PRIMES), "widest application frame: " + share(apps, cpu.size()));
            // clearly the widest: the next one has at most two thirds of its samples
            assertTrue(apps.size() < 2 || apps.get(1).getValue() * 3 <= apps.get(0).getValue() * 2,
                    "computePrimesSlow is not clearly ahead: " + share(apps, cpu.size()));
            assertFalse(leaves.get(0).getKey().contains("clock_gettime") || leaves.get(0).getKey().contains("nanoTime"),
                    "a clock call is the widest leaf: " + share(leaves, cpu.size()));
            assertTrue(lockWaits >= 5, "the lock profile shows the waiters: " + lockWaits + " samples");
        }
    }

    /** The innermost frame of the service's own code: where the time is spent, as a learner reads it. */
    private static String firstApplicationFrame(Sample sample) {
        return sample.frames().stream().filter(f -> f.startsWith("io.profilingkit.workshop.")).findFirst().orElse("(outside the service's code)");
    }

    private static Map<String, Long> count(List<Sample> samples, Function<Sample, String> key) {
        return samples.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
        return counts.entrySet().stream().filter(e -> !e.getKey().startsWith("("))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
    }

    private static String share(List<Map.Entry<String, Long>> entries, long total) {
        return entries.stream().limit(5).map(e -> String.format("%s %.1f%%",
                e.getKey().substring(e.getKey().lastIndexOf('.', e.getKey().lastIndexOf('.') - 1) + 1), 100.0 * e.getValue() / total))
                .collect(Collectors.joining(", "));
    }
}
