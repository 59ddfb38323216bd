package io.profilingkit.workshop.loadgen;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load engine: sends one scenario's requests for a bounded time and reports counts and
 * latency histograms. Plain Java and the JDK's HTTP client; nothing here is a Micronaut bean.
 *
 * <p>{@link #execute()} runs in the calling thread, which paces the requests; answers are handled
 * on a small pool of daemon threads. At the deadline no more requests start; those in flight get
 * {@link Options#grace()} to finish, then are abandoned, so a run always ends by
 * {@code duration + grace} (plus half a second at most, if the machine held the dispatcher back).
 *
 * <p>In an open loop the latency of a request counts from when it was due, not from when it
 * went out: if the service (or the cap on requests in flight) holds the schedule back, the
 * waiting shows in the percentiles instead of being silently skipped ("coordinated omission").
 */
public final class LoadRun {

    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SLOT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A dispatcher this far behind at the deadline drops the rest of its schedule rather than run on. */
    private static final long MAX_LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * A run in which nothing has answered this long while requests failed (refused, reset, timed out)
     * stops, rather than sending to nobody for its whole duration. A service that is only slow has
     * failed no request by then; one that stops answering later in the run is counted, not stopped.
     */
    public static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(5);

    private final Options options;
    private final Consumer<Progress> progress;
    private final String base;
    private final Map<Endpoint, Counters> counters = new EnumMap<>(Endpoint.class);
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> errorCauses = new ConcurrentHashMap<>();
    private final int slotCount;
    private final Semaphore slots;
    private final WeightedCycle cycle;
    private final AtomicBoolean started = new AtomicBoolean();
    private final long[] perSecond;
    private volatile boolean stopped;
    /** Some request got an answer (any status). */
    private volatile boolean answered;
    /** Nothing answered in the first {@link #UNREACHABLE_AFTER} and requests failed: stopped. */
    private volatile boolean unreachable;
    /** Requests of the open loop's schedule it did not send (dispatcher thread only). */
    private long notSent;
    private volatile Thread dispatcher;

    /** Guarded by {@code this}: the tick's view of the previous interval. */
    private final Histogram interval = new Histogram(3);
    private long lastTickNanos;
    private long lastTickDone;
    private long startNanos;

    public LoadRun(Options options, Consumer<Progress> progress) {
        this.options = options;
        this.progress = progress;
        String url = options.url().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        for (Endpoint endpoint : options.scenario().endpoints()) {
            counters.put(endpoint, new Counters());
        }
        this.slotCount = options.isOpenLoop() ? options.maxInFlight() : options.concurrency();
        this.slots = new Semaphore(slotCount);
        this.cycle = new WeightedCycle(options.scenario().weights());
        this.perSecond = new long[(int) Math.ceil(options.duration().toMillis() / 1000.0)];
    }

    /** Runs {@code options} to the end, without progress reports. */
    public static Report run(Options options) {
        return new LoadRun(options, p -> { }).execute();
    }

    /** Runs {@code options} to the end, calling {@code progress} once a second (on another thread). */
    public static Report run(Options options, Consumer<Progress> progress) {
        return new LoadRun(options, progress).execute();
    }

    /** Starts no more requests; {@link #execute()} then returns after the grace period at most. Any thread. */
    public void stop() {
        stopped = true;
        Thread t = dispatcher;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Runs the load in this thread and returns what happened. Once per instance. */
    public Report execute() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a LoadRun runs once");
        }
        dispatcher = Thread.currentThread();
        // Answers are handled here; idle threads go away by themselves, so requests abandoned
        // after the grace period never meet a shut-down executor.
        ExecutorService answers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon("loadgen-http-"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("loadgen-progress-"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(min(options.requestTimeout(), Duration.ofSeconds(5)))
                .executor(answers)
                .build();
        long start = System.nanoTime();
        long deadline = start + options.duration().toNanos();
        synchronized (this) {
            startNanos = start;
            lastTickNanos = start;
        }
        ticker.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
        boolean interrupted = false;
        boolean early = true;
        try {
            if (options.isOpenLoop()) {
                openLoop(client, start, deadline);
            } else {
                closedLoop(client, start, deadline);
            }
            early = stopped && System.nanoTime() < deadline;
            finishInFlight();
        } catch (InterruptedException e) {
            interrupted = true;
            abandonInFlight();
        } finally {
            ticker.shutdownNow();
            shutdownNow(client);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return report(elapsed, early);
    }

    private void openLoop(HttpClient client, long start, long deadline) throws InterruptedException {
        double rate = options.effectiveRate();
        boolean spiky = options.scenario() == Scenario.SPIKE;
        long due = start;
        boolean behind = false;
        while (!stopped && due < deadline) {
            long now = System.nanoTime();
            if (!behind && now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            // Too far behind at the deadline, or no free slot before it: the rest of the schedule
            // is counted as not sent rather than sent late.
            behind = behind || now - deadline > MAX_LATE_NANOS || !acquireSlot(deadline);
            if (behind) {
                notSent++;
            } else {
                send(client, start, due);
            }
            double multiplier = spiky ? options.spike().multiplierAt(due - start) : 1;
            due += Math.max(1, Math.round(1e9 / (rate * multiplier)));
        }
        // The run lasts its duration even when the last answer comes early.
        for (long now = System.nanoTime(); !stopped && now < deadline; now = System.nanoTime()) {
            LockSupport.parkNanos(deadline - now);
        }
    }

    private void closedLoop(HttpClient client, long start, long deadline) throws InterruptedException {
        while (!stopped && System.nanoTime() < deadline) {
            if (!acquireSlot(deadline)) {
                break;
            }
            send(client, start, System.nanoTime());
        }
    }

    /**
     * Takes a free slot at once if there is one (so a request due before the deadline still goes
     * out when the dispatcher woke a little late), else waits for one until the deadline or a
     * stop, in short slices so a stop is seen at once.
     */
    private boolean acquireSlot(long deadline) throws InterruptedException {
        if (!stopped && slots.tryAcquire()) {
            return true;
        }
        while (!stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (slots.tryAcquire(Math.min(left, SLOT_POLL_NANOS), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Sends the next request of the mix; {@code due} is when it should have started. */
    private void send(HttpClient client, long start, long due) {
        Endpoint endpoint = cycle.next();
        Counters c = counters.get(endpoint);
        long n = c.sent.getAndIncrement();
        int second = (int) ((due - start) / TICK_NANOS);
        if (second < perSecond.length) {
            perSecond[second]++;
        }
        InFlight request = new InFlight(endpoint, due);
        inFlight.add(request);
        try {
            HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(base + endpoint.path(n)))
                    .timeout(options.requestTimeout())
                    .GET()
                    .build();
            CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(httpRequest, HttpResponse.BodyHandlers.discarding());
            request.future = answer;
            answer.whenComplete((response, failure) -> complete(request, response, failure));
        } catch (RuntimeException e) {
            complete(request, null, e);
        }
    }

    private void complete(InFlight request, HttpResponse<?> response, Throwable failure) {
        if (!request.settle()) {
            return;
        }
        long latencyNanos = System.nanoTime() - request.due;
        Counters c = counters.get(request.endpoint);
        if (response != null) {
            if (!answered) {
                answered = true; // once, not a volatile write per answer
            }
            c.latency.recordValue(Math.max(0, latencyNanos / 1000));
            if (response.statusCode() >= 400) {
                error(c, "HTTP " + response.statusCode());
            }
        } else {
            error(c, cause(failure));
        }
        c.done.increment();
        inFlight.remove(request);
        slots.release();
    }

    private void error(Counters c, String cause) {
        c.errors.increment();
        errorCauses.computeIfAbsent(cause, k -> new LongAdder()).increment();
    }

    /** Gives the requests in flight the grace period, then abandons the rest. */
    private void finishInFlight() throws InterruptedException {
        if (slots.tryAcquire(slotCount, options.grace().toNanos(), TimeUnit.NANOSECONDS)) {
            slots.release(slotCount);
        } else {
            abandonInFlight();
        }
    }

    private void abandonInFlight() {
        for (InFlight request : new ArrayList<>(inFlight)) {
            if (request.settle()) {
                Counters c = counters.get(request.endpoint);
                c.abandoned.increment();
                error(c, "abandoned");
                c.done.increment();
                inFlight.remove(request);
                CompletableFuture<?> future = request.future;
                if (future != null) {
                    future.cancel(true);
                }
            }
        }
    }

    private synchronized void tick() {
        try {
            long now = System.nanoTime();
            interval.reset();
            drain(interval);
            long done = 0;
            long errors = 0;
            for (Counters c : counters.values()) {
                done += c.done.sum();
                errors += c.errors.sum();
            }
            double seconds = Math.max(1e-9, (now - lastTickNanos) / 1e9);
            double rate = (done - lastTickDone) / seconds;
            lastTickNanos = now;
            lastTickDone = done;
            if (!answered && errors > 0 && now - startNanos >= UNREACHABLE_AFTER.toNanos()) {
                unreachable = true;
                stop();
            }
            boolean any = interval.getTotalCount() > 0;
            progress.accept(new Progress(Duration.ofNanos(now - startNanos), options.duration(), done, errors,
                    inFlight.size(), rate,
                    any ? interval.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                    any ? interval.getValueAtPercentile(99) / 1000.0 : Double.NaN));
        } catch (RuntimeException e) {
            // A failing listener must not end the run, nor stop later ticks.
        }
    }

    /** Moves what the recorders collected into the per-endpoint totals (and {@code into}, if given). */
    private synchronized void drain(Histogram into) {
        for (Counters c : counters.values()) {
            c.recycled = c.latency.getIntervalHistogram(c.recycled);
            c.cumulative.add(c.recycled);
            if (into != null) {
                into.add(c.recycled);
            }
        }
    }

    private synchronized Report report(Duration elapsed, boolean stoppedEarly) {
        drain(null);
        Map<Endpoint, Report.EndpointStats> endpoints = new LinkedHashMap<>();
        Histogram all = new Histogram(3);
        long requests = 0;
        long errors = 0;
        long abandoned = 0;
        for (Map.Entry<Endpoint, Counters> e : counters.entrySet()) {
            Counters c = e.getValue();
            Report.EndpointStats stats = new Report.EndpointStats(e.getKey().route(), c.sent.get(),
                    c.errors.sum(), c.abandoned.sum(), c.cumulative.copy());
            endpoints.put(e.getKey(), stats);
            all.add(c.cumulative);
            requests += stats.requests();
            errors += stats.errors();
            abandoned += stats.abandoned();
        }
        Map<String, Long> causes = new LinkedHashMap<>();
        errorCauses.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> causes.put(e.getKey(), e.getValue().sum()));
        List<Long> timeline = new ArrayList<>(perSecond.length);
        for (long n : perSecond) {
            timeline.add(n);
        }
        return new Report(options, elapsed, Collections.unmodifiableMap(endpoints),
                new Report.EndpointStats("total", requests, errors, abandoned, all),
                Collections.unmodifiableMap(causes), List.copyOf(timeline), stoppedEarly, notSent, unreachable);
    }

    private static String cause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t == null ? "unknown" : t.getClass().getSimpleName();
    }

    /**
     * Closes the client's connections on JDK 21+ ({@code HttpClient.shutdownNow}); compiled for 17,
     * hence the lookup. On 17 they close when the client is collected.
     */
    private static void shutdownNow(HttpClient client) {
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(client);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // JDK 17: nothing to call.
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger ids = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One endpoint's counters; written from the dispatcher and the answer threads. */
    private static final class Counters {
        final AtomicLong sent = new AtomicLong();
        final LongAdder done = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder abandoned = new LongAdder();
        final Recorder latency = new Recorder(3);
        final Histogram cumulative = new Histogram(3);
        Histogram recycled;
    }

    /** A request on its way; settled exactly once, by its answer or by abandonment. */
    private static final class InFlight {
        final Endpoint endpoint;
        final long due;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile CompletableFuture<?> future;

        InFlight(Endpoint endpoint, long due) {
            this.endpoint = endpoint;
            this.due = due;
        }

        boolean settle() {
            return settled.compareAndSet(false, true);
        }
    }
}
