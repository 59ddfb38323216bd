package io.profilingkit.workshop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Linux says about a process and the machine, from {@code /proc}: CPU time used (all threads,
 * dead ones included), resident memory, and the machine's busy time (to see what else was running).
 */
final class ProcStats {

    /** Clock ticks per second of {@code /proc/<pid>/stat} and {@code /proc/stat} ({@code getconf CLK_TCK}; 100 on Linux x86 and arm64). */
    static final long TICKS_PER_SECOND = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    private static final Pattern VM_HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+) kB");

    private ProcStats() {
    }

    /** User plus system CPU time of process {@code pid}, all its threads, in nanoseconds (10 ms resolution). */
    static long cpuNanos(long pid) {
        String stat = read(Path.of("/proc/" + pid + "/stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * NANOS_PER_TICK;
    }

    /** CPU time of this JVM (the benchmark: load generator and sinks). */
    static long ownCpuNanos() {
        return cpuNanos(ProcessHandle.current().pid());
    }

    /** Resident set size of {@code pid} now, in bytes. */
    static long rssBytes(long pid) {
        return statusKb(pid, VM_RSS) * 1024;
    }

    /** Peak resident set size of {@code pid} so far, in bytes. */
    static long peakRssBytes(long pid) {
        return statusKb(pid, VM_HWM) * 1024;
    }

    /** CPU time all cores of the machine spent busy (not idle, not waiting for I/O), in nanoseconds. */
    static long machineBusyNanos() {
        String first = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
        String[] f = first.trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal ...
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy * NANOS_PER_TICK;
    }

    /** The first {@code model name} of {@code /proc/cpuinfo}, or "unknown". */
    static String cpuModel() {
        Matcher m = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$").matcher(read(Path.of("/proc/cpuinfo")));
        return m.find() ? m.group(1).trim() : "unknown";
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        return Double.parseDouble(read(Path.of("/proc/loadavg")).split("\\s+")[0]);
    }

    private static long statusKb(long pid, Pattern field) {
        Matcher m = field.matcher(read(Path.of("/proc/" + pid + "/status")));
        if (!m.find()) {
            throw new IllegalStateException("no " + field.pattern() + " in /proc/" + pid + "/status");
        }
        return Long.parseLong(m.group(1));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
