package io.profilingkit.workshop.contention;

import io.micronaut.context.annotation.Value;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads taking turns on one shared monitor: most of their time goes to waiting for the lock,
 * which a lock profile shows (as {@code jdk.JavaMonitorEnter}) and a CPU profile does not.
 */
@Singleton
public class LockContentionWorkload {

    /** One lock for the whole service, so concurrent requests contend with each other too. */
    private static final Object SHARED_LOCK = new Object();
    /**
     * How long a worker holds the lock each time. 5 ms, so that with the default 4 threads each
     * wait (about 15 ms) passes the lock profiler's 10 ms threshold ({@code PYROSCOPE_PROFILER_LOCK}).
     */
    private static final long HOLD_NANOS = 5_000_000;

    private final ExecutorService workers;
    private final int maxThreads;

    LockContentionWorkload(@Value("${workshop.contention.max-threads}") int maxThreads) {
        this.maxThreads = maxThreads;
        AtomicInteger ids = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread t = new Thread(r, "contention-worker-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(maxThreads, named);
    }

    public int maxThreads() {
        return maxThreads;
    }

    /** Runs {@code threads} workers that contend on the shared lock for {@code millis}. */
    @WithSpan
    public Contended contend(int threads, int millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Future<long[]>> results = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            results.add(workers.submit(() -> contendOnSharedLock(deadline)));
        }
        long acquisitions = 0;
        long waitedNanos = 0;
        for (Future<long[]> result : results) {
            try {
                long[] r = result.get(millis + 5_000L, TimeUnit.MILLISECONDS);
                acquisitions += r[0];
                waitedNanos += r[1];
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("contention worker failed", e);
            }
        }
        return new Contended(acquisitions, waitedNanos / 1_000_000.0);
    }

    /**
     * One worker: take the lock, hold it for a few milliseconds of work, repeat until the
     * deadline. A span of its own, so the worker's lock samples carry a span id.
     */
    @WithSpan
    static long[] contendOnSharedLock(long deadline) {
        long acquisitions = 0;
        long waited = 0;
        while (System.nanoTime() < deadline) {
            long before = System.nanoTime();
            synchronized (SHARED_LOCK) {
                waited += System.nanoTime() - before;
                holdSharedLock();
            }
            acquisitions++;
        }
        return new long[] {acquisitions, waited};
    }

    /**
     * The lock holder's work: a random-number walk, with the clock read every 4096 steps. Read at
     * every step, the clock call itself was the widest leaf of the whole CPU profile under the
     * mixed traffic (37.5% of the samples in {@code __vdso_clock_gettime}).
     */
    private static void holdSharedLock() {
        long until = System.nanoTime() + HOLD_NANOS;
        long x = 17;
        do {
            for (int i = 0; i < 4096; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        } while (System.nanoTime() < until);
        if (x == 42) {
            Thread.yield();
        }
    }

    /** What one call measured: how often the lock was taken and how long workers waited for it in all. */
    public record Contended(long acquisitions, double totalWaitMs) {
    }

    @PreDestroy
    void close() {
        workers.shutdownNow();
    }
}
