package io.profilingkit.workshop.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The runs of one benchmark put together: the figure of each configuration (median of its rounds;
 * latency percentiles over all its fixed-rate requests), each set against bare from the same run,
 * the targets, how much the rounds differed; as a console table, Markdown and JSON.
 */
final class BenchSummary {

    /** The targets for full against bare (reported, never asserted). */
    static final double MIN_THROUGHPUT_RATIO = 0.97;
    static final double MAX_P99_RATIO = 1.10;
    static final double MAX_P99_DIFFERENCE_MS = 2;
    static final double MAX_STARTUP_DIFFERENCE_S = 1.5;
    static final double MAX_RSS_DIFFERENCE_MB = 150;
    static final double MAX_PROFILE_MB_PER_DAY = 100;

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HUMAN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final BenchPlan plan;
    private final List<BenchRun> runs;
    private final Map<String, Object> machine;
    private final Instant started;
    private final Instant finished;

    BenchSummary(BenchPlan plan, List<BenchRun> runs, Map<String, Object> machine, Instant started, Instant finished) {
        this.plan = plan;
        this.runs = List.copyOf(runs);
        this.machine = Map.copyOf(machine);
        this.started = started;
        this.finished = finished;
    }

    List<BenchRun> runs() {
        return runs;
    }

    List<BenchConfig> configs() {
        return plan.configs();
    }

    BenchConfig baseline() {
        return plan.configs().stream().filter(BenchConfig::isBaseline).findFirst().orElseThrow();
    }

    /** The configuration the targets are about: {@code full} if it ran, else the first fully instrumented one. */
    BenchConfig target() {
        return plan.configs().stream().filter(c -> c.name().equals("full")).findFirst()
                .or(() -> plan.configs().stream().filter(c -> c.instrumentation().equals("full")).findFirst())
                .orElse(null);
    }

    List<BenchRun> runsOf(BenchConfig config) {
        return runs.stream().filter(r -> r.config().name().equals(config.name())).toList();
    }

    /** Per-round values of {@code metric}, in round order. */
    List<Double> perRound(BenchConfig config, BenchMetric metric) {
        return runsOf(config).stream().map(r -> r.get(metric)).toList();
    }

    /** The configuration's figure: latency percentiles over all its rounds' requests, anything else the median of its rounds. */
    double value(BenchConfig config, BenchMetric metric) {
        if (metric.pooled()) {
            Histogram all = new Histogram(3);
            runsOf(config).forEach(r -> all.add(r.fixedLatency()));
            if (all.getTotalCount() == 0) {
                return Double.NaN;
            }
            double percentile = metric == BenchMetric.P50 ? 50 : metric == BenchMetric.P99 ? 99 : 99.9;
            return all.getValueAtPercentile(percentile) / 1000.0;
        }
        return median(perRound(config, metric));
    }

    double ratio(BenchConfig config, BenchMetric metric) {
        return value(config, metric) / value(baseline(), metric);
    }

    double difference(BenchConfig config, BenchMetric metric) {
        return value(config, metric) - value(baseline(), metric);
    }

    /** What a cell shows next to the value: {@code x0.97}, {@code +1.20}, both, or nothing. */
    String comparison(BenchConfig config, BenchMetric metric) {
        if (config.isBaseline() || Double.isNaN(value(config, metric))) {
            return "";
        }
        String ratio = String.format(Locale.ROOT, "x%.2f", ratio(config, metric));
        String diff = signed(metric, difference(config, metric));
        return switch (metric.compare()) {
            case RATIO -> ratio;
            case DIFFERENCE -> diff;
            case BOTH -> ratio + " " + diff;
            case NONE -> "";
        };
    }

    private static String signed(BenchMetric metric, double d) {
        String s = metric.format(Math.abs(d));
        boolean zero = s.chars().allMatch(ch -> ch == '0' || ch == '.');
        return (d < 0 && !zero ? "-" : "+") + s;
    }

    /** The main table: one row per figure, one column per configuration, values with their comparison to bare. */
    String table(boolean markdown) {
        return figureTable(String.format(Locale.ROOT, "figure (fixed rate %.0f req/s)", plan.fixedRate()), (c, m) -> {
            String cmp = comparison(c, m);
            return m.format(value(c, m)) + (cmp.isEmpty() ? "" : " (" + cmp + ")");
        }, markdown);
    }

    /** Every round's value of every figure, so the noise can be seen. */
    String roundsTable(boolean markdown) {
        return figureTable("figure, per round",
                (c, m) -> String.join(", ", perRound(c, m).stream().map(m::format).toList()), markdown);
    }

    /** One row per figure (its label and unit, then {@code cell} for each configuration). */
    private String figureTable(String corner, BiFunction<BenchConfig, BenchMetric, String> cell, boolean markdown) {
        List<String> header = new ArrayList<>();
        header.add(corner);
        configs().forEach(c -> header.add(c.name()));
        List<List<String>> rows = new ArrayList<>();
        for (BenchMetric m : BenchMetric.values()) {
            List<String> row = new ArrayList<>();
            row.add(m.label() + (m.unit().isEmpty() ? "" : " (" + m.unit() + ")"));
            for (BenchConfig c : configs()) {
                row.add(cell.apply(c, m));
            }
            rows.add(row);
        }
        return render(header, rows, markdown);
    }

    /** One of the targets and how this run did against it. */
    record Target(String what, String goal, String measured, boolean met, String perRound) {
    }

    /** The targets for {@link #target()} against bare; empty when no fully instrumented configuration ran. */
    List<Target> targets() {
        BenchConfig full = target();
        return full == null ? List.of() : targets(full);
    }

    /**
     * The configurations the targets are reported for: {@link #target()}, and the production preset
     * when it ran as well (the question being which targets it meets where the workshop's misses).
     */
    List<BenchConfig> targeted() {
        List<BenchConfig> out = new ArrayList<>();
        if (target() != null) {
            out.add(target());
        }
        configs().stream().filter(c -> c.name().equals(BenchConfig.PRODUCTION.name()) && !out.contains(c))
                .forEach(out::add);
        return out;
    }

    /** The targets for {@code full} against bare. */
    List<Target> targets(BenchConfig full) {
        List<Target> out = new ArrayList<>();
        double tput = ratio(full, BenchMetric.HASH_THROUGHPUT);
        out.add(new Target("throughput of the CPU endpoint", "at least x" + MIN_THROUGHPUT_RATIO,
                String.format(Locale.ROOT, "x%.3f", tput), tput >= MIN_THROUGHPUT_RATIO,
                paired(full, BenchMetric.HASH_THROUGHPUT, true)));
        double p99r = ratio(full, BenchMetric.P99);
        double p99d = difference(full, BenchMetric.P99);
        out.add(new Target(String.format(Locale.ROOT, "p99 at %.0f req/s", plan.fixedRate()),
                "at most x" + MAX_P99_RATIO + " and +" + (int) MAX_P99_DIFFERENCE_MS + " ms",
                String.format(Locale.ROOT, "x%.3f, %+.2f ms", p99r, p99d),
                p99r <= MAX_P99_RATIO && p99d <= MAX_P99_DIFFERENCE_MS, paired(full, BenchMetric.P99, true)));
        double startup = difference(full, BenchMetric.STARTUP);
        out.add(new Target("start-up", "at most +" + MAX_STARTUP_DIFFERENCE_S + " s",
                String.format(Locale.ROOT, "%+.2f s", startup), startup <= MAX_STARTUP_DIFFERENCE_S,
                paired(full, BenchMetric.STARTUP, false)));
        double rss = difference(full, BenchMetric.RSS);
        out.add(new Target("RSS after warm-up", "at most +" + (int) MAX_RSS_DIFFERENCE_MB + " MB",
                String.format(Locale.ROOT, "%+.0f MB", rss), rss <= MAX_RSS_DIFFERENCE_MB,
                paired(full, BenchMetric.RSS, false)));
        double perDay = value(full, BenchMetric.PROFILE_PER_DAY);
        out.add(new Target("profile upload at 100 req/s", "at most " + (int) MAX_PROFILE_MB_PER_DAY + " MB/day",
                String.format(Locale.ROOT, "%.0f MB/day", perDay), perDay <= MAX_PROFILE_MB_PER_DAY,
                String.join(", ", perRound(full, BenchMetric.PROFILE_PER_DAY).stream().map(BenchMetric.PROFILE_PER_DAY::format).toList())));
        return out;
    }

    /** The configuration against bare in each round ({@code x0.98, x0.96} or {@code +1.2, +1.4}). */
    private String paired(BenchConfig config, BenchMetric metric, boolean asRatio) {
        List<Double> mine = perRound(config, metric);
        List<Double> base = perRound(baseline(), metric);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(mine.size(), base.size()); i++) {
            out.add(asRatio ? String.format(Locale.ROOT, "x%.2f", mine.get(i) / base.get(i))
                    : signed(metric, mine.get(i) - base.get(i)));
        }
        return String.join(", ", out);
    }

    /** How far apart the rounds were: (max - min) / median of a figure, as a range over the configurations. */
    String noise() {
        if (plan.rounds() < 2) {
            return "one round only: no spread to report.";
        }
        List<String> parts = new ArrayList<>();
        for (BenchMetric m : List.of(BenchMetric.HASH_THROUGHPUT, BenchMetric.HEALTH_THROUGHPUT, BenchMetric.P99,
                BenchMetric.CPU_PER_REQUEST, BenchMetric.HASH_CPU, BenchMetric.STARTUP, BenchMetric.RSS,
                BenchMetric.IDLE_CPU)) {
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (BenchConfig c : configs()) {
                List<Double> xs = perRound(c, m).stream().filter(x -> !Double.isNaN(x)).toList();
                if (xs.size() < 2) {
                    continue;
                }
                double spread = (xs.stream().mapToDouble(x -> x).max().orElseThrow()
                        - xs.stream().mapToDouble(x -> x).min().orElseThrow()) / median(xs) * 100;
                lo = Math.min(lo, spread);
                hi = Math.max(hi, spread);
            }
            if (hi > 0 || lo == 0) {
                parts.add(String.format(Locale.ROOT, "%s %.0f-%.0f%%", shortName(m), lo, hi));
            }
        }
        List<Double> others = runs.stream().map(r -> r.get(BenchMetric.OTHER_CPU)).toList();
        return "spread of the rounds ((max - min) / median, lowest and highest over the configurations): "
                + String.join(", ", parts) + String.format(Locale.ROOT,
                ". Other processes used %.0f%% of a core in the median run, %.0f%% at most.",
                median(others), others.stream().mapToDouble(x -> x).max().orElse(0));
    }

    private static String shortName(BenchMetric m) {
        return switch (m) {
            case HASH_THROUGHPUT -> "/api/hash throughput";
            case HEALTH_THROUGHPUT -> "/health throughput";
            case P99 -> "p99";
            case CPU_PER_REQUEST -> "CPU per request at the fixed rate";
            case HASH_CPU -> "CPU per request saturated";
            case STARTUP -> "start-up";
            case RSS -> "RSS";
            case IDLE_CPU -> "idle CPU";
            default -> m.key();
        };
    }

    String machineLine() {
        return String.format(Locale.ROOT, "%s, %s cores (nproc), %s; service on %s; load generator and sinks in one %s on the same machine",
                HUMAN_TIME.format(started), machine.get("nproc"), machine.get("cpu"), machine.get("service_jdk"),
                machine.get("bench_jvm"));
    }

    String planLine() {
        return String.format(Locale.ROOT, "%d round%s of %s, alternating; per start: time to first span at %.0f req/s (%s-%s s),"
                        + " warm-up %s s closed loop of %d, fixed rate %.0f req/s for %s s (longer until a whole profile upload"
                        + " window fits), /api/hash saturated %s s and /health %s s (closed loop of %d). Took %s.",
                plan.rounds(), plan.rounds() == 1 ? "" : "s", configs().stream().map(BenchConfig::name).toList(),
                plan.firstDataRate(), plan.firstDataMin().toSeconds(), plan.firstDataMax().toSeconds(),
                plan.warmup().toSeconds(), plan.concurrency(), plan.fixedRate(), plan.fixed().toSeconds(),
                plan.saturation().toSeconds(), plan.healthSaturation().toSeconds(), plan.concurrency(),
                minutes(Duration.between(started, finished)));
    }

    void print(PrintStream out) {
        out.println();
        out.println("== " + (plan.indicative() ? plan.mode().toUpperCase(Locale.ROOT) + " MODE (indicative only): " : "")
                + "overhead against bare, same run: " + machineLine());
        out.println(planLine());
        out.println("Medians of the rounds (latency: over all rounds' requests); in brackets x ratio or + difference to bare.");
        out.println();
        out.print(table(false));
        out.println();
        for (BenchConfig c : targeted()) {
            out.println("Targets, " + c.name() + " against bare (reported, not asserted):");
            for (Target t : targets(c)) {
                out.printf(Locale.ROOT, "  %-4s %-32s %-22s goal %s; per round %s%n", t.met() ? "met" : "MISS",
                        t.what(), t.measured(), t.goal(), t.perRound());
            }
        }
        hookLine().ifPresent(out::println);
        out.println();
        out.println("Noise: " + noise());
    }

    /**
     * What the virtual-thread hook costs, when both {@code virtual} and {@code virtual-no-hook} ran:
     * the one against the other, same run (reported, not asserted).
     */
    Optional<String> hookLine() {
        Optional<BenchConfig> on = configs().stream().filter(c -> c.name().equals(BenchConfig.VIRTUAL.name())).findFirst();
        Optional<BenchConfig> off = configs().stream().filter(c -> c.name().equals(BenchConfig.VIRTUAL_NO_HOOK.name())).findFirst();
        if (on.isEmpty() || off.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "Virtual-thread hook, virtual against virtual-no-hook (same run):"
                        + " throughput x%.3f, CPU per request x%.3f, p99 x%.2f",
                value(on.get(), BenchMetric.HASH_THROUGHPUT) / value(off.get(), BenchMetric.HASH_THROUGHPUT),
                value(on.get(), BenchMetric.HASH_CPU) / value(off.get(), BenchMetric.HASH_CPU),
                value(on.get(), BenchMetric.P99) / value(off.get(), BenchMetric.P99)));
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Overhead benchmark: ").append(plan.mode()).append(" mode").append('\n').append('\n');
        if (plan.indicative()) {
            md.append("**").append(plan.mode()).append(" mode: fewer configurations and rounds, shorter phases."
                    + " Indicative only; `make bench` gives the real figures.**\n\n");
        }
        md.append("Measured ").append(machineLine()).append(".\n\n");
        md.append(planLine()).append("\n\n");
        md.append("Medians of the rounds (latency percentiles: over all rounds' fixed-rate requests together);"
                + " in brackets the ratio (x) or difference (+/-) to bare from the same run.\n\n");
        md.append(table(true)).append('\n');
        hookLine().ifPresent(line -> md.append(line).append(".\n\n"));
        for (BenchConfig c : targeted()) {
            md.append("## Targets: ").append(c.name()).append(" against bare\n\n");
            md.append("Reported, not asserted.\n\n");
            md.append("| target | goal | measured | per round | |\n|---|---|---|---|---|\n");
            for (Target t : targets(c)) {
                md.append("| ").append(t.what()).append(" | ").append(t.goal()).append(" | ").append(t.measured())
                        .append(" | ").append(t.perRound()).append(" | ").append(t.met() ? "met" : "**missed**").append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Noise\n\n").append(noise()).append("\n\n");
        md.append(roundsTable(true)).append('\n');
        md.append("## Configurations\n\n");
        for (BenchConfig c : configs()) {
            md.append("- `").append(c.name()).append("`: ").append(c.description()).append(" (")
                    .append(c.with(plan.extraEnv()).env()).append(")\n");
        }
        return md.toString();
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", started.toString());
        root.put("mode", plan.mode());
        root.put("indicative", plan.indicative());
        root.put("duration_s", Duration.between(started, finished).toSeconds());
        root.put("machine", machine);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rounds", plan.rounds());
        p.put("fixed_rate", plan.fixedRate());
        p.put("fixed_s", plan.fixed().toMillis() / 1000.0);
        p.put("warmup_s", plan.warmup().toMillis() / 1000.0);
        p.put("saturation_s", plan.saturation().toMillis() / 1000.0);
        p.put("health_saturation_s", plan.healthSaturation().toMillis() / 1000.0);
        p.put("concurrency", plan.concurrency());
        p.put("first_data_rate", plan.firstDataRate());
        p.put("extra_env", plan.extraEnv());
        root.put("plan", p);
        List<Object> configs = new ArrayList<>();
        for (BenchConfig c : configs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("description", c.description());
            m.put("env", c.with(plan.extraEnv()).env());
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Object> vsBare = new LinkedHashMap<>();
            for (BenchMetric metric : BenchMetric.values()) {
                values.put(metric.key(), value(c, metric));
                if (!c.isBaseline() && metric.compare() != BenchMetric.Compare.NONE) {
                    vsBare.put(metric.key() + "_ratio", ratio(c, metric));
                    vsBare.put(metric.key() + "_difference", difference(c, metric));
                }
            }
            m.put("summary", values);
            if (!c.isBaseline()) {
                m.put("against_bare", vsBare);
            }
            configs.add(m);
        }
        root.put("configurations", configs);
        List<Object> targets = new ArrayList<>();
        for (BenchConfig c : targeted()) {
            for (Target t : targets(c)) {
                targets.add(Map.of("config", c.name(), "target", t.what(), "goal", t.goal(), "measured", t.measured(),
                        "met", t.met(), "per_round", t.perRound()));
            }
        }
        root.put("targets", targets);
        List<Object> rs = new ArrayList<>();
        for (BenchRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("round", r.round());
            m.put("config", r.config().name());
            Map<String, Object> values = new LinkedHashMap<>();
            r.values().forEach((k, v) -> values.put(k.key(), v));
            m.put("values", values);
            m.put("details", r.details());
            rs.add(m);
        }
        root.put("runs", rs);
        return toJson(root, "") + "\n";
    }

    /**
     * Writes {@code results/<time>.json} and {@code .md} under {@code benchDir}, and, when
     * {@code latest}, the Markdown to {@code latest.md} too.
     */
    List<Path> write(Path benchDir, boolean latest) throws IOException {
        Path results = benchDir.resolve("results");
        Files.createDirectories(results);
        String name = FILE_TIME.format(started) + (plan.mode().equals("full") ? "" : "-" + plan.mode());
        Path json = results.resolve(name + ".json");
        Path md = results.resolve(name + ".md");
        Files.writeString(json, json());
        String markdown = markdown();
        Files.writeString(md, markdown);
        List<Path> written = new ArrayList<>(List.of(json, md));
        if (latest) {
            Path latestMd = benchDir.resolve("latest.md");
            Files.writeString(latestMd, markdown);
            written.add(latestMd);
        }
        return written;
    }

    static double median(Collection<Double> values) {
        List<Double> xs = values.stream().filter(x -> !Double.isNaN(x)).sorted().toList();
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        int n = xs.size();
        return n % 2 == 1 ? xs.get(n / 2) : (xs.get(n / 2 - 1) + xs.get(n / 2)) / 2;
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    private static String render(List<String> header, List<List<String>> rows, boolean markdown) {
        StringBuilder sb = new StringBuilder();
        if (markdown) {
            Function<List<String>, String> line = cells -> "| " + String.join(" | ", cells) + " |\n";
            sb.append(line.apply(header));
            List<String> rule = new ArrayList<>();
            rule.add("---");
            for (int i = 1; i < header.size(); i++) {
                rule.add("---:");
            }
            sb.append(line.apply(rule));
            rows.forEach(r -> sb.append(line.apply(r.stream().map(c -> c.replace("|", "\\|")).toList())));
            return sb.toString();
        }
        int[] width = new int[header.size()];
        for (List<String> r : concat(header, rows)) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : concat(header, rows)) {
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                sb.append(i == 0 ? cell + " ".repeat(width[0] - cell.length()) : "  " + " ".repeat(width[i] - cell.length()) + cell);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    /** A small JSON writer: maps, lists, strings, numbers (NaN as null), booleans. */
    static String toJson(Object value, String indent) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return "{}";
            }
            String inner = indent + "  ";
            List<String> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(inner + quote(String.valueOf(k)) + ": " + toJson(v, inner)));
            return "{\n" + String.join(",\n", entries) + "\n" + indent + "}";
        }
        if (value instanceof Collection<?> list) {
            if (list.isEmpty()) {
                return "[]";
            }
            String inner = indent + "  ";
            List<String> items = new ArrayList<>();
            list.forEach(v -> items.add(inner + toJson(v, inner)));
            return "[\n" + String.join(",\n", items) + "\n" + indent + "]";
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "null";
            }
            return new BigDecimal(d).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Float f) {
            return toJson(f.doubleValue(), indent);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return quote(value.toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
