package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code make check} on the workshop stack after an {@code io} phase of the traffic, played by fake
 * APIs: the longest child spans in Tempo are all I/O spans, whose span profiles are empty (their
 * threads wait); the CPU workloads' spans are shorter but have samples. The span-profile check must
 * pick those, and print trace ids in their 32-digit form although Tempo's search drops leading zeros.
 */
class WorkshopCheckTest {

    static final String IO_SPAN = "00000000000000b1";
    static final String PRIMES_SPAN = "00000000000000a1";
    /** 31 digits: what Tempo's search prints for a trace id that starts with a zero. */
    static final String SHORT_TRACE_ID = "bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void spanProfileCheckUsesCpuWorkloadSpansNotTheLongerIoSpans() throws Exception {
        CheckScript.Result result = CheckScript.run(Map.of(), request -> switch (request.path()) {
            case "/health" -> "{\"status\": \"UP\"}";
            case "/api/search" -> search(request.query());
            case "/querier.v1.QuerierService/SelectMergeSpanProfile" ->
                    "{\"flamegraph\": {\"total\": \"" + (request.body().contains(PRIMES_SPAN) ? 150_000_000 : 0) + "\"}}";
            case "/querier.v1.QuerierService/LabelValues" -> "{\"names\": [\"workshop-service\"]}";
            default -> request.path().endsWith("/ready") || request.path().endsWith("/health") ? "{}" : null;
        });
        assertTrue(result.output().contains("PASS  pyroscope: CPU samples carry span ids")
                && result.output().contains("span " + PRIMES_SPAN + " PrimeCounter.computePrimesSlow"), result.output());
        assertTrue(result.output().contains("PASS  tempo: API traces with pyroscope.profile.id")
                && result.output().contains("e.g. 0" + SHORT_TRACE_ID + " GET /api/primes"), result.output());
    }

    /** Tempo's search over a window of I/O traffic with some primes requests. */
    private static String search(String query) {
        if (query.contains("kind=internal")) {
            boolean cpuOnly = query.contains("PrimeCounter");
            String span = cpuOnly ? "{\"spanID\": \"" + PRIMES_SPAN + "\", \"name\": \"PrimeCounter.computePrimesSlow\"}"
                    : "{\"spanID\": \"" + IO_SPAN + "\", \"name\": \"SlowIoService.simulateBlockingIo\"}";
            return "{\"traces\": [{\"traceID\": \"" + SHORT_TRACE_ID + "\", \"spanSets\": [{\"spans\": [" + span + "]}]}]}";
        }
        if (query.contains("http.route")) {
            return "{\"traces\": [{\"traceID\": \"" + SHORT_TRACE_ID + "\", \"rootTraceName\": \"GET /api/primes\"}]}";
        }
        return "{\"traces\": []}";
    }
}
