package io.profilingkit.workshop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import java.net.http.HttpRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

/** Every endpoint refuses malformed input with a 4xx and a JSON body naming the problem. */
@MicronautTest
class BadInputTest {

    @Inject
    TestHttp http;

    static Stream<Arguments> badParameters() {
        String longKey = "k".repeat(65);
        return Stream.of(
                // path, parameter at fault, words the message must contain
                Arguments.of("/api/primes?limit=abc", "limit", "whole number"),
                Arguments.of("/api/primes?limit=-5", "limit", "at least 2"),
                Arguments.of("/api/primes?limit=0", "limit", "at least 2"),
                Arguments.of("/api/primes?limit=5000001", "limit", "at most 5000000"),
                Arguments.of("/api/primes?limit=99999999999999999999999", "limit", "at most 5000000"),
                Arguments.of("/api/primes?limit=", "limit", "must not be empty"),
                Arguments.of("/api/primes?limit=1.5", "limit", "whole number"),
                Arguments.of("/api/primes?algorithm=quick", "algorithm", "'slow' or 'sieve'"),
                Arguments.of("/api/hash/", "key", "key is required: GET /api/hash/{key}"),
                Arguments.of("/api/hash/" + longKey, "key", "at most 64 characters"),
                Arguments.of("/api/hash/a%20b", "key", "may only contain"),
                Arguments.of("/api/hash/a%00b", "key", "may only contain"),
                Arguments.of("/api/hash/caf%C3%A9", "key", "may only contain"),
                Arguments.of("/api/hash_cached/", "key", "key is required: GET /api/hash_cached/{key}"),
                Arguments.of("/api/hash_cached/" + longKey, "key", "at most 64 characters"),
                Arguments.of("/api/hash_cached/%2e%2e%2fetc", "key", "may only contain"),
                Arguments.of("/api/slow_io?ms=x", "ms", "whole number"),
                Arguments.of("/api/slow_io?ms=-1", "ms", "at least 1"),
                Arguments.of("/api/slow_io?ms=0", "ms", "at least 1"),
                Arguments.of("/api/slow_io?ms=5001", "ms", "at most 5000"),
                Arguments.of("/api/slow_io?ms=", "ms", "must not be empty"),
                Arguments.of("/api/alloc?mb=lots", "mb", "whole number"),
                Arguments.of("/api/alloc?mb=-3", "mb", "at least 1"),
                Arguments.of("/api/alloc?mb=0", "mb", "at least 1"),
                Arguments.of("/api/alloc?mb=257", "mb", "at most 256"),
                Arguments.of("/api/alloc?mb=", "mb", "must not be empty"),
                Arguments.of("/api/contention?threads=many", "threads", "whole number"),
                Arguments.of("/api/contention?threads=-2", "threads", "at least 2"),
                Arguments.of("/api/contention?threads=0", "threads", "at least 2"),
                Arguments.of("/api/contention?threads=9", "threads", "at most 8"),
                Arguments.of("/api/contention?ms=2001", "ms", "at most 2000"),
                Arguments.of("/api/contention?ms=", "ms", "must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameters")
    void rejectsBadParameterWithJsonError(String path, String parameter, String words) {
        TestHttp.Response response = http.get(path);

        assertEquals(400, response.status(), response.raw());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        assertEquals(400L, response.number("status"));
        assertEquals(parameter, response.field("parameter"));
        String message = (String) response.field("message");
        assertTrue(message.contains(words), message);
    }

    @Test
    void echoedInputIsShortenedAndHasNoControlCharacters() {
        TestHttp.Response response = http.get("/api/primes?limit=" + "9".repeat(500) + "x%0d%0aSet-Cookie:x");

        String message = (String) response.field("message");
        assertEquals(400, response.status());
        assertTrue(message.length() < 120, message);
        assertTrue(message.chars().noneMatch(c -> c < 0x20), message);
    }

    @Test
    void unknownRouteGets404WithJsonNamingTheRoute() {
        TestHttp.Response response = http.get("/api/nope");

        assertEquals(404, response.status());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        assertTrue(((String) response.field("message")).contains("GET /api/nope"), response.raw());
        // the list of the API names every endpoint of docs/service.md's table
        for (String endpoint : new String[] {"/api/primes", "/api/hash/{key}", "/api/hash_cached/{key}", "/api/slow_io",
                "/api/alloc", "/api/contention", "GET /health", "GET /metrics"}) {
            assertTrue(((String) response.field("message")).contains(endpoint), endpoint + " missing: " + response.raw());
        }
    }

    /** HEAD is GET without the body (RFC 9110), as docs/service.md says; every other method is 405. */
    @Test
    void headAnswersLikeGetWithoutABody() {
        TestHttp.Response response = http.send("HEAD", "/health", HttpRequest.BodyPublishers.noBody());

        assertEquals(200, response.status(), response.raw());
        assertEquals("", response.raw().strip());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongMethods")
    void wrongMethodGets405WithJson(String method, String path) {
        TestHttp.Response response = http.send(method, path, HttpRequest.BodyPublishers.ofString("{}"));

        assertEquals(405, response.status(), response.raw());
        assertTrue(((String) response.field("message")).contains("method " + method + " is not allowed"), response.raw());
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of("POST", "/api/primes"),
                Arguments.of("PUT", "/api/hash/abc"),
                Arguments.of("DELETE", "/api/hash_cached/abc"),
                Arguments.of("PATCH", "/api/slow_io"),
                Arguments.of("POST", "/api/alloc"),
                Arguments.of("POST", "/api/contention"),
                Arguments.of("POST", "/health"));
    }

    /** No endpoint reads a body: a GET's body is discarded unread, a POST is the wrong method. */
    @ParameterizedTest(name = "{0} with a 200 kB body -> {1}")
    @CsvSource({"GET,200", "POST,405"})
    void bigBodyIsNeverReadAndTheServiceCarriesOn(String method, int expectedStatus) {
        TestHttp.Response response = http.send(method, "/api/primes?limit=10",
                HttpRequest.BodyPublishers.ofString("x".repeat(200_000)));

        assertEquals(expectedStatus, response.status(), response.raw());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        assertEquals(200, http.get("/health").status());
    }
}
