package io.profilingkit.workshop.alloc;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocation-heavy work that costs little CPU: it churns through short-lived buffers and boxed
 * records, the kind of load an allocation profile shows and a CPU profile barely does.
 */
@Singleton
public class AllocationWorkload {

    /** Buffers kept alive at once; everything older is garbage, so live memory stays small. */
    private static final int LIVE_WINDOW = 32;
    private static final int MAX_BUFFER = 64 * 1024;

    /** Allocates about {@code megabytes} MB in buffers of 1 to 64 KiB plus small objects; returns a checksum. */
    @WithSpan
    public Allocated allocateGarbage(int megabytes) {
        long target = (long) megabytes * 1024 * 1024;
        byte[][] window = new byte[LIVE_WINDOW][];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long allocated = 0;
        long objects = 0;
        long checksum = 0;
        while (allocated < target) {
            byte[] buffer = new byte[1024 + random.nextInt(MAX_BUFFER - 1024)];
            buffer[buffer.length - 1] = (byte) objects;
            window[(int) (objects % LIVE_WINDOW)] = buffer;
            List<String> boxes = buildSmallObjects(objects);
            checksum += buffer[buffer.length - 1] + boxes.size();
            allocated += buffer.length + 16L * boxes.size();
            objects += 1 + boxes.size();
        }
        return new Allocated(allocated, objects, checksum);
    }

    private static List<String> buildSmallObjects(long seed) {
        List<String> list = new ArrayList<>(16);
        for (int i = 0; i < 16; i++) {
            list.add(Long.toString(seed * 31 + i));
        }
        return list;
    }

    /** What one call allocated. */
    public record Allocated(long bytes, long objects, long checksum) {
    }
}
