package io.profilingkit.workshop.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedCycleTest {

    @Test
    void everyBlockOfTwentyMixedPicksHoldsExactlyTheWeights() {
        WeightedCycle cycle = new WeightedCycle(Scenario.MIXED.weights());

        for (int block = 0; block < 5; block++) {
            Map<Endpoint, Integer> counts = new EnumMap<>(Endpoint.class);
            for (int i = 0; i < 20; i++) {
                counts.merge(cycle.next(), 1, Integer::sum);
            }
            assertEquals(Map.of(Endpoint.PRIMES, 6, Endpoint.HASH, 5, Endpoint.HASH_CACHED, 5,
                    Endpoint.SLOW_IO, 2, Endpoint.ALLOC, 1, Endpoint.CONTENTION, 1), counts, "block " + block);
        }
    }
}
