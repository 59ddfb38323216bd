package io.profilingkit.workshop.loadgen;

import java.util.function.LongFunction;

/**
 * The service's endpoints as the load generator calls them. Each is named by its route template,
 * the {@code uri} tag the service puts on {@code http_server_requests_seconds}, so the summary and
 * the dashboards speak of the same thing.
 *
 * <p>Only defaults are sent, never {@code algorithm}: which prime algorithm runs is the service's
 * setting, so the same load measures "before" and "after" an optimisation.
 */
public enum Endpoint {
    PRIMES("/api/primes", n -> "/api/primes"),
    HASH("/api/hash/{key}", n -> "/api/hash/" + key(n)),
    HASH_CACHED("/api/hash_cached/{key}", n -> "/api/hash_cached/" + key(n)),
    SLOW_IO("/api/slow_io", n -> "/api/slow_io"),
    ALLOC("/api/alloc", n -> "/api/alloc"),
    CONTENTION("/api/contention", n -> "/api/contention"),
    /** The health check: no work at all, the floor of what a request costs (the overhead benchmark's trivial endpoint). */
    HEALTH("/health", n -> "/health");

    /** The workshop's keys, {@code test_$((i % 5))}: few enough that the cache always hits after warm-up. */
    static final int KEYS = 5;

    private final String route;
    private final LongFunction<String> path;

    Endpoint(String route, LongFunction<String> path) {
        this.route = route;
        this.path = path;
    }

    /** The route template, e.g. {@code /api/hash/{key}}. */
    public String route() {
        return route;
    }

    /** Path and query of this endpoint's {@code n}-th call (from 0). */
    public String path(long n) {
        return path.apply(n);
    }

    private static String key(long n) {
        return "test_" + (n % KEYS);
    }
}
