package io.profilingkit.workshop.loadgen;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The load generator against the real service on loopback: what it sends is checked against what
 * the service counted itself ({@code http.server.requests} by {@code uri}), and its runs end on time.
 */
@MicronautTest
class LoadGeneratorTest {

    static final String PRIMES = "/api/primes";
    static final String HASH = "/api/hash/{key}";
    static final String HASH_CACHED = "/api/hash_cached/{key}";
    static final String SLOW_IO = "/api/slow_io";
    static final String ALLOC = "/api/alloc";
    static final String CONTENTION = "/api/contention";
    static final String HEALTH = "/health";
    static final Set<String> EVERY_ROUTE = Set.of(PRIMES, HASH, HASH_CACHED, SLOW_IO, ALLOC, CONTENTION);

    static final Duration TWO_SECONDS = Duration.ofSeconds(2);
    /**
     * How long a run may go on after its deadline beyond the slowest answer it got: a working run
     * ends when the requests in flight at the deadline are answered, and none took longer than the
     * slowest answer; what remains is how long a busy machine keeps a runnable thread waiting (seen
     * at up to 3 s with a load average of 13 on 2 cores). Broken, it ends far later: a generator that
     * ignores its deadline keeps sending (an open loop's schedule has no end), one that waits out its
     * {@link #GRACE} although every request was answered ends 15 s late, one that waits for hanging
     * requests ends at their {@link #REQUEST_TIMEOUT}.
     */
    static final Duration STOP_TOLERANCE = Duration.ofSeconds(5);
    /** The grace of the runs that must end on their own: long, so that waiting it out shows. */
    static final Duration GRACE = Duration.ofSeconds(15);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** The service's default slow_io wait (application.yml); Thread.sleep waits at least this long. */
    static final long SLOW_IO_MS = 300;

    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry meters;
    @Inject
    ApplicationContext context;

    /** The routes each scenario must hit, written out here rather than read from {@link Scenario}. */
    static Stream<Arguments> scenarios() {
        return Stream.of(
                arguments("mixed", EVERY_ROUTE),
                arguments("cpu", Set.of(PRIMES)),
                arguments("cached", Set.of(HASH_CACHED)),
                arguments("uncached", Set.of(HASH)),
                arguments("io", Set.of(SLOW_IO)),
                arguments("alloc", Set.of(ALLOC)),
                arguments("lock", Set.of(CONTENTION)),
                arguments("health", Set.of(HEALTH)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenarioHitsExactlyItsEndpointsCountsWhatTheServiceServedAndStopsOnTime(String name, Set<String> routes) {
        Map<String, Long> before = served();
        Options options = options().scenario(Scenario.fromCliName(name)).duration(TWO_SECONDS);

        Report report = timed(options);

        assertEquals(routes, report.requestsByRoute().keySet());
        assertEquals(0, report.total().errors(), () -> "errors: " + report.errorCauses());
        // every request of the schedule is sent, or counted as not sent (a machine too busy to keep it)
        assertEquals(Math.round(2 * options.effectiveRate()), report.total().requests() + report.notSent(),
                "an open loop sends rate x duration requests");
        assertServerServed(before, report.requestsByRoute());
    }

    @Test
    void spikeScenarioBurstsOnItsScheduleWithTheMixedTraffic() {
        Map<String, Long> before = served();
        Options options = options().scenario(Scenario.SPIKE).openLoop(4)
                .spike(new Spike(Duration.ofSeconds(2), Duration.ofSeconds(1), 5)).duration(Duration.ofSeconds(4));

        Report report = timed(options);

        // what a busy machine kept the generator from sending can only be the schedule's tail
        assertEquals(List.of(4L, 20L, 4L, 20L - report.notSent()), report.requestsPerSecond(),
                "calm second, then a 5x burst, twice");
        assertEquals(EVERY_ROUTE, report.requestsByRoute().keySet());
        assertEquals(0, report.total().errors(), () -> "errors: " + report.errorCauses());
        assertServerServed(before, report.requestsByRoute());
    }

    @Test
    void closedLoopKeepsExactlyItsConcurrencyInFlight() {
        Map<String, Long> before = served();
        Options options = options().scenario(Scenario.IO).closedLoop(3).duration(TWO_SECONDS);

        Report report = timed(options);

        // Each request waits at least 300 ms, so 3 slots can start at most 7 rounds of 3 in 2 s.
        long requests = report.total().requests();
        assertTrue(requests <= 21, "3 in flight for 2 s of 300 ms requests sent " + requests);
        // Little's law: answers x mean latency / elapsed is the mean number in flight. With each slot
        // refilled as soon as its answer came it is nearly 3, however slow the machine (a slower answer
        // keeps its slot busy longer); with 2 slots it cannot pass 2, nor with a slot idle a third of the time.
        Histogram latency = report.total().latency();
        double meanInFlight = latency.getTotalCount() * latency.getMean() / 1e6 / (report.elapsed().toNanos() / 1e9);
        assertTrue(meanInFlight > 2 && meanInFlight <= 3.05, "mean requests in flight " + meanInFlight);
        assertEquals(0, report.total().errors(), () -> "errors: " + report.errorCauses());
        assertServerServed(before, report.requestsByRoute());
    }

    @Test
    void openLoopLatencyCountsFromWhenTheRequestWasDue() {
        // 10/s of 300 ms requests with one slot: the schedule falls further behind with every request.
        // 4 s, so that even a machine that holds the first request up for seconds answers several.
        Options options = options().scenario(Scenario.IO).openLoop(10)
                .maxInFlight(1).duration(Duration.ofSeconds(4));

        Report report = timed(options);

        // Request i (from 0) was due at 100 i ms but could start only when request i - 1 was answered,
        // at 300 i ms at the earliest: counted from when it was due, it took at least 300 + 200 i ms,
        // and a slower machine only adds to that. Counted from when it went out (the mistake this
        // guards against), every request takes about the service's 300 ms.
        Report.EndpointStats io = report.total();
        long answered = io.latency().getTotalCount();
        assertTrue(answered >= 2, "answered " + answered);
        assertTrue(io.maxMillis() >= dueLatencyFloor(answered - 1),
                "the last request was due long before it could go out, max " + io.maxMillis() + " ms of " + answered);
        long median = (answered + 1) / 2 - 1;
        assertTrue(io.percentileMillis(50) >= dueLatencyFloor(median),
                "median " + io.percentileMillis(50) + " ms counts only the service's 300 ms");
    }

    @Test
    void commandLinePrintsProgressLinesAndASummaryPerEndpoint() {
        Cli cli = Cli.run("--url", server.getURI().toString(), "--scenario", "cpu", "--duration", "2s", "--rate", "5");

        assertEquals(0, cli.status, cli.err);
        assertTrue(cli.out.matches("(?s).*\\n/api/primes +10 +0 +\\d+\\.\\dms.*"), cli.out);
        assertTrue(cli.out.matches("(?s).*\\ntotal +10 +0 .*"), cli.out);
        assertTrue(cli.out.contains("10 requests in 2."), cli.out);
        assertTrue(cli.out.contains("passed"), cli.out);
        assertTrue(cli.err.matches("(?s).*\\n +1s/2s +1s left +requests \\d+ +[\\d.]+/s +errors 0 \\(0\\.00%\\) .*p50 .*p99 .*"), cli.err);
        assertFalse(cli.err.contains("\r"), "no terminal here: plain lines");
    }

    @Test
    void exitsOneWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }

        Cli cli = Cli.run("--url", "http://127.0.0.1:" + port, "--scenario", "cpu", "--duration", "1s", "--rate", "5");

        assertEquals(LoadGenerator.TOO_MANY_ERRORS, cli.status, cli.out + cli.err);
        assertTrue(cli.out.contains("errors: ConnectException x5"), cli.out);
        assertTrue(cli.out.contains("FAILED"), cli.out);
    }

    /** A wrong URL or a service not started: the run stops after 5 s instead of sending to nobody for its duration. */
    @Test
    void stopsEarlyWhenNothingAnswersAtAll() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        long started = System.nanoTime();

        Cli cli = Cli.run("--url", "http://127.0.0.1:" + port, "--scenario", "cpu", "--duration", "1m", "--rate", "5",
                "--max-error-rate", "100%");

        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        // broken, it sends for the whole minute; working, it stops at 5 s (plus the grace for what is in flight)
        assertTrue(seconds < 30, "ran " + seconds + " s against a port nothing listens on");
        assertEquals(LoadGenerator.TOO_MANY_ERRORS, cli.status, cli.out + cli.err);
        assertTrue(cli.out.contains("nothing answered at http://127.0.0.1:" + port + " in the first 5 s"), cli.out);
        assertTrue(cli.out.contains("stopped early") && cli.out.contains("FAILED, nothing answered"), cli.out);
    }

    @Test
    void maxErrorRateDecidesTheExitStatus() {
        String unknownRoutes = server.getURI() + "/no-such-prefix";

        Cli strict = Cli.run("--url", unknownRoutes, "--scenario", "cpu", "--duration", "1s", "--rate", "5");
        Cli lenient = Cli.run("--url", unknownRoutes, "--scenario", "cpu", "--duration", "1s", "--rate", "5",
                "--max-error-rate", "100%");

        assertEquals(LoadGenerator.TOO_MANY_ERRORS, strict.status, strict.out);
        assertTrue(strict.out.contains("errors: HTTP 404 x5"), strict.out);
        assertEquals(LoadGenerator.OK, lenient.status, lenient.out);
    }

    @Test
    void abandonsRequestsTheServiceNeverAnswersAndStillStopsOnTime() throws IOException {
        // The kernel accepts the connections into the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Options options = Options.defaults().url(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .scenario(Scenario.CPU).openLoop(5).duration(Duration.ofSeconds(1)).grace(Duration.ofMillis(300))
                    .requestTimeout(REQUEST_TIMEOUT);

            long start = System.nanoTime();
            Report report = LoadRun.run(options);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(5, report.total().requests());
            assertEquals(5, report.total().abandoned());
            assertEquals(Map.of("abandoned", 5L), report.errorCauses());
            assertFalse(report.passed());
            assertTrue(wall.compareTo(Duration.ofMillis(1300)) >= 0, "waited the grace period: " + wall);
            assertTrue(wall.compareTo(Duration.ofMillis(1300).plus(STOP_TOLERANCE)) <= 0, "took " + wall);
        }
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                arguments(new String[] {"--rate", "abc"}, "--rate must be a number of requests per second"),
                arguments(new String[] {"--rate", "0"}, "--rate must be"),
                arguments(new String[] {"--duration", "2h"}, "--duration must be between 1s and 1h, got 2h"),
                arguments(new String[] {"--duration", "soon"}, "--duration must be a duration like 30s"),
                arguments(new String[] {"--scenario", "nope"}, "unknown scenario 'nope', expected one of mixed, cpu"),
                arguments(new String[] {"--rate", "5", "--concurrency", "2"}, "not both"),
                arguments(new String[] {"--concurrency", "0"}, "--concurrency must be between 1 and 1000"),
                arguments(new String[] {"--scenario", "spike", "--concurrency", "4"}, "give --rate, not --concurrency"),
                arguments(new String[] {"--spike-factor", "3"}, "need --scenario spike"),
                arguments(new String[] {"--scenario", "spike", "--spike-length", "40s"}, "--spike-length must be"),
                arguments(new String[] {"--max-error-rate", "150%"}, "--max-error-rate must be between 0 and 1"),
                arguments(new String[] {"--url", "localhost:8080"}, "--url must be http:// or https://"),
                arguments(new String[] {"--rate", "1", "--rate", "2"}, "--rate is given twice"),
                arguments(new String[] {"--bogus", "1"}, "unknown option --bogus"),
                arguments(new String[] {"--rate"}, "--rate needs a value"),
                arguments(new String[] {"extra"}, "unexpected argument 'extra'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArguments")
    void badArgumentsGetOneLineAndExitStatusTwo(String[] args, String message) {
        Cli cli = Cli.run(args);

        assertEquals(LoadGenerator.USAGE, cli.status);
        assertEquals("", cli.out);
        assertTrue(cli.err.startsWith("loadgen: ") && cli.err.contains(message), cli.err);
        assertEquals(1, cli.err.lines().count(), cli.err);
    }

    @Test
    void helpListsOptionsAndScenarios() {
        Cli cli = Cli.run("--help");

        assertEquals(LoadGenerator.OK, cli.status);
        for (String word : List.of("--url", "--duration", "--rate", "--concurrency", "--max-error-rate",
                "mixed", "cpu", "cached", "uncached", "io", "alloc", "lock", "spike", "health")) {
            assertTrue(cli.out.contains(word), word);
        }
        assertEquals("", cli.err);
    }

    @Test
    void nothingOfTheLoadGeneratorIsABeanOfTheService() {
        // Beans built from the main classes (not this test) in the load generator's package.
        var mainClasses = LoadRun.class.getProtectionDomain().getCodeSource();
        List<String> beans = context.getAllBeanDefinitions().stream()
                .map(d -> d.getBeanType())
                .filter(type -> type.getPackageName().equals(LoadRun.class.getPackageName()))
                .filter(type -> mainClasses.equals(type.getProtectionDomain().getCodeSource()))
                .map(Class::getName)
                .toList();

        assertEquals(List.of(), beans);
    }

    /** Options against the test's service, with the long grace and timeout that make a late end show. */
    private Options options() {
        return Options.defaults().url(server.getURI()).grace(GRACE).requestTimeout(REQUEST_TIMEOUT);
    }

    /** The least latency, counted from when it was due, of request {@code i} of a 10/s open loop with one slot. */
    private static double dueLatencyFloor(long i) {
        return (SLOW_IO_MS + (SLOW_IO_MS - 100) * i) * 0.998; // the histogram keeps 3 significant digits
    }

    /** Runs {@code options}, checking that the run lasted its duration and ended on time ({@link #STOP_TOLERANCE}). */
    private static Report timed(Options options) {
        long start = System.nanoTime();
        Report report = LoadRun.run(options);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        double slowest = report.total().latency().getTotalCount() == 0 ? 0 : report.total().maxMillis();
        Duration latest = options.duration().plus(Duration.ofMillis((long) Math.ceil(slowest))).plus(STOP_TOLERANCE);
        assertTrue(report.elapsed().compareTo(options.duration()) >= 0, "ended early: " + report.elapsed());
        assertTrue(report.elapsed().compareTo(latest) <= 0,
                "ended late: " + report.elapsed() + " (slowest answer " + slowest + " ms)");
        assertTrue(wall.compareTo(latest) <= 0, "returned late: " + wall + " (slowest answer " + slowest + " ms)");
        assertFalse(report.stoppedEarly());
        return report;
    }

    /** Waits until the service's own counts, since {@code before}, are exactly what the generator reported. */
    private void assertServerServed(Map<String, Long> before, Map<String, Long> reported) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertEquals(new TreeMap<>(reported), servedSince(before)));
    }

    /** Requests the service has answered, by route template, from its {@code http.server.requests} timers. */
    private Map<String, Long> served() {
        Map<String, Long> byRoute = new TreeMap<>();
        for (Timer timer : meters.find("http.server.requests").timers()) {
            byRoute.merge(timer.getId().getTag("uri"), timer.count(), Long::sum);
        }
        return byRoute;
    }

    private Map<String, Long> servedSince(Map<String, Long> before) {
        Map<String, Long> delta = new TreeMap<>();
        served().forEach((route, count) -> {
            long d = count - before.getOrDefault(route, 0L);
            if (d != 0) {
                delta.put(route, d);
            }
        });
        return delta;
    }

    /** One command-line run: exit status and what it printed. */
    record Cli(int status, String out, String err) {

        static Cli run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = LoadGenerator.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }
}
