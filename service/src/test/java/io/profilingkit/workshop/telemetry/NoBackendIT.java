package io.profilingkit.workshop.telemetry;

import io.profilingkit.workshop.backends.InstrumentedService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With nothing listening where traces and profiles go, the instrumented service still answers correctly. */
class NoBackendIT {

    @Test
    void everyEndpointAnswersCorrectlyWithNoReceiverListening() throws IOException {
        String nowhere = "http://127.0.0.1:" + InstrumentedService.freePort();
        try (InstrumentedService service = InstrumentedService.start("no-backend", Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", nowhere,
                "PYROSCOPE_SERVER_ADDRESS", "http://127.0.0.1:" + InstrumentedService.freePort(),
                "PROFILING_WALL_CLOCK", "on"))) {
            for (int round = 0; round < 3; round++) {
                assertAnswer(service, "/api/primes?limit=100000", "\"primes\":9592");
                assertAnswer(service, "/api/primes?limit=100000&algorithm=sieve", "\"primes\":9592");
                assertAnswer(service, "/api/hash/offline", "\"sha256\":\"");
                assertAnswer(service, "/api/hash_cached/offline", "\"sha256\":\"");
                assertAnswer(service, "/api/slow_io?ms=50", "\"waitMs\":50");
                assertAnswer(service, "/api/alloc?mb=2", "\"requestedMb\":2");
                assertAnswer(service, "/api/contention?ms=50", "\"threads\":4");
                assertAnswer(service, "/health", "\"status\":\"UP\"");
                HttpResponse<String> bad = service.get("/api/primes?limit=-1", Map.of());
                assertEquals(400, bad.statusCode(), bad.body());
                sleep(1_000); // let the agents try (and fail) to export between rounds
            }
            HttpResponse<String> metrics = service.get("/metrics", Map.of());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("http_server_requests_seconds_bucket"), "metrics still served");
        }
    }

    /**
     * The Pyroscope agent leaves a copy of async-profiler's library in {@code /tmp/<user>-pyroscope<n>}
     * at every start; the launcher removes those of JVMs that are gone, and keeps the running one's.
     */
    @Test
    void theLauncherRemovesProfilerCopiesOfJvmsThatAreGone() throws IOException {
        Path tmp = Path.of("/tmp");
        Path stale = Files.createTempDirectory(tmp, System.getProperty("user.name") + "-pyroscope");
        Files.write(stale.resolve("libasyncProfiler-linux-x64-test.so"), new byte[600]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        try (InstrumentedService service = InstrumentedService.start("profiler-copies", InstrumentedService.backendsNowhere())) {
            assertFalse(Files.exists(stale), stale + " (no process maps its library) is still there");
            String maps = Files.readString(Path.of("/proc/" + service.pid() + "/maps"));
            Matcher own = Pattern.compile("(/tmp/" + Pattern.quote(System.getProperty("user.name")) + "-pyroscope[^/ ]*)/").matcher(maps);
            assertTrue(own.find(), "the running service has async-profiler mapped from its own copy");
            assertTrue(Files.isDirectory(Path.of(own.group(1))), own.group(1));
        } finally {
            deleteQuietly(stale);
        }
    }

    private static void deleteQuietly(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    private static void assertAnswer(InstrumentedService service, String path, String expected) throws IOException {
        HttpResponse<String> response = service.get(path, Map.of());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertTrue(response.body().contains(expected), path + ": " + response.body());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
