package io.profilingkit.workshop.contention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
class ContentionControllerTest {

    @Inject
    TestHttp http;

    @Test
    void threadsSpendTimeWaitingForTheSharedLock() {
        long start = System.nanoTime();
        TestHttp.Response response = http.get("/api/contention?threads=4&ms=150");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, response.status(), response.raw());
        assertEquals(4L, response.number("threads"));
        // more acquisitions than threads: the lock changed hands again and again (5 ms per turn)
        assertTrue(response.number("acquisitions") > 4, response.raw());
        // four threads sharing one lock for 150 ms: each waits for the others most of the time
        assertTrue(((Number) response.field("totalWaitMs")).doubleValue() > 150, response.raw());
        // Broken (a worker that ignores its deadline), the request ends at the workers' 5 s timeout
        // (ms + 5 s) or never; working, at its 150 ms deadline plus one 5 ms turn and scheduling.
        assertTrue(tookMs < 3_000, "a 150 ms contention request took " + tookMs + " ms");
    }
}
