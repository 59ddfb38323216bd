package io.profilingkit.workshop.loadgen;

import java.time.Duration;

/**
 * A snapshot taken once a second while a run goes on.
 *
 * @param rate   answers per second over the last interval
 * @param p50Millis median latency over the last interval (NaN when nothing answered)
 * @param p99Millis 99th percentile over the last interval (NaN when nothing answered)
 */
public record Progress(Duration elapsed, Duration duration, long requests, long errors, long inFlight,
                       double rate, double p50Millis, double p99Millis) {

    /** Whole seconds since the start, rounded (ticks land a little after each full second). */
    public long elapsedSeconds() {
        return Math.round(elapsed.toMillis() / 1000.0);
    }

    /** Whole seconds until the deadline, never below 0. */
    public long remainingSeconds() {
        return Math.max(0, duration.toSeconds() - elapsedSeconds());
    }
}
