package io.profilingkit.workshop.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Everything a run needs. Immutable; start from {@link #defaults()} and change what differs:
 *
 * <pre>{@code
 * Report report = LoadRun.run(Options.defaults().scenario(Scenario.CPU).closedLoop(8).duration(Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>Pacing: {@code rate > 0} is an open loop (requests start on a fixed schedule, whatever the
 * answers do), {@code concurrency > 0} a closed loop (that many requests in flight, each followed
 * at once by the next); with neither, an open loop at the scenario's default rate.
 *
 * @param url            base URL of the service; route paths are appended to it
 * @param rate           requests per second (open loop), or 0
 * @param concurrency    requests in flight (closed loop), or 0
 * @param spike          burst schedule, used by {@link Scenario#SPIKE} only
 * @param maxErrorRate   share of failed requests (0 to 1) above which the run fails
 * @param requestTimeout a request without an answer by then counts as an error
 * @param grace          how long requests still in flight at the deadline may take before they are
 *                       abandoned (and counted as errors)
 * @param maxInFlight    cap on requests in flight in an open loop, so a stalled service cannot
 *                       exhaust sockets; time spent waiting for a slot counts in the latency
 */
public record Options(URI url, Scenario scenario, Duration duration, double rate, int concurrency, Spike spike,
                      double maxErrorRate, Duration requestTimeout, Duration grace, int maxInFlight) {

    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080");
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
    /** A run is bounded: nobody leaves a load generator running by accident for longer. */
    public static final Duration MAX_DURATION = Duration.ofHours(1);
    public static final double MAX_RATE = 10_000;
    public static final int MAX_CONCURRENCY = 1_000;
    public static final double DEFAULT_MAX_ERROR_RATE = 0.01;

    public Options {
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("--url must be http:// or https:// with a host and no query, got " + url);
        }
        if (scenario == null) {
            throw new IllegalArgumentException("--scenario is required");
        }
        if (duration == null || duration.toMillis() < 1000 || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--duration must be between 1s and " + format(MAX_DURATION)
                    + ", got " + (duration == null ? "nothing" : format(duration)));
        }
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("--rate must be above 0 and at most " + (int) MAX_RATE + " requests/s, got " + rate);
        }
        if (concurrency < 0 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency must be between 1 and " + MAX_CONCURRENCY + ", got " + concurrency);
        }
        if (rate > 0 && concurrency > 0) {
            throw new IllegalArgumentException("give --rate (open loop) or --concurrency (closed loop), not both");
        }
        if (scenario == Scenario.SPIKE && concurrency > 0) {
            throw new IllegalArgumentException("the spike scenario varies the rate; give --rate, not --concurrency");
        }
        if (spike == null) {
            throw new IllegalArgumentException("spike schedule is required (Spike.DEFAULT)");
        }
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("--max-error-rate must be between 0 and 1 (or 0% and 100%), got " + maxErrorRate);
        }
        if (requestTimeout == null || requestTimeout.toMillis() < 1 || requestTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("--timeout must be between 1ms and 5m, got " + requestTimeout);
        }
        if (grace == null || grace.isNegative() || grace.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("grace must be between 0 and 1m, got " + grace);
        }
        if (maxInFlight < 1 || maxInFlight > 10_000) {
            throw new IllegalArgumentException("maxInFlight must be between 1 and 10000, got " + maxInFlight);
        }
    }

    /** The mixed scenario on {@code http://127.0.0.1:8080} for 60 s at its default rate; at most 1% errors. */
    public static Options defaults() {
        return new Options(DEFAULT_URL, Scenario.MIXED, DEFAULT_DURATION, 0, 0, Spike.DEFAULT,
                DEFAULT_MAX_ERROR_RATE, Duration.ofSeconds(10), Duration.ofSeconds(5), 256);
    }

    public Options url(URI value) {
        return new Options(value, scenario, duration, rate, concurrency, spike, maxErrorRate, requestTimeout, grace, maxInFlight);
    }

    public Options scenario(Scenario value) {
        return new Options(url, value, duration, rate, concurrency, spike, maxErrorRate, requestTimeout, grace, maxInFlight);
    }

    public Options duration(Duration value) {
        return new Options(url, scenario, value, rate, concurrency, spike, maxErrorRate, requestTimeout, grace, maxInFlight);
    }

    /** Open loop: {@code value} requests per second on a fixed schedule. */
    public Options openLoop(double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("--rate must be above 0 and at most " + (int) MAX_RATE + " requests/s, got " + value);
        }
        return new Options(url, scenario, duration, value, 0, spike, maxErrorRate, requestTimeout, grace, maxInFlight);
    }

    /** Closed loop: {@code value} requests in flight at all times. */
    public Options closedLoop(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--concurrency must be between 1 and " + MAX_CONCURRENCY + ", got " + value);
        }
        return new Options(url, scenario, duration, 0, value, spike, maxErrorRate, requestTimeout, grace, maxInFlight);
    }

    public Options spike(Spike value) {
        return new Options(url, scenario, duration, rate, concurrency, value, maxErrorRate, requestTimeout, grace, maxInFlight);
    }

    public Options maxErrorRate(double value) {
        return new Options(url, scenario, duration, rate, concurrency, spike, value, requestTimeout, grace, maxInFlight);
    }

    public Options requestTimeout(Duration value) {
        return new Options(url, scenario, duration, rate, concurrency, spike, maxErrorRate, value, grace, maxInFlight);
    }

    public Options grace(Duration value) {
        return new Options(url, scenario, duration, rate, concurrency, spike, maxErrorRate, requestTimeout, value, maxInFlight);
    }

    public Options maxInFlight(int value) {
        return new Options(url, scenario, duration, rate, concurrency, spike, maxErrorRate, requestTimeout, grace, value);
    }

    public boolean isOpenLoop() {
        return concurrency == 0;
    }

    /** The base rate of an open loop: the one given, or the scenario's default. */
    public double effectiveRate() {
        return rate > 0 ? rate : scenario.defaultRate();
    }

    /** One line saying what this run does, e.g. {@code cpu: open loop at 20.0 requests/s for 1m against http://...}. */
    public String describe() {
        String pacing;
        if (!isOpenLoop()) {
            pacing = "closed loop with " + concurrency + " in flight";
        } else {
            pacing = String.format(Locale.ROOT, "open loop at %.1f requests/s", effectiveRate());
            if (scenario == Scenario.SPIKE) {
                pacing += String.format(Locale.ROOT, ", bursts of %s at %.1fx every %s",
                        format(spike.length()), spike.factor(), format(spike.every()));
            }
        }
        return scenario.cliName() + ": " + pacing + " for " + format(duration) + " against " + url;
    }

    /** A duration as written on the command line: {@code 1h}, {@code 2m}, {@code 90s}, {@code 250ms}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
