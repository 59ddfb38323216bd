package io.profilingkit.workshop.bench;

import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import io.profilingkit.workshop.backends.InstrumentedService;
import io.profilingkit.workshop.backends.ContainerJdk;
import io.profilingkit.workshop.loadgen.LoadRun;
import io.profilingkit.workshop.loadgen.Options;
import io.profilingkit.workshop.loadgen.Report;
import io.profilingkit.workshop.loadgen.Scenario;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The overhead and time-to-data benchmark ({@code make bench}, {@code make bench-quick}): starts
 * the built service bare, with each agent alone and fully instrumented, one configuration after
 * the other and round after round, through {@code run-instrumented.sh} with its shipped settings,
 * the instrumented ones exporting to sinks in this JVM that accept and count everything. See
 * {@code bench/README.md} for what each figure means and how it is taken, and {@link BenchPlan}
 * for the phases.
 *
 * <p>Arguments: {@code full} (default) or {@code quick}; {@code --rounds N};
 * {@code --configs bare,full,...} (standard names, or custom ones written
 * {@code name|VAR=value|VAR=value}, separated by {@code ;} then); {@code --env VAR=value} (on every
 * configuration, repeatable); {@code --warmup}, {@code --fixed}, {@code --saturation} (seconds of
 * those phases; /health saturated takes the same); {@code --out DIR} (default {@code ../bench}).
 * Quick runs, and runs with custom configurations, variables or phases, do not overwrite
 * {@code bench/latest.md}.
 */
public final class OverheadBench {

    private static final Duration POLL = Duration.ofMillis(5);
    /** Trace exports in the first second of the fixed-rate phase may still carry warm-up spans. */
    private static final Duration TRACE_SETTLE = Duration.ofSeconds(1);

    private final BenchPlan plan;
    private final PrintStream out;

    OverheadBench(BenchPlan plan, PrintStream out) {
        this.plan = plan;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path outDir = InstrumentedService.SERVICE_DIR.normalize().getParent().resolve("bench");
        BenchPlan plan = BenchPlan.full();
        boolean custom = false;
        Map<String, String> extraEnv = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "full" -> plan = BenchPlan.full();
                case "quick" -> plan = BenchPlan.quick();
                case "smoke" -> plan = BenchPlan.smoke();
                case "--rounds" -> plan = plan.withRounds(Integer.parseInt(value(args, ++i, a)));
                case "--configs" -> {
                    String spec = value(args, ++i, a);
                    List<BenchConfig> configs = new ArrayList<>();
                    for (String one : spec.split(spec.contains("|") ? ";" : "[,;]")) {
                        configs.add(BenchConfig.parse(one.trim()));
                    }
                    plan = plan.withConfigs(configs);
                    custom = true;
                }
                case "--env" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--env wants VAR=value, got " + kv);
                    }
                    extraEnv.put(kv.substring(0, eq), kv.substring(eq + 1));
                    custom = true;
                }
                case "--out" -> outDir = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--fixed", "--saturation", "--warmup" -> {
                    Duration d = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                    plan = switch (a) {
                        case "--fixed" -> plan.withPhases(plan.warmup(), d, plan.saturation());
                        case "--saturation" -> plan.withPhases(plan.warmup(), plan.fixed(), d);
                        default -> plan.withPhases(d, plan.fixed(), plan.saturation());
                    };
                    custom = true;
                }
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + " (expected full, quick, --rounds N, --configs a,b, --env VAR=value, --out DIR,"
                        + " --warmup S, --fixed S, --saturation S)");
            }
        }
        if (!extraEnv.isEmpty()) {
            plan = plan.withExtraEnv(extraEnv);
        }
        if (custom) {
            plan = plan.withMode(plan.mode() + "-custom");
        }
        BenchSummary summary = new OverheadBench(plan, System.out).run();
        summary.print(System.out);
        // latest.md is the reference full run: quick and custom runs only add to results/
        List<Path> written = summary.write(outDir, !custom && !plan.mode().equals("quick"));
        System.out.println();
        written.forEach(p -> System.out.println("wrote " + p));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Every configuration once per round, the order rotating from round to round. */
    BenchSummary run() throws IOException {
        Instant started = Instant.now();
        List<BenchConfig> configs = plan.configs();
        int total = configs.size() * plan.rounds();
        out.printf(Locale.ROOT, "bench %s: %s x %d round%s, alternating; about %d min%n", plan.mode(),
                configs.stream().map(BenchConfig::name).toList(), plan.rounds(), plan.rounds() == 1 ? "" : "s",
                Math.max(1, Math.round(plan.estimate().toSeconds() / 60.0)));
        if (plan.indicative()) {
            out.println("  " + plan.mode().toUpperCase(Locale.ROOT) + " MODE: fewer configurations and rounds, shorter phases;"
                    + " the figures are indicative only (make bench for the real ones)");
        }
        if (!plan.extraEnv().isEmpty()) {
            out.println("  on every configuration: " + plan.extraEnv());
        }
        out.printf(Locale.ROOT, "  service on %s; load from this JVM (Java %s); %d cores; other processes' load %.2f%n",
                jdkDescription(), Runtime.version().feature(), Runtime.getRuntime().availableProcessors(),
                ProcStats.loadAverage());
        warmUp();
        List<BenchRun> runs = new ArrayList<>();
        int n = 0;
        for (int round = 1; round <= plan.rounds(); round++) {
            for (int k = 0; k < configs.size(); k++) {
                BenchConfig config = configs.get((k + round - 1) % configs.size());
                n++;
                Duration elapsed = Duration.between(started, Instant.now());
                out.printf(Locale.ROOT, "[%2d/%d %s] round %d, %s%n", n, total, clock(elapsed), round, config.name());
                runs.add(runOne(config, round));
            }
        }
        return new BenchSummary(plan, runs, machine(), started, Instant.now());
    }

    /**
     * Starts {@link BenchPlan#warmupStart()} once through the same phases (2 s each in the
     * indicative modes) and throws its figures away: the first start measured would otherwise pay for this JVM's own warm-up (load
     * generator and sinks: half as much CPU again in the first run as in the next ones, and 15-20%
     * less throughput, seen here).
     */
    private void warmUp() throws IOException {
        BenchConfig config = plan.warmupStart();
        if (config == null) {
            return;
        }
        out.println("  warm-up start of " + config.name() + ", not measured");
        BenchPlan warmPlan = plan.withWholeProfileWindow(false);
        if (plan.indicative()) {
            Duration two = Duration.ofSeconds(2);
            warmPlan = warmPlan.withPhases(two, two, two);
        }
        new OverheadBench(warmPlan, new PrintStream(OutputStream.nullOutputStream())).runOne(config, 0);
    }

    /** Starts {@code config} once and takes it through every phase. */
    BenchRun runOne(BenchConfig config, int round) throws IOException {
        BenchConfig c = config.with(plan.extraEnv());
        Map<BenchMetric, Double> v = new LinkedHashMap<>();
        Map<String, Object> d = new LinkedHashMap<>();
        long errors = 0;
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver(0, Duration.ZERO, false);
             PyroscopeReceiver profiles = new PyroscopeReceiver(0, Duration.ZERO, false);
             Watch watch = new Watch(traces, profiles)) {
            Map<String, String> env = new HashMap<>();
            env.put("WORKSHOP_INCIDENT_ENABLED", "false");
            env.putAll(c.env());
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
            env.put("PYROSCOPE_SERVER_ADDRESS", profiles.address());
            try (InstrumentedService service = InstrumentedService.startShipped("bench-" + c.name(), env)) {
                long pid = service.pid();
                URI url = URI.create("http://127.0.0.1:" + service.port());
                v.put(BenchMetric.STARTUP, seconds(service.startup()));

                // Time to first data: a request every 100 ms from the first 200 on, until the first span export.
                Report first = null;
                if (c.sendsTraces()) {
                    first = load(Options.defaults().url(url).scenario(Scenario.UNCACHED)
                            .openLoop(plan.firstDataRate()).duration(plan.firstDataMax()),
                            plan.firstDataMin(), () -> watch.firstTrace() != 0);
                    errors += first.total().errors();
                }

                Report warm = load(Options.defaults().url(url).scenario(Scenario.UNCACHED)
                        .closedLoop(plan.concurrency()).duration(plan.warmup()), plan.warmup(), () -> true);
                errors += warm.total().errors();
                v.put(BenchMetric.RSS, ProcStats.rssBytes(pid) / 1e6);

                // Fixed rate: latency, CPU per request, bytes per minute.
                long busy0 = ProcStats.machineBusyNanos();
                long own0 = ProcStats.ownCpuNanos();
                long cpu0 = ProcStats.cpuNanos(pid);
                long wall0 = System.currentTimeMillis();
                long t0 = System.nanoTime();
                long mark0 = watch.traceBytes();
                boolean wholeWindow = c.sendsProfiles() && plan.wholeProfileWindow();
                // Upload windows follow one another, so any stretch of two intervals holds a whole one;
                // the phase ends as soon as one has arrived.
                Duration extra = wholeWindow ? plan.uploadInterval(c).multipliedBy(2).plusSeconds(2).minus(plan.fixed())
                        : Duration.ZERO;
                extra = extra.isNegative() ? Duration.ZERO : extra;
                Report fixed = load(Options.defaults().url(url).scenario(Scenario.UNCACHED).openLoop(plan.fixedRate())
                                .duration(plan.fixed().plus(extra)), plan.fixed(),
                        () -> !wholeWindow || !wholeWindows(profiles.uploads(), wall0, System.currentTimeMillis()).isEmpty());
                long t1 = System.nanoTime();
                long wall1 = System.currentTimeMillis();
                long cpu1 = ProcStats.cpuNanos(pid);
                errors += fixed.total().errors();
                double fixedSeconds = (t1 - t0) / 1e9;
                long fixedRequests = fixed.total().requests();
                double achievedRate = fixedRequests / fixedSeconds;
                v.put(BenchMetric.P50, fixed.total().percentileMillis(50));
                v.put(BenchMetric.P99, fixed.total().percentileMillis(99));
                v.put(BenchMetric.P999, fixed.total().percentileMillis(99.9));
                v.put(BenchMetric.CPU_PER_REQUEST, (cpu1 - cpu0) / 1e6 / Math.max(1, fixedRequests));
                d.put("fixed_seconds", round3(fixedSeconds));
                d.put("fixed_requests", fixedRequests);
                d.put("fixed_rate", round3(achievedRate));

                // Saturation: throughput.
                long cpuHash0 = ProcStats.cpuNanos(pid);
                Report hash = load(Options.defaults().url(url).scenario(Scenario.UNCACHED)
                        .closedLoop(plan.concurrency()).duration(plan.saturation()), plan.saturation(), () -> true);
                long cpuHash1 = ProcStats.cpuNanos(pid);
                Report health = load(Options.defaults().url(url).scenario(Scenario.HEALTH)
                        .closedLoop(plan.concurrency()).duration(plan.healthSaturation()), plan.healthSaturation(), () -> true);
                errors += hash.total().errors() + health.total().errors();
                v.put(BenchMetric.HASH_THROUGHPUT, goodput(hash));
                v.put(BenchMetric.HASH_CPU, (cpuHash1 - cpuHash0) / 1e6 / Math.max(1, hash.total().requests()));
                v.put(BenchMetric.HEALTH_THROUGHPUT, goodput(health));

                long tEnd = System.nanoTime();
                long busy1 = ProcStats.machineBusyNanos();
                long own1 = ProcStats.ownCpuNanos();
                long cpuEnd = ProcStats.cpuNanos(pid);

                // Idle: no request at all; what the agents cost a service that does nothing, over at
                // least one whole profile upload interval (so each upload is counted once).
                sleep(BenchPlan.IDLE_SETTLE);
                long idleCpu0 = ProcStats.cpuNanos(pid);
                long idle0 = System.nanoTime();
                sleep(plan.idle(c));
                long idleCpu1 = ProcStats.cpuNanos(pid);
                long idle1 = System.nanoTime();
                v.put(BenchMetric.IDLE_CPU, (idleCpu1 - idleCpu0) * 100.0 / (idle1 - idle0));
                d.put("idle_seconds", round3((idle1 - idle0) / 1e9));
                double others = (busy1 - busy0) - (own1 - own0) - (cpuEnd - cpu0);
                v.put(BenchMetric.OTHER_CPU, Math.max(0, others) / (tEnd - t0) * 100);
                d.put("bench_jvm_cpu_pct", round3((own1 - own0) * 100.0 / (tEnd - t0)));
                d.put("service_cpu_pct", round3((cpuEnd - cpu0) * 100.0 / (tEnd - t0)));
                d.put("peak_rss_mb", round3(ProcStats.peakRssBytes(pid) / 1e6));

                // Upload volumes during the fixed-rate phase.
                double scale = BenchPlan.REFERENCE_RATE / achievedRate;
                List<PyroscopeReceiver.ProfileUpload> windows = wholeWindows(profiles.uploads(), wall0, wall1);
                double profileBytesPerSecond;
                if (!windows.isEmpty()) {
                    long bytes = windows.stream().mapToLong(PyroscopeReceiver.ProfileUpload::bytes).sum();
                    long secs = windows.stream().mapToLong(u -> until(u) - from(u)).sum();
                    profileBytesPerSecond = (double) bytes / secs;
                    d.put("profile_windows", windows.size() + " whole upload window(s), " + secs + " s");
                } else {
                    profileBytesPerSecond = prorated(profiles.uploads(), wall0, wall1);
                    d.put("profile_windows", c.sendsProfiles() ? "none whole: prorated" : "none");
                }
                double traceBytesPerSecond = watch.traceRate(t0 + TRACE_SETTLE.toNanos(), t1, mark0, t0);
                d.put("trace_exports_in_fixed_phase", watch.exportsBetween(t0 + TRACE_SETTLE.toNanos(), t1));
                v.put(BenchMetric.PROFILE_RATE, profileBytesPerSecond * 60 / 1000);
                v.put(BenchMetric.PROFILE_PER_DAY, profileBytesPerSecond * scale * 86_400 / 1e6);
                v.put(BenchMetric.TRACE_RATE, traceBytesPerSecond * 60 / 1000);
                v.put(BenchMetric.TRACE_PER_DAY, traceBytesPerSecond * scale * 86_400 / 1e6);

                v.put(BenchMetric.FIRST_SPAN, watch.firstTrace() == 0 ? Double.NaN
                        : (watch.firstTrace() - service.startedNanos()) / 1e9);
                v.put(BenchMetric.FIRST_PROFILE, watch.firstProfile() == 0 ? Double.NaN
                        : (watch.firstProfile() - service.startedNanos()) / 1e9);
                v.put(BenchMetric.ERRORS, (double) errors);
                d.put("spans_received", traces.spanCount());
                d.put("trace_exports", traces.requests());
                d.put("trace_bytes", traces.bytes());
                d.put("profile_uploads", profiles.uploads().size());
                d.put("profile_bytes", profiles.uploads().stream().mapToLong(PyroscopeReceiver.ProfileUpload::bytes).sum());
                d.put("fixed_latency_max_ms", round3(fixed.total().maxMillis()));
                d.put("hash_requests", hash.total().requests());
                d.put("health_requests", health.total().requests());
                if (errors > 0) {
                    Map<String, Long> causes = new LinkedHashMap<>();
                    for (Report r : java.util.Arrays.asList(first, warm, fixed, hash, health)) {
                        if (r != null) {
                            r.errorCauses().forEach((k, n) -> causes.merge(k, n, Long::sum));
                        }
                    }
                    d.put("error_causes", causes.toString());
                }
                BenchRun run = new BenchRun(config, round, v, fixed.total().latency().copy(), d);
                progress(run);
                return run;
            }
        }
    }

    private void progress(BenchRun r) {
        String indent = "      ";
        out.printf(Locale.ROOT, "%sstarted in %s s; RSS after warm-up %s MB; first span %s s, first profile %s s after start%n",
                indent, f(r, BenchMetric.STARTUP), f(r, BenchMetric.RSS), f(r, BenchMetric.FIRST_SPAN),
                f(r, BenchMetric.FIRST_PROFILE));
        out.printf(Locale.ROOT, "%s%.0f/s for %.1f s: p50 %s ms, p99 %s ms, p99.9 %s ms; CPU %s ms/request;"
                        + " profiles %s KB/min, traces %s KB/min%n",
                indent, plan.fixedRate(), ((Number) r.details().get("fixed_seconds")).doubleValue(), f(r, BenchMetric.P50),
                f(r, BenchMetric.P99), f(r, BenchMetric.P999), f(r, BenchMetric.CPU_PER_REQUEST),
                f(r, BenchMetric.PROFILE_RATE), f(r, BenchMetric.TRACE_RATE));
        out.printf(Locale.ROOT, "%ssaturated: /api/hash %s/s (CPU %s ms/request), /health %s/s; idle CPU %s%% of a core;"
                        + " errors %s; other processes %s%% of a core%n",
                indent, f(r, BenchMetric.HASH_THROUGHPUT), f(r, BenchMetric.HASH_CPU), f(r, BenchMetric.HEALTH_THROUGHPUT),
                f(r, BenchMetric.IDLE_CPU), f(r, BenchMetric.ERRORS), f(r, BenchMetric.OTHER_CPU));
    }

    private static String f(BenchRun r, BenchMetric m) {
        return m.format(r.get(m));
    }

    /**
     * Runs {@code options}; once {@code atLeast} has passed, stops as soon as {@code enough} holds
     * (the options' duration is the most it may take).
     */
    private static Report load(Options options, Duration atLeast, BooleanSupplier enough) {
        LoadRun run = new LoadRun(options, p -> { });
        long start = System.nanoTime();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-phase-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - start >= atLeast.toNanos() && enough.getAsBoolean()) {
                run.stop();
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
        try {
            return run.execute();
        } finally {
            watcher.shutdownNow();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests answered without error per second. */
    private static double goodput(Report r) {
        return (r.total().requests() - r.total().errors()) / (r.elapsed().toNanos() / 1e9);
    }

    /** Uploads whose whole window ({@code from} to {@code until}, epoch seconds) lies within the two epoch milliseconds. */
    static List<PyroscopeReceiver.ProfileUpload> wholeWindows(List<PyroscopeReceiver.ProfileUpload> uploads,
                                                              long fromMillis, long untilMillis) {
        return uploads.stream()
                .filter(u -> from(u) * 1000 >= fromMillis && until(u) * 1000 <= untilMillis && until(u) > from(u))
                .toList();
    }

    /**
     * Bytes per second of the windows overlapping the phase, each counted for its share inside the
     * phase, over the time they cover (windows still to arrive are left out, not counted as zero).
     */
    private static double prorated(List<PyroscopeReceiver.ProfileUpload> uploads, long fromMillis, long untilMillis) {
        double bytes = 0;
        double covered = 0;
        for (PyroscopeReceiver.ProfileUpload u : uploads) {
            long a = from(u) * 1000;
            long b = until(u) * 1000;
            long overlap = Math.min(b, untilMillis) - Math.max(a, fromMillis);
            if (overlap > 0 && b > a) {
                bytes += u.bytes() * (double) overlap / (b - a);
                covered += overlap / 1000.0;
            }
        }
        return covered == 0 ? 0 : bytes / covered;
    }

    private static long from(PyroscopeReceiver.ProfileUpload u) {
        return Long.parseLong(u.query().get("from"));
    }

    private static long until(PyroscopeReceiver.ProfileUpload u) {
        return Long.parseLong(u.query().get("until"));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private static String clock(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private static String jdkDescription() {
        Path home = ContainerJdk.home(InstrumentedService.SERVICE_DIR);
        try {
            String release = Files.readString(home.resolve("release"));
            String version = release.lines().filter(l -> l.startsWith("JAVA_RUNTIME_VERSION=")).findFirst()
                    .or(() -> release.lines().filter(l -> l.startsWith("JAVA_VERSION=")).findFirst())
                    .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).orElse("?");
            String vendor = release.lines().filter(l -> l.startsWith("IMPLEMENTOR=")).findFirst()
                    .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).orElse("");
            return (vendor + " " + version).trim();
        } catch (IOException e) {
            return home.toString();
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpu", ProcStats.cpuModel());
        m.put("service_jdk", jdkDescription());
        m.put("bench_jvm", "Java " + Runtime.version());
        m.put("load_average_at_end", ProcStats.loadAverage());
        return m;
    }

    /**
     * Watches the sinks every few milliseconds: when the first span export and the first profile
     * upload arrived, and when each export arrived with how many bytes (to measure the trace rate
     * from export to export, not from whole batches cut at the phase's edges).
     */
    private static final class Watch implements AutoCloseable {

        private final OtlpTraceReceiver traces;
        private final PyroscopeReceiver profiles;
        private final List<long[]> exports = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-sink-watch");
            t.setDaemon(true);
            return t;
        });
        private volatile long firstTrace;
        private volatile long firstProfile;
        private volatile long lastBytes;

        Watch(OtlpTraceReceiver traces, PyroscopeReceiver profiles) {
            this.traces = traces;
            this.profiles = profiles;
            poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void poll() {
            long now = System.nanoTime();
            long bytes = traces.bytes();
            if (bytes != lastBytes) {
                if (firstTrace == 0) {
                    firstTrace = now;
                }
                exports.add(new long[] {now, bytes});
                lastBytes = bytes;
            }
            if (firstProfile == 0 && !profiles.uploads().isEmpty()) {
                firstProfile = now;
            }
        }

        long firstTrace() {
            return firstTrace;
        }

        long firstProfile() {
            return firstProfile;
        }

        long traceBytes() {
            return traces.bytes();
        }

        int exportsBetween(long from, long until) {
            return (int) exports.stream().filter(e -> e[0] >= from && e[0] <= until).count();
        }

        /**
         * Bytes per second between the first and the last export seen in {@code [from, until]}
         * (the bytes of all but the first, over the time between them); with fewer than two, the
         * bytes that arrived since {@code mark} over the time since {@code markNanos}.
         */
        double traceRate(long from, long until, long mark, long markNanos) {
            List<long[]> in = new ArrayList<>();
            long before = 0;
            for (long[] e : exports) {
                if (e[0] < from) {
                    before = e[1];
                } else if (e[0] <= until) {
                    in.add(e);
                }
            }
            if (in.size() >= 2) {
                long[] first = in.get(0);
                long[] last = in.get(in.size() - 1);
                return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
            }
            long delta = (in.isEmpty() ? before : in.get(in.size() - 1)[1]) - mark;
            return Math.max(0, delta) / ((until - markNanos) / 1e9);
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }
    }
}
