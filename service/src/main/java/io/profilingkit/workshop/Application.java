package io.profilingkit.workshop;

import io.micronaut.runtime.Micronaut;

/**
 * Entry point of the workshop service.
 *
 * <p>Every workload runs on {@code @ExecuteOn(TaskExecutors.IO)}, a pool of platform threads on
 * every JDK, and never on the Netty event loop. {@code TaskExecutors.BLOCKING} would mean virtual
 * threads on JDK 21+, which move between carrier threads while the profiler's span context is
 * kept per platform thread; the IO pool keeps samples on the thread that ran the span.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
