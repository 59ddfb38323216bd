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
        int ms = 500;
        long start = System.nanoTime();
        TestHttp.Response response = http.get("/api/contention?threads=4&ms=" + ms);
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, response.status(), response.raw());
        assertEquals(4L, response.number("threads"));
        // more acquisitions than threads: the lock changed hands again and again (5 ms per turn)
        assertTrue(response.number("acquisitions") > 4, response.raw());
        // Four threads on one lock: while one holds it the others wait, about 3 x 500 ms in all. One
        // thread's worth is the bound, so that workers a busy machine starts late still pass; without
        // contention (a lock each, or one thread at a time) the waits add up to nearly nothing.
        assertTrue(((Number) response.field("totalWaitMs")).doubleValue() > ms, response.raw());
        // Broken (a worker that ignores its deadline), the request fails at the workers' timeout
        // (ms + 5 s) or never ends; working, it ends at its deadline plus one 5 ms turn and scheduling.
        assertTrue(tookMs < ms + 4_000, "a " + ms + " ms contention request took " + tookMs + " ms");
    }
}
