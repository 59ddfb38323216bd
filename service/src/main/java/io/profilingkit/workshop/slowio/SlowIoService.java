package io.profilingkit.workshop.slowio;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Simulated I/O: a long blocking wait with only a sliver of CPU work around it. */
@Singleton
public class SlowIoService {

    /**
     * Blocks the calling thread for {@code millis}, as a slow database or remote call would. Its
     * own span shows the wait in the trace; CPU samples barely see it, wall-clock samples do.
     */
    @WithSpan
    public void simulateBlockingIo(@SpanAttribute("workshop.io.wait_ms") long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** The little CPU work of the request: checksums a small "response" payload. */
    public long checksumPayload(String payload) {
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
