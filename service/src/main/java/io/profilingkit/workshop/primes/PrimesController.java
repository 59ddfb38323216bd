package io.profilingkit.workshop.primes;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.profilingkit.workshop.api.Params;
import io.profilingkit.workshop.api.WorkLimiter;

/** {@code GET /api/primes?limit=N[&algorithm=slow|sieve]}: counts the primes below N. */
@Controller("/api/primes")
class PrimesController {

    static final int MIN_LIMIT = 2;

    private final PrimeCounter counter;
    private final WorkLimiter limiter;
    private final Algorithm defaultAlgorithm;
    private final int defaultLimit;
    private final int maxLimit;

    PrimesController(PrimeCounter counter, WorkLimiter limiter,
                     @Value("${workshop.primes.algorithm}") String defaultAlgorithm,
                     @Value("${workshop.primes.default-limit}") int defaultLimit,
                     @Value("${workshop.primes.max-limit}") int maxLimit) {
        this.counter = counter;
        this.limiter = limiter;
        this.defaultAlgorithm = Algorithm.valueOf(defaultAlgorithm.toUpperCase(java.util.Locale.ROOT));
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
    }

    @Get
    @ExecuteOn(TaskExecutors.IO)
    PrimesResult primes(@Nullable @QueryValue String limit, @Nullable @QueryValue String algorithm) {
        int n = Params.intInRange("limit", limit, defaultLimit, MIN_LIMIT, maxLimit);
        Algorithm chosen = Algorithm.parse(algorithm, defaultAlgorithm);
        return limiter.run(WorkLimiter.Kind.CPU, () -> {
            long start = System.nanoTime();
            int count = chosen == Algorithm.SLOW ? counter.computePrimesSlow(n) : counter.computePrimesSieve(n);
            return new PrimesResult(n, chosen.label(), count, (System.nanoTime() - start) / 1_000_000.0);
        });
    }

    /** The answer of {@code /api/primes}. */
    @Serdeable
    record PrimesResult(int limit, String algorithm, int primes, double elapsedMs) {
    }
}
