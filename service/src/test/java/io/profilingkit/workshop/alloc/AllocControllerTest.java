package io.profilingkit.workshop.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@MicronautTest
class AllocControllerTest {

    @Inject
    TestHttp http;

    @Test
    void allocatesAtLeastTheRequestedMegabytes() {
        TestHttp.Response response = http.get("/api/alloc?mb=4");

        assertEquals(200, response.status(), response.raw());
        assertEquals(4L, response.number("requestedMb"));
        long bytes = response.number("allocatedBytes");
        assertTrue(bytes >= 4L * 1024 * 1024 && bytes < 5L * 1024 * 1024, "allocated " + bytes);
        assertTrue(response.number("objects") > 100, response.raw());
    }

    @Test
    void defaultIsSixteenMegabytes() {
        assertEquals(16L, http.get("/api/alloc").number("requestedMb"));
    }
}
