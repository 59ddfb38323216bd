package io.profilingkit.workshop.slowio;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Simulated I/O: a long blocking wait with only a sliver of CPU work around it. */
@Singleton
public class SlowIoService {

    /** Blocks the calling thread for {@code millis}, as a slow database or remote call would. */
    public void simulateBlockingIo(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** The little CPU work of the request: checksums a small "response" payload. */
    public long checksumPayload(String payload) {
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
