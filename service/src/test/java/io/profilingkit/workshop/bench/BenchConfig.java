package io.profilingkit.workshop.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way of starting the service in the overhead benchmark: a name and the environment given to
 * {@code run-instrumented.sh} on top of its shipped defaults.
 *
 * @param name        short name, e.g. {@code full-no-wall}
 * @param description what it is, in words
 * @param env         variables for {@code run-instrumented.sh}
 */
record BenchConfig(String name, String description, Map<String, String> env) {

    static final BenchConfig BARE = new BenchConfig("bare", "no agent (INSTRUMENTATION=none)",
            Map.of("INSTRUMENTATION", "none"));
    static final BenchConfig TRACES = new BenchConfig("traces", "OpenTelemetry agent alone (INSTRUMENTATION=traces)",
            Map.of("INSTRUMENTATION", "traces"));
    static final BenchConfig PROFILES = new BenchConfig("profiles", "Pyroscope agent alone, wall-clock on (INSTRUMENTATION=profiles)",
            Map.of("INSTRUMENTATION", "profiles"));
    static final BenchConfig FULL = new BenchConfig("full", "the OpenTelemetry agent and the span-profile extension (which starts the profiler), shipped defaults (wall-clock on)",
            Map.of("INSTRUMENTATION", "full"));
    static final BenchConfig FULL_NO_WALL = new BenchConfig("full-no-wall", "full with PROFILING_WALL_CLOCK=off",
            Map.of("INSTRUMENTATION", "full", "PROFILING_WALL_CLOCK", "off"));

    static final BenchConfig PRODUCTION = new BenchConfig("production",
            "the OpenTelemetry agent and the extension, TELEMETRY_PRESET=production (10% of traces, no wall clock, alloc 2 MiB, uploads every 30 s)",
            Map.of("INSTRUMENTATION", "full", "TELEMETRY_PRESET", "production"));

    /** The demo's workloads on virtual threads (Micronaut's own setting), with the extension's virtual-thread hook. */
    static final BenchConfig VIRTUAL = new BenchConfig("virtual",
            "full with the workloads on virtual threads (MICRONAUT_EXECUTORS_IO_VIRTUAL=true), the extension's virtual-thread hook on",
            Map.of("INSTRUMENTATION", "full", "MICRONAUT_EXECUTORS_IO_VIRTUAL", "true"));
    /** The same without the hook: what the hook costs is virtual against this, in the same run. */
    static final BenchConfig VIRTUAL_NO_HOOK = new BenchConfig("virtual-no-hook",
            "virtual with the hook off (OTEL_INSTRUMENTATION_SPAN_PROFILES_VIRTUAL_THREADS_ENABLED=false)",
            Map.of("INSTRUMENTATION", "full", "MICRONAUT_EXECUTORS_IO_VIRTUAL", "true",
                    "OTEL_INSTRUMENTATION_SPAN_PROFILES_VIRTUAL_THREADS_ENABLED", "false"));

    /** What {@code make bench} runs. */
    static final List<BenchConfig> STANDARD = List.of(BARE, TRACES, PROFILES, FULL, FULL_NO_WALL, PRODUCTION);
    /**
     * Every configuration with a name: the standard ones and the virtual-thread pair, which runs on its
     * own ({@code make bench-virtual}: bare, virtual, virtual-no-hook).
     */
    static final List<BenchConfig> NAMED = List.of(BARE, TRACES, PROFILES, FULL, FULL_NO_WALL, PRODUCTION, VIRTUAL,
            VIRTUAL_NO_HOOK);

    BenchConfig {
        if (!name.matches("[a-z0-9][a-z0-9._+-]*")) {
            throw new IllegalArgumentException("a configuration name is lower-case letters, digits and ._+-, got '" + name + "'");
        }
        env = Map.copyOf(env);
    }

    /** The agents {@code INSTRUMENTATION} selects (the script's default is full). */
    String instrumentation() {
        return env.getOrDefault("INSTRUMENTATION", "full");
    }

    boolean sendsTraces() {
        return instrumentation().equals("full") || instrumentation().equals("traces");
    }

    boolean sendsProfiles() {
        return instrumentation().equals("full") || instrumentation().equals("profiles");
    }

    boolean isBaseline() {
        return instrumentation().equals("none");
    }

    /** This configuration with {@code extra} on top of its environment. */
    BenchConfig with(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(extra);
        return new BenchConfig(name, description, merged);
    }

    /** One of the named configurations by name. */
    static BenchConfig standard(String name) {
        return NAMED.stream().filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown configuration '" + name + "', expected one of "
                        + NAMED.stream().map(BenchConfig::name).toList()
                        + " or a custom one written name|VAR=value|VAR=value"));
    }

    /**
     * A configuration from the command line: a standard name, or {@code name|VAR=value|VAR=value}
     * (e.g. {@code full-cds|INSTRUMENTATION=full|JAVA_OPTS=-XX:SharedArchiveFile=/tmp/a.jsa}).
     */
    static BenchConfig parse(String spec) {
        if (!spec.contains("|")) {
            return standard(spec);
        }
        String[] parts = spec.split("\\|");
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected VAR=value in '" + spec + "', got '" + parts[i] + "'");
            }
            env.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return new BenchConfig(parts[0], "custom: " + String.join(" ", parts).substring(parts[0].length()).trim(), env);
    }
}
