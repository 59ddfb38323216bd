package io.profilingkit.workshop.hashing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micronaut.context.annotation.Value;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** An expensive key derivation (many SHA-256 rounds), recomputed every time or served from a bounded cache. */
@Singleton
public class HashService {

    private final int rounds;
    private final Cache<String, String> cache;
    private final AtomicLong computations = new AtomicLong();

    HashService(@Value("${workshop.hash.rounds}") int rounds,
                @Value("${workshop.hash.cache-size}") long cacheSize,
                MeterRegistry registry) {
        this.rounds = rounds;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).recordStats().build();
        CaffeineCacheMetrics.monitor(registry, cache, "hash_cache");
    }

    /** The expensive path: {@code rounds} chained SHA-256 digests of the key, every call. */
    @WithSpan
    public String expensiveHash(String key) {
        computations.incrementAndGet();
        MessageDigest sha256 = sha256();
        byte[] digest = key.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < rounds; i++) {
            digest = sha256.digest(digest);
        }
        return HexFormat.of().formatHex(digest);
    }

    /** The same hash through the cache; the result says whether this call had to compute it. */
    @WithSpan
    public Cached cachedHash(String key) {
        boolean[] computed = {false};
        String hash = cache.get(key, k -> {
            computed[0] = true;
            return expensiveHash(k);
        });
        return new Cached(hash, !computed[0]);
    }

    public int rounds() {
        return rounds;
    }

    /** How many times the expensive hash ran since start. */
    public long computations() {
        return computations.get();
    }

    /** Entries in the cache after pending evictions are applied. */
    public long cachedEntries() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** A cached lookup's hash and whether it came from the cache. */
    public record Cached(String hash, boolean fromCache) {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
