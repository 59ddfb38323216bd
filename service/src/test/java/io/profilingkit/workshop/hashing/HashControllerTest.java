package io.profilingkit.workshop.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.profilingkit.workshop.TestHttp;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

@MicronautTest
class HashControllerTest {

    /** application-test.yml sets these two. */
    static final int ROUNDS = 1000;
    static final int CACHE_SIZE = 20;

    @Inject
    TestHttp http;
    @Inject
    HashService hashes;

    @Test
    void hashIsTheChainedSha256OfTheKey() throws Exception {
        TestHttp.Response response = http.get("/api/hash/workshop-key_1.2:~");

        assertEquals(200, response.status(), response.raw());
        assertEquals(sha256Rounds("workshop-key_1.2:~", ROUNDS), response.field("sha256"));
        assertEquals((long) ROUNDS, response.number("rounds"));
        assertEquals(false, response.field("cached"));
    }

    @Test
    void uncachedEndpointRecomputesEveryTime() {
        long before = hashes.computations();

        http.get("/api/hash/again");
        http.get("/api/hash/again");

        assertEquals(before + 2, hashes.computations());
    }

    @Test
    void cachedEndpointComputesOnceThenServesFromCache() throws Exception {
        long before = hashes.computations();

        TestHttp.Response first = http.get("/api/hash_cached/cache-me");
        TestHttp.Response second = http.get("/api/hash_cached/cache-me");

        assertEquals(before + 1, hashes.computations(), "the second call must not recompute");
        assertEquals(false, first.field("cached"));
        assertEquals(true, second.field("cached"));
        assertEquals(sha256Rounds("cache-me", ROUNDS), second.field("sha256"));
        assertEquals(first.field("sha256"), http.get("/api/hash/cache-me").field("sha256"));
    }

    @Test
    void cacheStaysWithinItsBoundUnderManyDistinctKeys() {
        for (int i = 0; i < CACHE_SIZE * 5; i++) {
            assertEquals(200, http.get("/api/hash_cached/distinct-" + i).status());
        }

        long entries = hashes.cachedEntries();
        assertTrue(entries <= CACHE_SIZE, "cache holds " + entries + " entries, bound is " + CACHE_SIZE);
        assertFalse(entries == 0);
    }

    private static String sha256Rounds(String key, int rounds) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] digest = key.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < rounds; i++) {
            digest = sha.digest(digest);
        }
        return HexFormat.of().formatHex(digest);
    }
}
