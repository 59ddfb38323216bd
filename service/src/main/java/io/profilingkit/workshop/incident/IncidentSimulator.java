package io.profilingkit.workshop.incident;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intermittent incident: every {@code workshop.incident.period}, start to start, it burns CPU
 * on several threads for {@code workshop.incident.duration}, slowing every request. Dashboards show the
 * latency spike; a flame graph of that window shows {@code burnCpuDuringIncident} as its cause.
 * The gauge {@code workshop_incident_active} ({@link IncidentGauge}) is 1 while it runs, else 0.
 */
@Context
@Requires(property = "workshop.incident.enabled", notEquals = "false")
public class IncidentSimulator {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentSimulator.class);

    private final Duration duration;
    private final int threads;
    private final AtomicBoolean active = new AtomicBoolean();
    private final AtomicLong incidents = new AtomicLong();
    /** {@link System#nanoTime()} at the start of the last incidents, oldest first (at most 16). */
    private final Deque<Long> starts = new ConcurrentLinkedDeque<>();

    IncidentSimulator(@Value("${workshop.incident.duration}") Duration duration,
                      @Value("${workshop.incident.threads}") int threads) {
        this.duration = duration;
        this.threads = threads;
    }

    // fixedRate: the period runs from start to start, as the docs say (fixedDelay would add the burn to it)
    @Scheduled(initialDelay = "${workshop.incident.initial-delay}", fixedRate = "${workshop.incident.period}")
    void runIncident() throws InterruptedException {
        long started = System.nanoTime();
        starts.addLast(started);
        while (starts.size() > 16) {
            starts.pollFirst();
        }
        long deadline = started + duration.toNanos();
        LOG.info("incident #{} started: {} threads burning CPU for {}", incidents.get() + 1, threads, duration);
        active.set(true);
        try {
            List<Thread> burners = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                Thread burner = new Thread(() -> burnCpuDuringIncident(deadline), "incident-burner-" + i);
                burner.setDaemon(true);
                burner.start();
                burners.add(burner);
            }
            for (Thread burner : burners) {
                burner.join();
            }
        } finally {
            active.set(false);
            incidents.incrementAndGet();
            LOG.info("incident ended");
        }
    }

    /** The incident's own code path: pure CPU until the deadline. */
    static long burnCpuDuringIncident(long deadline) {
        long x = 1;
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            for (int i = 0; i < 10_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        }
        return x;
    }

    public boolean active() {
        return active.get();
    }

    /** When the last incidents started ({@link System#nanoTime()}), oldest first. */
    List<Long> startNanos() {
        return List.copyOf(starts);
    }

    /** Incidents completed since start. */
    public long completed() {
        return incidents.get();
    }
}
