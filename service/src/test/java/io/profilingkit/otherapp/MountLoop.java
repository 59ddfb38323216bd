package io.profilingkit.otherapp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a virtual-thread mount costs: {@code threads} virtual threads each call {@link Thread#yield}
 * {@code yields} times (each yield unmounts the virtual thread and mounts it again), inside a
 * request-like span when the agent traces {@link #yieldMany} (so that the hook has a label to set),
 * and the loop prints the nanoseconds per yield. Run it under {@code run-instrumented.sh} with the
 * extension's hook on and off, alternating (bench/README.md, "The virtual-thread hook"). Arguments:
 * threads (default 1: a yield is then one unmount, the scheduler, one mount), yields per thread
 * (default 200000), repetitions (default 5).
 */
public final class MountLoop {

    private MountLoop() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int yields = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        // by reflection: the tests are compiled for Java 17, this runs on 21 and later
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        for (int r = 0; r <= repetitions; r++) {
            long started = System.nanoTime();
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(virtual.submit(() -> yieldMany(yields)));
            }
            for (Future<Long> f : done) {
                f.get();
            }
            double perYield = (System.nanoTime() - started) / (double) threads / yields;
            // the first repetition warms up (JIT), and is not printed
            if (r > 0) {
                System.out.printf("mount-loop ns-per-yield %.1f%n", perYield);
            }
        }
        virtual.shutdown();
    }

    static long yieldMany(int yields) {
        long sum = 0;
        for (int i = 0; i < yields; i++) {
            Thread.yield();
            sum += i;
        }
        return sum;
    }
}
