package io.profilingkit.workshop.primes;

import io.micronaut.core.annotation.Nullable;
import io.profilingkit.workshop.api.ApiException;
import io.profilingkit.workshop.api.Params;
import java.util.Arrays;
import java.util.Locale;

/** How {@code /api/primes} counts: the naive hot function or the sieve. */
public enum Algorithm {
    SLOW, SIEVE;

    /**
     * Parses a request parameter, falling back to the configured default when absent. Only the two
     * lower-case names of the docs are accepted ({@code SIEVE} is refused like any other word).
     */
    static Algorithm parse(@Nullable String raw, Algorithm fallback) {
        if (raw == null) {
            return fallback;
        }
        return Arrays.stream(values())
                .filter(a -> a.label().equals(raw))
                .findFirst()
                .orElseThrow(() -> ApiException.badParameter("algorithm",
                        "algorithm must be 'slow' or 'sieve', got '" + Params.echo(raw) + "'"));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
