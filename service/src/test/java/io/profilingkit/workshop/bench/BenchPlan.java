package io.profilingkit.workshop.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run does: which configurations, how many rounds, how long each phase lasts.
 *
 * <p>Each round starts every configuration once, in turn (the order rotates from round to round),
 * and takes it through the same phases:
 * <ol>
 * <li>start, time to the first 200 of {@code /health};</li>
 * <li>configurations that send traces: {@code /api/hash} at {@link #firstDataRate} from the first
 *     200 on, until the first span export arrives (at least {@link #firstDataMin}, at most
 *     {@link #firstDataMax}): a first request and the shipped batch delay, not a full batch;</li>
 * <li>warm-up: {@code /api/hash} in a closed loop for {@link #warmup}; then RSS;</li>
 * <li>fixed rate: {@code /api/hash} in an open loop at {@link #fixedRate} for {@link #fixed}; with
 *     {@link #wholeProfileWindow}, longer (up to two upload intervals in all) for configurations that
 *     send profiles, until one whole profile upload window lies inside the phase: latency, CPU per
 *     request, bytes per minute;</li>
 * <li>saturation: {@code /api/hash} in a closed loop of {@link #concurrency} for {@link #saturation},
 *     then {@code /health} the same way for {@link #healthSaturation}: throughput;</li>
 * <li>idle: no request for {@link #IDLE_SETTLE} (the last compilations and batches), then the
 *     service's CPU over {@link #idle(BenchConfig)}: what the agents cost a service that does
 *     nothing (sampling, uploads, exporter ticks).</li>
 * </ol>
 *
 * @param mode               {@code full}, {@code quick}, or a name for a custom run
 * @param wholeProfileWindow measure profile bytes on whole upload windows inside the fixed-rate
 *                           phase (stretching it); without, the windows overlapping the phase are
 *                           prorated, and those overlapping the phases around it count their samples too
 * @param extraEnv           set on every configuration (on top of the shipped defaults)
 * @param indicative         too short to be more than a sanity check; says so in its output
 * @param warmupStart        started once before the first round, not measured (in quick mode with
 *                           2 s phases)
 *                           (warms this JVM: load generator, sinks), or null
 * @param idle               how long the service's idle CPU is measured (at least one upload
 *                           interval for configurations that send profiles, except in the indicative modes)
 */
record BenchPlan(String mode, List<BenchConfig> configs, int rounds, double firstDataRate, Duration firstDataMin,
                 Duration firstDataMax, Duration warmup, double fixedRate, Duration fixed, boolean wholeProfileWindow,
                 int concurrency, Duration saturation, Duration healthSaturation, Map<String, String> extraEnv,
                 boolean indicative, BenchConfig warmupStart, Duration idle) {

    /** Between the last request and the idle measurement: the last batches and compilations settle. */
    static final Duration IDLE_SETTLE = Duration.ofSeconds(5);

    /** The rate the upload volumes are extrapolated to (MB/day at this many requests per second). */
    static final double REFERENCE_RATE = 100;

    BenchPlan {
        configs = List.copyOf(configs);
        extraEnv = Map.copyOf(extraEnv);
        if (configs.isEmpty() || configs.stream().noneMatch(BenchConfig::isBaseline)) {
            throw new IllegalArgumentException("the configurations must include the bare baseline (INSTRUMENTATION=none)");
        }
        if (configs.stream().map(BenchConfig::name).distinct().count() != configs.size()) {
            throw new IllegalArgumentException("two configurations have the same name");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1");
        }
    }

    /** {@code make bench}: every configuration, three rounds; about 8 minutes on 2 cores. */
    static BenchPlan full() {
        return new BenchPlan("full", BenchConfig.STANDARD, 3, 10, Duration.ofSeconds(2), Duration.ofSeconds(7),
                Duration.ofSeconds(3), REFERENCE_RATE, Duration.ofSeconds(10), true, 8, Duration.ofSeconds(5),
                Duration.ofSeconds(4), Map.of(), false, BenchConfig.FULL, Duration.ofSeconds(10));
    }

    /** {@code make bench-quick}: bare and full only, two rounds, short phases: indicative, about 1.5 minutes. */
    static BenchPlan quick() {
        return new BenchPlan("quick", List.of(BenchConfig.BARE, BenchConfig.FULL), 2, 10, Duration.ofSeconds(1),
                Duration.ofSeconds(7), Duration.ofSeconds(2), REFERENCE_RATE, Duration.ofSeconds(4), true, 8,
                Duration.ofSeconds(3), Duration.ofSeconds(3), Map.of(), true, BenchConfig.BARE, Duration.ofSeconds(5));
    }

    /**
     * The machinery in seconds, for the test that keeps it from rotting: bare and full, one round,
     * tiny phases, and the short test intervals so that data arrives at once (its time-to-data
     * figures are therefore not the shipped ones).
     */
    static BenchPlan smoke() {
        return new BenchPlan("smoke", List.of(BenchConfig.BARE, BenchConfig.FULL), 1, 10, Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(2), 50, Duration.ofSeconds(3), true, 4,
                Duration.ofSeconds(2), Duration.ofSeconds(2),
                Map.of("PYROSCOPE_UPLOAD_INTERVAL", "2s", "OTEL_BSP_SCHEDULE_DELAY", "200"), true, null, Duration.ofSeconds(2));
    }

    BenchPlan withConfigs(List<BenchConfig> value) {
        return new BenchPlan(mode, value, rounds, firstDataRate, firstDataMin, firstDataMax, warmup, fixedRate, fixed,
                wholeProfileWindow, concurrency, saturation, healthSaturation, extraEnv, indicative, warmupStart, idle);
    }

    BenchPlan withRounds(int value) {
        return new BenchPlan(mode, configs, value, firstDataRate, firstDataMin, firstDataMax, warmup, fixedRate, fixed,
                wholeProfileWindow, concurrency, saturation, healthSaturation, extraEnv, indicative, warmupStart, idle);
    }

    BenchPlan withExtraEnv(Map<String, String> value) {
        return new BenchPlan(mode, configs, rounds, firstDataRate, firstDataMin, firstDataMax, warmup, fixedRate, fixed,
                wholeProfileWindow, concurrency, saturation, healthSaturation, value, indicative, warmupStart, idle);
    }

    BenchPlan withMode(String value) {
        return new BenchPlan(value, configs, rounds, firstDataRate, firstDataMin, firstDataMax, warmup, fixedRate, fixed,
                wholeProfileWindow, concurrency, saturation, healthSaturation, extraEnv, indicative, warmupStart, idle);
    }

    /** The same plan with other phase lengths (the /health saturation as long as the /api/hash one). */
    BenchPlan withPhases(Duration warmupValue, Duration fixedValue, Duration saturationValue) {
        return new BenchPlan(mode, configs, rounds, firstDataRate, firstDataMin, firstDataMax, warmupValue, fixedRate,
                fixedValue, wholeProfileWindow, concurrency, saturationValue, saturationValue, extraEnv, indicative,
                warmupStart, idle);
    }

    BenchPlan withWholeProfileWindow(boolean value) {
        return new BenchPlan(mode, configs, rounds, firstDataRate, firstDataMin, firstDataMax, warmup, fixedRate, fixed,
                value, concurrency, saturation, healthSaturation, extraEnv, indicative, warmupStart, idle);
    }

    /**
     * The upload interval of the profiles ({@code PYROSCOPE_UPLOAD_INTERVAL}; shipped 10 s, 30 s in
     * the production preset, as {@code run-instrumented.sh} sets them).
     */
    Duration uploadInterval(BenchConfig config) {
        Map<String, String> env = config.with(extraEnv).env();
        String preset = "production".equals(env.get("TELEMETRY_PRESET")) ? "30s" : "10s";
        String value = env.getOrDefault("PYROSCOPE_UPLOAD_INTERVAL", preset);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        if (value.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        return Duration.ofSeconds(10);
    }

    /** How long {@code config}'s idle CPU is measured: {@link #idle}, or one whole upload interval if longer. */
    Duration idle(BenchConfig config) {
        if (indicative || !config.sendsProfiles()) {
            return idle;
        }
        Duration upload = uploadInterval(config);
        return upload.compareTo(idle) > 0 ? upload : idle;
    }

    /** A rough estimate of the whole run, for the first progress line. */
    Duration estimate() {
        long seconds = warmupStart == null ? 0 : 25;
        for (BenchConfig c : configs) {
            long run = 3 + warmup.toSeconds() + fixed.toSeconds() + saturation.toSeconds() + healthSaturation.toSeconds() + 2
                    + IDLE_SETTLE.toSeconds() + idle(c).toSeconds();
            if (c.sendsTraces()) {
                run += Math.max(firstDataMin.toSeconds(), 4);
            }
            if (c.sendsProfiles() && wholeProfileWindow) {
                run += Math.max(0, uploadInterval(c).toSeconds() * 3 / 2 + 2 - fixed.toSeconds());
            }
            seconds += run;
        }
        return Duration.ofSeconds(seconds * rounds);
    }
}
