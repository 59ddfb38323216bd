package io.profilingkit.workshop.primes;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.inject.Singleton;
import java.util.BitSet;

/** Counts primes below a limit, slowly (the workshop's hot function) or with a sieve (the fix). */
@Singleton
public class PrimeCounter {

    /**
     * The workshop's hot function: trial division of every candidate by every integer up to its
     * square root, with no memory of earlier results. Deliberately naive so it dominates a CPU
     * flame graph.
     */
    @WithSpan
    public int computePrimesSlow(int limit) {
        int count = 0;
        for (int candidate = 2; candidate < limit; candidate++) {
            if (isPrimeByTrialDivision(candidate)) {
                count++;
            }
        }
        return count;
    }

    private static boolean isPrimeByTrialDivision(int candidate) {
        for (int divisor = 2; (long) divisor * divisor <= candidate; divisor++) {
            if (candidate % divisor == 0) {
                return false;
            }
        }
        return true;
    }

    /** The optimised version: a sieve of Eratosthenes, a few milliseconds even at the maximum limit. */
    @WithSpan
    public int computePrimesSieve(int limit) {
        if (limit < 3) {
            return 0;
        }
        BitSet composite = new BitSet(limit);
        for (int p = 2; (long) p * p < limit; p++) {
            if (!composite.get(p)) {
                for (int multiple = p * p; multiple < limit; multiple += p) {
                    composite.set(multiple);
                }
            }
        }
        return limit - 2 - composite.cardinality();
    }
}
