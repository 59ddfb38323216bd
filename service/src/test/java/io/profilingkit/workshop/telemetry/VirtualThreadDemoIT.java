package io.profilingkit.workshop.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.backends.InstrumentedService;
import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.OtlpTraceReceiver.ReceivedSpan;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver.Sample;
import io.profilingkit.workshop.backends.TraceParent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo with its workloads on virtual threads ({@code MICRONAUT_EXECUTORS_IO_VIRTUAL=true},
 * Micronaut's own executor setting; docs/workshop.md, "Virtual threads"), as the workshop's exercise
 * tells it: the CPU flame graph and "Profiles for this span" are what they are on platform threads,
 * the I/O span is still in the trace, but the wall-clock profile no longer shows slow_io's wait: a
 * parked virtual thread is on no OS thread, and a wall-clock profiler samples OS threads. Its
 * platform-thread counterpart is TelemetryIT's slow_io test (the wait's frame on 90% of the I/O
 * span's wall-clock samples).
 */
class VirtualThreadDemoIT {

    static final String CPU = "jdk.ExecutionSample";
    static final String WALL = "profiler.WallClockSample";
    /** Long enough for the last upload after the last request on a loaded machine (uploads every 2 s in tests). */
    static final Duration SIGNAL_DEADLINE = Duration.ofSeconds(60);
    static final int WAIT_MS = 500;

    @Test
    void onVirtualThreadsTheCpuProfileHoldsAndTheWallClockMissesTheWait() throws IOException {
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver();
             PyroscopeReceiver profiles = new PyroscopeReceiver();
             InstrumentedService service = InstrumentedService.start("demo-virtual-threads", Map.of(
                     "OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint(),
                     "PYROSCOPE_SERVER_ADDRESS", profiles.address(),
                     "MICRONAUT_EXECUTORS_IO_VIRTUAL", "true"))) {
            List<String> primes = new ArrayList<>();
            List<String> slowIo = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                primes.add(send(service, "/api/primes?limit=3000000"));
                slowIo.add(send(service, "/api/slow_io?ms=" + WAIT_MS));
            }
            int uploadsSoFar = profiles.uploads().size();
            await().atMost(SIGNAL_DEADLINE).until(() -> profiles.uploads().size() >= uploadsSoFar + 2);
            List<ReceivedSpan> spans = await().atMost(SIGNAL_DEADLINE).until(traces::spans,
                    all -> all.stream().filter(s -> s.name().equals("SlowIoService.simulateBlockingIo")).count() == slowIo.size()
                            && all.stream().filter(s -> s.name().equals("PrimeCounter.computePrimesSlow")).count() == primes.size());

            // the demo labels every span (docs/configuration.md): the work's samples carry its own span
            Set<String> primeWork = ids(spans, primes, "PrimeCounter.computePrimesSlow");
            List<Sample> work = profiles.samples(CPU).stream().filter(s -> s.hasFrame(".computePrimesSlow")).toList();
            long onServer = work.stream().filter(s -> primeWork.contains(s.spanId())).count();
            long onCarriers = work.stream().filter(s -> s.thread().startsWith("ForkJoinPool")).count();

            List<ReceivedSpan> io = spans.stream().filter(s -> slowIo.contains(s.traceId())
                    && s.name().equals("SlowIoService.simulateBlockingIo")).toList();
            Set<String> ioIds = io.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
            long waiting = profiles.samples(WALL).stream().filter(s -> s.hasFrame(".simulateBlockingIo"))
                    .mapToLong(Sample::weight).sum();
            long wallOnIoSpans = profiles.samples(WALL).stream().filter(s -> ioIds.contains(s.spanId()))
                    .mapToLong(Sample::weight).sum();
            System.out.printf("[VirtualThreadDemoIT] primes: %d of %d CPU samples in computePrimesSlow on their PrimeCounter.computePrimesSlow span,"
                            + " %d on carrier threads (ForkJoinPool-*); slow_io: I/O spans of %s ms; wall-clock samples in"
                            + " simulateBlockingIo: %d, on the I/O spans: %d%n", onServer, work.size(), onCarriers,
                    io.stream().map(s -> String.format("%.0f", s.durationMs())).toList(), waiting, wallOnIoSpans);

            assertTrue(work.size() >= 20, "only " + work.size() + " CPU samples in computePrimesSlow");
            assertTrue(onCarriers >= 0.95 * work.size(), onCarriers + " of " + work.size()
                    + " samples on carrier threads: the workloads did not run on virtual threads");
            assertTrue(onServer >= 0.95 * work.size(), onServer + " of " + work.size() + " samples on their computePrimesSlow span");
            io.forEach(s -> assertTrue(s.durationMs() >= WAIT_MS, "the I/O span lasts " + s.durationMs() + " ms: " + s));
            assertEquals(slowIo.size(), io.size(), "one I/O span per slow_io request");
            // on platform threads a 500 ms wait is about 25 samples at 20 ms, for each of the 3 requests
            assertEquals(0, waiting, "wall-clock samples in the wait of a parked virtual thread");
            assertTrue(profiles.samples(WALL).size() > 0, "the wall-clock profile runs (workshop preset)");
        }
    }

    private static String send(InstrumentedService service, String path) throws IOException {
        String traceId = TraceParent.newTraceId();
        assertEquals(200, service.get(path, TraceParent.traceparent(traceId)).statusCode(), path);
        return traceId;
    }

    private static Set<String> ids(List<ReceivedSpan> spans, List<String> traceIds, String name) {
        return spans.stream().filter(s -> traceIds.contains(s.traceId()) && s.name().equals(name))
                .map(ReceivedSpan::spanId).collect(Collectors.toSet());
    }
}
