package io.profilingkit.workshop.loadgen;

import java.util.Map;

/**
 * Picks endpoints in fixed proportions, spread evenly ("smooth weighted round robin", as in
 * nginx): with weights 6/5/5/2/1/1 every block of 20 picks holds exactly that many of each, so a
 * short run hits every endpoint of its scenario and two runs send the same sequence.
 * Not thread-safe: the dispatcher alone uses it.
 */
final class WeightedCycle {

    private final Endpoint[] endpoints;
    private final int[] weights;
    private final int[] current;
    private final int total;

    WeightedCycle(Map<Endpoint, Integer> weights) {
        this.endpoints = weights.keySet().toArray(new Endpoint[0]);
        this.weights = new int[endpoints.length];
        this.current = new int[endpoints.length];
        int sum = 0;
        for (int i = 0; i < endpoints.length; i++) {
            this.weights[i] = weights.get(endpoints[i]);
            sum += this.weights[i];
        }
        this.total = sum;
    }

    Endpoint next() {
        int best = 0;
        for (int i = 0; i < endpoints.length; i++) {
            current[i] += weights[i];
            if (current[i] > current[best]) {
                best = i;
            }
        }
        current[best] -= total;
        return endpoints[best];
    }
}
