package io.profilingkit.workshop.bench;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one start of one configuration measured.
 *
 * @param config       the configuration
 * @param round        which round, from 1
 * @param values       every {@link BenchMetric}; NaN where it does not apply (first span of bare)
 *                     or could not be measured
 * @param fixedLatency latencies of the fixed-rate phase in microseconds, to pool across rounds
 * @param details      raw counts behind the figures (bytes, requests, durations), for the JSON
 */
record BenchRun(BenchConfig config, int round, Map<BenchMetric, Double> values, Histogram fixedLatency,
                Map<String, Object> details) {

    BenchRun {
        EnumMap<BenchMetric, Double> all = new EnumMap<>(BenchMetric.class);
        for (BenchMetric m : BenchMetric.values()) {
            all.put(m, values.getOrDefault(m, Double.NaN));
        }
        values = Collections.unmodifiableMap(all);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    double get(BenchMetric metric) {
        return values.get(metric);
    }
}
