package io.profilingkit.workshop.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The final summary the command line prints: a table per endpoint, the totals, and the verdict. */
final class Summary {

    private Summary() {
    }

    static String format(Report report) {
        Options options = report.options();
        List<Report.EndpointStats> rows = new ArrayList<>(report.endpoints().values());
        rows.add(report.total());
        int width = "endpoint".length();
        for (Report.EndpointStats row : rows) {
            width = Math.max(width, row.name().length());
        }
        StringBuilder out = new StringBuilder();
        out.append(options.describe()).append('\n');
        out.append(String.format(Locale.ROOT, "%-" + width + "s %9s %7s %10s %10s %10s %10s%n",
                "endpoint", "requests", "errors", "p50", "p90", "p99", "max"));
        for (Report.EndpointStats row : rows) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s %9d %7d %10s %10s %10s %10s%n",
                    row.name(), row.requests(), row.errors(), millis(row.percentileMillis(50)),
                    millis(row.percentileMillis(90)), millis(row.percentileMillis(99)), millis(row.maxMillis())));
        }
        out.append(options.isOpenLoop()
                ? "latency from when each request was due (open loop), answers of any status\n"
                : "latency from when each request was sent (closed loop), answers of any status\n");
        if (!report.errorCauses().isEmpty()) {
            StringBuilder causes = new StringBuilder();
            for (Map.Entry<String, Long> e : report.errorCauses().entrySet()) {
                causes.append(causes.length() == 0 ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue());
            }
            out.append("errors: ").append(causes).append('\n');
        }
        if (report.notSent() > 0) {
            out.append(String.format(Locale.ROOT, "not sent: %d requests of the schedule (the generator fell behind"
                    + " or found no free slot before the deadline)%n", report.notSent()));
        }
        if (report.unreachable()) {
            out.append(String.format(Locale.ROOT, "nothing answered at %s in the first %d s, so the run stopped there:"
                    + " is the service running (make run), and is the URL right?%n", options.url(),
                    LoadRun.UNREACHABLE_AFTER.toSeconds()));
        }
        out.append(String.format(Locale.ROOT, "%d requests in %.1fs (%.1f/s%s), %d errors (%.2f%%, at most %s allowed): %s%n",
                report.total().requests(), report.elapsed().toMillis() / 1000.0, report.throughput(),
                report.stoppedEarly() ? ", stopped early" : "",
                report.total().errors(), 100 * report.errorRate(), CommandLine.percent(options.maxErrorRate()),
                report.passed() ? "passed" : report.unreachable() ? "FAILED, nothing answered"
                        : "FAILED, error rate above --max-error-rate"));
        return out.toString();
    }

    /** {@code 12.3ms}, or {@code -} when there is nothing to show. */
    static String millis(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.1fms", ms);
    }
}
