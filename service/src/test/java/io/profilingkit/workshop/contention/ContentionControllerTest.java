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
        assertTrue(response.number("acquisitions") > 10, response.raw());
        // four threads sharing one lock for 150 ms: each waits for the others most of the time
        assertTrue(((Number) response.field("totalWaitMs")).doubleValue() > 150, response.raw());
        assertTrue(tookMs < 2_000, "a 150 ms contention request took " + tookMs + " ms");
    }
}
