package io.profilingkit.workshop.api;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Caps how many workloads run at once, so a flood of requests is answered with 429 instead of
 * piling up threads and CPU. CPU-bound workloads and waiting (I/O) workloads have separate caps.
 */
@Singleton
public class WorkLimiter {

    /** The two kinds of work the service limits separately. */
    public enum Kind { CPU, IO }

    private final Semaphore cpu;
    private final Semaphore io;
    private final int cpuLimit;
    private final int ioLimit;

    WorkLimiter(@Value("${workshop.limits.cpu-concurrency}") int cpuLimit,
                @Value("${workshop.limits.io-concurrency}") int ioLimit) {
        this.cpuLimit = cpuLimit;
        this.ioLimit = ioLimit;
        this.cpu = new Semaphore(cpuLimit);
        this.io = new Semaphore(ioLimit);
    }

    /** Runs {@code work} if a slot of that kind is free, else fails at once with 429. */
    public <T> T run(Kind kind, Supplier<T> work) {
        Semaphore slots = kind == Kind.CPU ? cpu : io;
        if (!slots.tryAcquire()) {
            int limit = kind == Kind.CPU ? cpuLimit : ioLimit;
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, null,
                    "the service is already running " + limit + " " + kind.name().toLowerCase()
                            + " workloads at once; retry shortly");
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }
}
