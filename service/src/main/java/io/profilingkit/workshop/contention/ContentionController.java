package io.profilingkit.workshop.contention;

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

/** {@code GET /api/contention[?threads=N&ms=M]}: N threads fight over one lock for M milliseconds. */
@Controller("/api/contention")
class ContentionController {

    private final LockContentionWorkload workload;
    private final WorkLimiter limiter;
    private final int defaultMs;
    private final int maxMs;

    ContentionController(LockContentionWorkload workload, WorkLimiter limiter,
                         @Value("${workshop.contention.default-ms}") int defaultMs,
                         @Value("${workshop.contention.max-ms}") int maxMs) {
        this.workload = workload;
        this.limiter = limiter;
        this.defaultMs = defaultMs;
        this.maxMs = maxMs;
    }

    @Get
    @ExecuteOn(TaskExecutors.IO)
    ContentionResult contention(@Nullable @QueryValue String threads, @Nullable @QueryValue String ms) {
        int n = Params.intInRange("threads", threads, Math.min(4, workload.maxThreads()), 2, workload.maxThreads());
        int millis = Params.intInRange("ms", ms, defaultMs, 1, maxMs);
        return limiter.run(WorkLimiter.Kind.CPU, () -> {
            try {
                LockContentionWorkload.Contended result = workload.contend(n, millis);
                return new ContentionResult(n, millis, result.acquisitions(), result.totalWaitMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, null, "the service is shutting down");
            }
        });
    }

    /** The answer of {@code /api/contention}. */
    @Serdeable
    record ContentionResult(int threads, int durationMs, long acquisitions, double totalWaitMs) {
    }
}
