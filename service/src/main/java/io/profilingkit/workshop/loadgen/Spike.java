package io.profilingkit.workshop.loadgen;

import java.time.Duration;

/**
 * The burst schedule of the {@code spike} scenario: in every period of {@code every}, the last
 * {@code length} runs at {@code factor} times the base rate. The first period is calm, so a
 * timeline shows the base load before the first burst.
 */
public record Spike(Duration every, Duration length, double factor) {

    /** A 10 s burst at 5x every 30 s. */
    public static final Spike DEFAULT = new Spike(Duration.ofSeconds(30), Duration.ofSeconds(10), 5);

    public Spike {
        if (every.toMillis() < 1000 || every.compareTo(Options.MAX_DURATION) > 0) {
            throw new IllegalArgumentException("--spike-every must be between 1s and 1h, got " + Options.format(every));
        }
        if (length.isNegative() || length.isZero() || length.compareTo(every) >= 0) {
            throw new IllegalArgumentException("--spike-length must be above 0 and shorter than --spike-every ("
                    + Options.format(every) + "), got " + Options.format(length));
        }
        if (!(factor >= 1 && factor <= 100)) {
            throw new IllegalArgumentException("--spike-factor must be between 1 and 100, got " + factor);
        }
    }

    /** The rate multiplier at {@code elapsedNanos} into the run. */
    double multiplierAt(long elapsedNanos) {
        long phase = elapsedNanos % every.toNanos();
        return phase >= every.toNanos() - length.toNanos() ? factor : 1;
    }
}
