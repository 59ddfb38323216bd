package io.profilingkit.workshop.slowio;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.profilingkit.workshop.api.ApiException;
import io.profilingkit.workshop.api.Params;
import io.profilingkit.workshop.api.WorkLimiter;

/** {@code GET /api/slow_io[?ms=N]}: waits on simulated I/O, off the event loop. */
@Controller("/api/slow_io")
class SlowIoController {

    private final SlowIoService io;
    private final WorkLimiter limiter;
    private final int defaultMs;
    private final int maxMs;

    SlowIoController(SlowIoService io, WorkLimiter limiter,
                     @Value("${workshop.slow-io.default-ms}") int defaultMs,
                     @Value("${workshop.slow-io.max-ms}") int maxMs) {
        this.io = io;
        this.limiter = limiter;
        this.defaultMs = defaultMs;
        this.maxMs = maxMs;
    }

    @Get
    @ExecuteOn(TaskExecutors.IO)
    SlowIoResult slowIo(@Nullable @QueryValue String ms) {
        int wait = Params.intInRange("ms", ms, defaultMs, 1, maxMs);
        return limiter.run(WorkLimiter.Kind.IO, () -> {
            long start = System.nanoTime();
            try {
                io.simulateBlockingIo(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, null, "the service is shutting down");
            }
            String thread = Thread.currentThread().getName();
            long checksum = io.checksumPayload("waited " + wait + " ms on " + thread);
            return new SlowIoResult(wait, (System.nanoTime() - start) / 1_000_000.0, thread, checksum);
        });
    }

    /** The answer of {@code /api/slow_io}: how long it waited and on which thread. */
    @Serdeable
    record SlowIoResult(int waitMs, double elapsedMs, String thread, long checksum) {
    }
}
