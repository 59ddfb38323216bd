package io.profilingkit.springorders;

/** The report's own CPU work, after the repository call has returned. */
final class ReportMath {

    private ReportMath() {
    }

    /** The longest Collatz chain below {@code limit}: CPU only. */
    static long scoreOrders(long limit) {
        long best = 0;
        for (long start = 1; start < limit; start++) {
            long x = start;
            long steps = 0;
            while (x != 1) {
                x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
                steps++;
            }
            best = Math.max(best, steps);
        }
        return best;
    }
}
