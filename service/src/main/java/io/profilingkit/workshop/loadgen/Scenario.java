package io.profilingkit.workshop.loadgen;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What traffic a run sends: which endpoints, in which proportions, and at which rate by default.
 *
 * <p>The default rates keep a laptop busy enough for clear profiles (a few tenths of a core for
 * the CPU scenarios) without reaching the service's limit of 16 concurrent CPU workloads.
 */
public enum Scenario {
    MIXED("every endpoint, mostly primes and hashing, some slow_io, alloc and contention", 20, mixedWeights()),
    CPU("/api/primes: the hot function", 20, Map.of(Endpoint.PRIMES, 1)),
    CACHED("/api/hash_cached over the keys test_0..test_4", 50, Map.of(Endpoint.HASH_CACHED, 1)),
    UNCACHED("/api/hash over the same keys, recomputed every time", 50, Map.of(Endpoint.HASH, 1)),
    IO("/api/slow_io: waiting, not computing", 20, Map.of(Endpoint.SLOW_IO, 1)),
    ALLOC("/api/alloc: allocation churn", 10, Map.of(Endpoint.ALLOC, 1)),
    LOCK("/api/contention: threads waiting for one lock", 2, Map.of(Endpoint.CONTENTION, 1)),
    SPIKE("the mixed traffic at a low base rate, with bursts on a schedule", 5, mixedWeights()),
    HEALTH("/health: no work, what any request costs", 50, Map.of(Endpoint.HEALTH, 1));

    private final String description;
    private final double defaultRate;
    private final Map<Endpoint, Integer> weights;

    Scenario(String description, double defaultRate, Map<Endpoint, Integer> weights) {
        this.description = description;
        this.defaultRate = defaultRate;
        this.weights = Collections.unmodifiableMap(new EnumMap<>(weights));
    }

    /** One cycle of 20 requests: 6 primes, 5 hash, 5 hash_cached, 2 slow_io, 1 alloc, 1 contention. */
    private static Map<Endpoint, Integer> mixedWeights() {
        return Map.of(Endpoint.PRIMES, 6, Endpoint.HASH, 5, Endpoint.HASH_CACHED, 5,
                Endpoint.SLOW_IO, 2, Endpoint.ALLOC, 1, Endpoint.CONTENTION, 1);
    }

    /** The name on the command line, e.g. {@code uncached}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** Requests per second when neither a rate nor a concurrency is given. */
    public double defaultRate() {
        return defaultRate;
    }

    /** Relative share of each endpoint; every endpoint of the scenario is hit once per cycle at least. */
    public Map<Endpoint, Integer> weights() {
        return weights;
    }

    public Set<Endpoint> endpoints() {
        return weights.keySet();
    }

    /** The scenario called {@code name} on the command line. */
    public static Scenario fromCliName(String name) {
        for (Scenario s : values()) {
            if (s.cliName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "', expected one of " + cliNames());
    }

    static String cliNames() {
        StringBuilder names = new StringBuilder();
        for (Scenario s : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(s.cliName());
        }
        return names.toString();
    }
}
