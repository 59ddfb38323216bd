package io.profilingkit.workshop.primes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@MicronautTest
class PrimesControllerTest {

    @Inject
    TestHttp http;

    @ParameterizedTest(name = "{0} primes below {1}")
    @CsvSource({"slow,2,0", "slow,3,1", "slow,100,25", "slow,100000,9592", "sieve,2,0", "sieve,3,1",
            "sieve,100,25", "sieve,100000,9592", "sieve,5000000,348513"})
    void countsPrimesBelowTheLimitWithEitherAlgorithm(String algorithm, int limit, int expected) {
        TestHttp.Response response = http.get("/api/primes?limit=" + limit + "&algorithm=" + algorithm);

        assertEquals(200, response.status(), response.raw());
        assertEquals(expected, response.number("primes"));
        assertEquals(algorithm, response.field("algorithm"));
        assertEquals(limit, response.number("limit"));
    }

    @Test
    void usesTheConfiguredDefaultsWhenNothingIsGiven() {
        TestHttp.Response response = http.get("/api/primes");

        assertEquals(200, response.status(), response.raw());
        assertEquals("slow", response.field("algorithm"));
        assertEquals(300_000, response.number("limit"));
        assertEquals(25_997, response.number("primes"));
    }

    /** Only the two names docs/service.md gives: another spelling is refused like any other word. */
    @Test
    void algorithmIsOneOfTheTwoDocumentedNames() {
        assertEquals("sieve", http.get("/api/primes?limit=10&algorithm=sieve").field("algorithm"));
        TestHttp.Response upper = http.get("/api/primes?limit=10&algorithm=SIEVE");
        assertEquals(400, upper.status(), upper.raw());
        assertEquals("algorithm", upper.field("parameter"));
    }
}
