package io.profilingkit.workshop.bench;

import io.profilingkit.workshop.backends.InstrumentedService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.serde.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The benchmark's machinery ({@code make bench}, {@code make bench-quick}) run for seconds, so that
 * it cannot rot: bare and full, one round, tiny phases and the short test intervals. Its figures
 * mean nothing; what is checked is that every figure exists for every configuration and is sane,
 * and that the files are written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverheadBenchIT {

    BenchSummary summary;
    String console;
    Path outDir;

    @BeforeAll
    void runTheSmokePlan() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        summary = new OverheadBench(BenchPlan.smoke(), out).run();
        summary.print(out);
        console = buffer.toString(StandardCharsets.UTF_8);
        outDir = InstrumentedService.SERVICE_DIR.resolve("target/bench-it");
    }

    @Test
    void everyConfigurationHasEveryFigureAndTheyAreSane() {
        assertEquals(List.of("bare", "full"), summary.configs().stream().map(BenchConfig::name).toList());
        assertEquals(2, summary.runs().size());
        for (BenchConfig c : summary.configs()) {
            for (BenchMetric m : BenchMetric.values()) {
                double v = summary.value(c, m);
                if (m.appliesTo(c)) {
                    assertFalse(Double.isNaN(v), c.name() + " has no " + m.key() + ": " + console);
                    assertTrue(v >= 0, c.name() + " " + m.key() + " = " + v);
                } else {
                    assertTrue(Double.isNaN(v), c.name() + " cannot have " + m.key() + ", got " + v);
                }
            }
            String what = c.name() + ": " + console;
            assertOnlyTimeouts(c, what);
            // Throughputs are present and positive; which endpoint is faster is the benchmark's to measure.
            assertTrue(summary.value(c, BenchMetric.HASH_THROUGHPUT) > 0, what);
            assertTrue(summary.value(c, BenchMetric.HEALTH_THROUGHPUT) > 0, what);
            assertTrue(summary.value(c, BenchMetric.P50) > 0, what);
            assertTrue(summary.value(c, BenchMetric.P50) <= summary.value(c, BenchMetric.P99), what);
            assertTrue(summary.value(c, BenchMetric.P99) <= summary.value(c, BenchMetric.P999), what);
            assertTrue(summary.value(c, BenchMetric.CPU_PER_REQUEST) > 0, what);
            // start-up is measured, and within the deadline after which InstrumentedService gives up
            assertTrue(summary.value(c, BenchMetric.STARTUP) > 0
                    && summary.value(c, BenchMetric.STARTUP) < InstrumentedService.START_DEADLINE.toSeconds(), what);
            assertTrue(summary.value(c, BenchMetric.RSS) > 30, what);
        }
        BenchConfig bare = BenchConfig.BARE;
        BenchConfig full = BenchConfig.FULL;
        for (BenchMetric upload : List.of(BenchMetric.PROFILE_RATE, BenchMetric.PROFILE_PER_DAY,
                BenchMetric.TRACE_RATE, BenchMetric.TRACE_PER_DAY)) {
            assertEquals(0, summary.value(bare, upload), "bare sends nothing: " + upload.key());
            assertTrue(summary.value(full, upload) > 0, "full sends " + upload.key() + ": " + console);
        }
        BenchRun fullRun = summary.runsOf(full).get(0);
        assertTrue(((Number) fullRun.details().get("spans_received")).longValue() > 0, fullRun.details().toString());
        assertTrue(((Number) fullRun.details().get("profile_uploads")).intValue() > 0, fullRun.details().toString());
        // An order, not a speed: a span is exported after the request it traces (the first 200 that
        // ends start-up) and after the batch delay; the 1 s allows for the two being seen by different
        // threads of this JVM.
        assertTrue(summary.value(full, BenchMetric.FIRST_SPAN) > summary.value(full, BenchMetric.STARTUP) - 1,
                "the first span comes after the first request: " + console);
    }

    @Test
    void printsATableWithEveryFigureAndTheTargets() {
        String table = summary.table(false);
        for (BenchMetric m : BenchMetric.values()) {
            assertTrue(table.contains(m.label()), m.label());
        }
        assertTrue(console.contains("SMOKE MODE"), console);
        assertTrue(console.contains("[ 1/2 ") && console.contains("[ 2/2 "), "progress lines: " + console);
        assertTrue(console.contains("Targets, full against bare"), console);
        assertEquals(5, summary.targets().size());
        assertTrue(summary.comparison(BenchConfig.FULL, BenchMetric.HASH_THROUGHPUT).startsWith("x"));
    }

    @Test
    void writesJsonAndMarkdownThatReadBack() throws Exception {
        List<Path> written = summary.write(outDir, true);

        assertEquals(3, written.size(), written.toString());
        Path json = written.get(0);
        assertTrue(json.toString().endsWith("-smoke.json"), json.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> root = ObjectMapper.getDefault().readValue(Files.readString(json), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> configs = (List<Map<String, Object>>) root.get("configurations");
        assertEquals(2, configs.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> fullSummary = (Map<String, Object>) configs.get(1).get("summary");
        for (BenchMetric m : BenchMetric.values()) {
            assertTrue(fullSummary.containsKey(m.key()), m.key());
        }
        assertEquals(2, ((List<?>) root.get("runs")).size());
        String md = Files.readString(written.get(1));
        assertTrue(md.contains("| figure (fixed rate"), md);
        assertTrue(md.contains("## Targets: full against bare"), md);
        assertEquals(md, Files.readString(outDir.resolve("latest.md")));
    }

    /**
     * Every request answered correctly, but for requests a starved machine did not answer within the
     * load generator's limits (10 s timeout, 5 s grace at a phase's end): those say nothing of the
     * machinery, while an HTTP error or a refused connection (a broken configuration) does.
     */
    private void assertOnlyTimeouts(BenchConfig c, String what) {
        for (BenchRun run : summary.runsOf(c)) {
            Object causes = run.details().getOrDefault("error_causes", "{}");
            Matcher cause = Pattern.compile("([^{}=, ]+)=\\d+").matcher(causes.toString());
            while (cause.find()) {
                assertTrue(Set.of("abandoned", "HttpTimeoutException").contains(cause.group(1)),
                        "failed requests of " + c.name() + ": " + causes + "; " + what);
            }
            long errors = Math.round(run.get(BenchMetric.ERRORS));
            assertTrue(errors == 0 || !"{}".equals(causes.toString()), c.name() + " has errors without causes: " + what);
        }
    }
}
