package io.profilingkit.workshop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@MicronautTest
@Property(name = "workshop.limits.io-concurrency", value = "2")
@Property(name = "workshop.limits.cpu-concurrency", value = "1")
class WorkLimiterTest {

    @Inject
    TestHttp http;

    @Test
    void requestsBeyondTheConcurrencyCapGet429WithJson() {
        List<TestHttp.Response> responses = IntStream.range(0, 5)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> http.get("/api/slow_io?ms=800")))
                .toList().stream().map(CompletableFuture::join).toList();

        long ok = responses.stream().filter(r -> r.status() == 200).count();
        List<TestHttp.Response> refused = responses.stream().filter(r -> r.status() == 429).toList();
        assertEquals(2, ok, "exactly the cap of 2 should run");
        assertEquals(3, refused.size());
        assertTrue(((String) refused.get(0).field("message")).contains("2 io workloads"), refused.get(0).raw());
        assertEquals(200, http.get("/api/slow_io?ms=1").status(), "slots are released afterwards");
    }
}
