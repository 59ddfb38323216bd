package io.profilingkit.workshop.hashing;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.profilingkit.workshop.api.WorkLimiter;

/** {@code GET /api/hash/{key}} (always recomputed) and {@code GET /api/hash_cached/{key}} (cached). */
@Controller("/api")
class HashController {

    private final HashService hashes;
    private final WorkLimiter limiter;

    HashController(HashService hashes, WorkLimiter limiter) {
        this.hashes = hashes;
        this.limiter = limiter;
    }

    @Get("/hash/{key}")
    @ExecuteOn(TaskExecutors.IO)
    HashResult hash(@PathVariable String key) {
        String valid = HashKey.validate("/api/hash", key);
        return limiter.run(WorkLimiter.Kind.CPU,
                () -> new HashResult(valid, hashes.expensiveHash(valid), hashes.rounds(), false));
    }

    @Get("/hash_cached/{key}")
    @ExecuteOn(TaskExecutors.IO)
    HashResult hashCached(@PathVariable String key) {
        String valid = HashKey.validate("/api/hash_cached", key);
        return limiter.run(WorkLimiter.Kind.CPU, () -> {
            HashService.Cached result = hashes.cachedHash(valid);
            return new HashResult(valid, result.hash(), hashes.rounds(), result.fromCache());
        });
    }

    /** {@code /api/hash/} and {@code /api/hash_cached/} without a key. */
    @Get("/hash")
    HashResult missingKey() {
        throw HashKey.missing("/api/hash");
    }

    @Get("/hash_cached")
    HashResult missingCachedKey() {
        throw HashKey.missing("/api/hash_cached");
    }

    /** The answer of both hash endpoints. */
    @Serdeable
    record HashResult(String key, String sha256, int rounds, boolean cached) {
    }
}
