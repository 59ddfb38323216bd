package io.profilingkit.workshop.bench;

import java.util.Locale;

/**
 * One figure the overhead benchmark measures per run, and how it is compared with the bare run:
 * as a ratio (throughput, latency, CPU), as a difference (startup, memory), or not at all (what
 * bare does not have: uploads, time to data).
 */
enum BenchMetric {
    STARTUP("startup_s", "start-up: process start to first 200", "s", 2, Compare.DIFFERENCE),
    FIRST_SPAN("first_span_s", "first span export, after start", "s", 1, Compare.NONE),
    FIRST_PROFILE("first_profile_s", "first profile upload, after start", "s", 1, Compare.NONE),
    RSS("rss_mb", "RSS after warm-up", "MB", 0, Compare.DIFFERENCE),
    HASH_THROUGHPUT("hash_rps", "throughput /api/hash/{key}, saturated", "req/s", 0, Compare.RATIO),
    HASH_CPU("hash_cpu_ms_per_req", "JVM CPU per request, /api/hash saturated", "ms", 2, Compare.RATIO),
    HEALTH_THROUGHPUT("health_rps", "throughput /health, saturated", "req/s", 0, Compare.RATIO),
    P50("p50_ms", "latency p50 at the fixed rate", "ms", 2, Compare.RATIO),
    P99("p99_ms", "latency p99 at the fixed rate", "ms", 2, Compare.BOTH),
    P999("p999_ms", "latency p99.9 at the fixed rate", "ms", 2, Compare.RATIO),
    CPU_PER_REQUEST("cpu_ms_per_req", "JVM CPU per request at the fixed rate", "ms", 2, Compare.RATIO),
    PROFILE_RATE("profile_kb_per_min", "profile upload at the fixed rate", "KB/min", 0, Compare.NONE),
    PROFILE_PER_DAY("profile_mb_per_day", "profile upload, 100 req/s for a day", "MB/day", 0, Compare.NONE),
    TRACE_RATE("trace_kb_per_min", "trace export at the fixed rate", "KB/min", 0, Compare.NONE),
    TRACE_PER_DAY("trace_mb_per_day", "trace export, 100 req/s for a day", "MB/day", 0, Compare.NONE),
    IDLE_CPU("idle_cpu_pct", "JVM CPU idle, after the load", "% core", 2, Compare.DIFFERENCE),
    ERRORS("errors", "failed requests, all phases", "", 0, Compare.NONE),
    OTHER_CPU("other_cpu_pct", "other processes' CPU during the run", "% core", 0, Compare.NONE);

    /** How a configuration's figure is set against bare's. */
    enum Compare { RATIO, DIFFERENCE, BOTH, NONE }

    private final String key;
    private final String label;
    private final String unit;
    private final int decimals;
    private final Compare compare;

    BenchMetric(String key, String label, String unit, int decimals, Compare compare) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.decimals = decimals;
        this.compare = compare;
    }

    /** The name in the JSON results, e.g. {@code p99_ms}. */
    String key() {
        return key;
    }

    String label() {
        return label;
    }

    String unit() {
        return unit;
    }

    Compare compare() {
        return compare;
    }

    /** Latency percentiles are taken over the requests of all rounds together, not as a median of rounds. */
    boolean pooled() {
        return this == P50 || this == P99 || this == P999;
    }

    /** Only measured for configurations that send traces (or profiles); "-" elsewhere. */
    boolean appliesTo(BenchConfig config) {
        return switch (this) {
            case FIRST_SPAN -> config.sendsTraces();
            case FIRST_PROFILE -> config.sendsProfiles();
            default -> true;
        };
    }

    /** The value with this metric's decimals, "-" for NaN. */
    String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
