package io.profilingkit.workshop.alloc;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.profilingkit.workshop.api.Params;
import io.profilingkit.workshop.api.WorkLimiter;

/** {@code GET /api/alloc[?mb=N]}: allocates about N MB of short-lived objects. */
@Controller("/api/alloc")
class AllocController {

    private final AllocationWorkload workload;
    private final WorkLimiter limiter;
    private final int defaultMb;
    private final int maxMb;

    AllocController(AllocationWorkload workload, WorkLimiter limiter,
                    @Value("${workshop.alloc.default-mb}") int defaultMb,
                    @Value("${workshop.alloc.max-mb}") int maxMb) {
        this.workload = workload;
        this.limiter = limiter;
        this.defaultMb = defaultMb;
        this.maxMb = maxMb;
    }

    @Get
    @ExecuteOn(TaskExecutors.IO)
    AllocResult alloc(@Nullable @QueryValue String mb) {
        int megabytes = Params.intInRange("mb", mb, defaultMb, 1, maxMb);
        return limiter.run(WorkLimiter.Kind.CPU, () -> {
            AllocationWorkload.Allocated result = workload.allocateGarbage(megabytes);
            return new AllocResult(megabytes, result.bytes(), result.objects(), result.checksum());
        });
    }

    /** The answer of {@code /api/alloc}. */
    @Serdeable
    record AllocResult(int requestedMb, long allocatedBytes, long objects, long checksum) {
    }
}
