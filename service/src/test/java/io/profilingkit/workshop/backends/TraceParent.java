package io.profilingkit.workshop.backends;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** W3C trace context for test requests, so that a request's trace id is known before it is sent. */
public final class TraceParent {

    private TraceParent() {
    }

    /** A random 128-bit trace id, 32 hex digits. */
    public static String newTraceId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** A sampled {@code traceparent} header with this trace id and a random parent (the server span's parent is remote). */
    public static Map<String, String> traceparent(String traceId) {
        byte[] parent = new byte[8];
        ThreadLocalRandom.current().nextBytes(parent);
        return Map.of("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(parent) + "-01");
    }
}
