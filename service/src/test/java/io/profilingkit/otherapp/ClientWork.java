package io.profilingkit.otherapp;

/**
 * CPU work in slices, in a method of the client's own ({@code workC}, C from 0 to {@link #CLIENTS}
 * - 1), so that a sample's stack says whose request it was taken in (ConcurrentRun in the tests).
 * Used by {@link ParkingHttpApp} and copied into the source of each Maven-built test app
 * (MavenApp), so that every app does the same work.
 */
public final class ClientWork {

    public static final int CLIENTS = 8;

    private ClientWork() {
    }

    /** About {@code nanos} of CPU work (by the clock, less on a loaded machine) in the client's method. */
    public static long slice(int client, long nanos) {
        long until = System.nanoTime() + nanos;
        switch (Math.floorMod(client, CLIENTS)) {
            case 0: return work0(until);
            case 1: return work1(until);
            case 2: return work2(until);
            case 3: return work3(until);
            case 4: return work4(until);
            case 5: return work5(until);
            case 6: return work6(until);
            default: return work7(until);
        }
    }

    static long work0(long until) {
        return spin(until);
    }

    static long work1(long until) {
        return spin(until);
    }

    static long work2(long until) {
        return spin(until);
    }

    static long work3(long until) {
        return spin(until);
    }

    static long work4(long until) {
        return spin(until);
    }

    static long work5(long until) {
        return spin(until);
    }

    static long work6(long until) {
        return spin(until);
    }

    static long work7(long until) {
        return spin(until);
    }

    private static long spin(long deadline) {
        long x = 1;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 1000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }
}
