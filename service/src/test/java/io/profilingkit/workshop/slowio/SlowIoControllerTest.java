package io.profilingkit.workshop.slowio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@MicronautTest
class SlowIoControllerTest {

    @Inject
    TestHttp http;

    @Test
    void waitsTheRequestedTimeOffTheEventLoop() {
        TestHttp.Response response = http.get("/api/slow_io?ms=120");

        assertEquals(200, response.status(), response.raw());
        assertEquals(120L, response.number("waitMs"));
        assertTrue(((Number) response.field("elapsedMs")).doubleValue() >= 120.0, response.raw());
        String thread = (String) response.field("thread");
        assertFalse(thread.contains("eventloop"), "slow_io ran on " + thread);
    }

    @Test
    void defaultWaitIsTheConfiguredThreeHundredMilliseconds() {
        TestHttp.Response response = http.get("/api/slow_io");

        assertEquals(300L, response.number("waitMs"));
    }

    @Test
    void concurrentSlowRequestsDoNotHoldUpHealth() {
        long waitMs = 2000;
        List<CompletableFuture<TestHttp.Response>> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> http.get("/api/slow_io?ms=" + waitMs)));
        }
        sleepQuietly(200);

        long start = System.nanoTime();
        TestHttp.Response health = http.get("/health");
        long healthMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, health.status());
        // Broken (the waits on the event loop), /health queues behind a sleeping request: at least
        // waitMs - 200 ms. Working, it takes milliseconds, a few hundred on a loaded machine at most.
        assertTrue(healthMillis < waitMs / 2, "/health took " + healthMillis + " ms while slow_io requests waited");
        slow.forEach(f -> assertEquals(200, f.join().status()));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
