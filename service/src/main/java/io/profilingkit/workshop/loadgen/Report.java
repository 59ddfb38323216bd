package io.profilingkit.workshop.loadgen;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run did.
 *
 * @param options           what was asked
 * @param elapsed           from the first request to the end of the run, grace period included
 * @param endpoints         per endpoint of the scenario, in the scenario's order
 * @param total             all endpoints together
 * @param errorCauses       failed requests by cause ({@code HTTP 429}, {@code ConnectException}, {@code abandoned}, ...)
 * @param requestsPerSecond requests started in each second of the run (by intended start in an open loop)
 * @param stoppedEarly      {@link LoadRun#stop()} ended the run before its deadline
 * @param notSent           requests of an open loop's schedule that were due before the deadline but not
 *                          sent: the generator was more than half a second behind at the deadline (a
 *                          machine too busy to keep its schedule), or no slot of {@link Options#maxInFlight()}
 *                          came free before the deadline (a service that stopped answering)
 * @param unreachable       nothing answered in the first {@link LoadRun#UNREACHABLE_AFTER} and requests
 *                          failed: the run stopped there (a wrong URL, a service not started)
 */
public record Report(Options options, Duration elapsed, Map<Endpoint, EndpointStats> endpoints, EndpointStats total,
                     Map<String, Long> errorCauses, List<Long> requestsPerSecond, boolean stoppedEarly,
                     long notSent, boolean unreachable) {

    /** Failed requests over all requests; 0 when nothing was sent. */
    public double errorRate() {
        return total.errorRate();
    }

    /** True when something answered and the error rate is within {@link Options#maxErrorRate()}. */
    public boolean passed() {
        return !unreachable && errorRate() <= options.maxErrorRate();
    }

    /** Requests per second over the whole run. */
    public double throughput() {
        return total.requests() / (elapsed.toNanos() / 1e9);
    }

    /** Requests per route template, for the endpoints that got any: what the service's {@code uri} tag should count. */
    public Map<String, Long> requestsByRoute() {
        Map<String, Long> byRoute = new LinkedHashMap<>();
        endpoints.forEach((endpoint, stats) -> {
            if (stats.requests() > 0) {
                byRoute.put(endpoint.route(), stats.requests());
            }
        });
        return byRoute;
    }

    /**
     * One endpoint (or the total).
     *
     * @param requests  requests sent
     * @param errors    requests that got a 4xx/5xx, failed, timed out or were abandoned
     * @param abandoned requests still in flight when the grace period ended (part of {@code errors})
     * @param latency   microseconds, of every request that got an answer (any status); in an open
     *                  loop measured from when the request was due, not when it went out
     */
    public record EndpointStats(String name, long requests, long errors, long abandoned, Histogram latency) {

        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }

        /** The latency at {@code percentile} (0 to 100) in milliseconds; NaN without answers. */
        public double percentileMillis(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        public double maxMillis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
        }
    }
}
