package io.profilingkit.workshop.backends;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.backends.OtlpTraceReceiver.ReceivedSpan;
import io.profilingkit.workshop.backends.PyroscopeReceiver.ProfileUpload;
import io.profilingkit.workshop.backends.PyroscopeReceiver.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Concurrent requests to an app whose work for client C runs in a method {@code workC}, and what
 * their CPU samples carried: for each sample in a {@code workC} method, the request it was taken in
 * is the one request of client C whose server span was open at the sample's time (a client sends
 * its requests one after another, so there is exactly one). That tells every sample's request, not
 * only its client, so a label of the same client's previous request counts as wrong too.
 */
public final class ConcurrentRun {

    static final String CPU = "jdk.ExecutionSample";
    /** Fewer samples than this say nothing about a share (100 Hz: 20 samples are 0.2 s of CPU). */
    static final int MIN_SAMPLES = 20;
    /** Long enough for the last upload after the last request on a loaded machine (uploads every 2 s in tests). */
    static final Duration SIGNAL_DEADLINE = Duration.ofSeconds(60);
    /**
     * How far a sample's time may lie outside its request's server span and still be of
     * it: JFR's clock and the agent's span clock are both the system clock, read at
     * different moments. The work runs 10 ms after its span starts and ends before it, so a slack
     * this small still tells every work sample's request (the runs print how many it could not
     * tell: none so far); a stale label outlives its request by a whole request or more.
     */
    static final Duration CLOCK_SLACK = Duration.ofMillis(3);
    private static final Pattern WORK = Pattern.compile("\\.work(\\d+)$");

    /** One request: the client that sent it and its trace id. */
    record Request(int client, String traceId) {
    }

    /** What a share of samples was found to carry. */
    enum Label { RIGHT_REQUEST, OTHER_REQUEST, NO_SPAN, OUTSIDE_RUN }

    private final String name;
    private final Map<String, ReceivedSpan> serverOf = new HashMap<>();
    private final Map<String, ReceivedSpan> spanById = new HashMap<>();
    private final Map<Integer, List<ReceivedSpan>> serversOfClient = new HashMap<>();
    private final List<Sample> cpu = new ArrayList<>();
    private final Path log;

    private ConcurrentRun(String name, List<Request> requests, List<ReceivedSpan> spans, List<ProfileUpload> uploads, Path log) {
        this.name = name;
        this.log = log;
        Map<String, Integer> clientOf = requests.stream().collect(Collectors.toMap(Request::traceId, Request::client));
        for (ReceivedSpan span : spans) {
            spanById.put(span.spanId(), span);
            if (span.kind().equals("SPAN_KIND_SERVER")) {
                serverOf.put(span.traceId(), span);
                serversOfClient.computeIfAbsent(clientOf.get(span.traceId()), c -> new ArrayList<>()).add(span);
            }
        }
        for (ProfileUpload upload : uploads) {
            upload.samples().stream().filter(s -> s.eventType().equals(CPU)).forEach(cpu::add);
        }
    }

    /**
     * Sends {@code rounds} requests {@code path(client)} from each of {@code clients} clients at once,
     * each client one request after another, each request with a traceparent of a new trace id, each
     * answer 200 with a body that contains {@code inBody} (where the app says which thread it ran on);
     * then waits for every server span and two uploads after the last answer.
     */
    public static ConcurrentRun drive(String name, OtlpTraceReceiver traces, PyroscopeReceiver profiles,
                               InstrumentedService app, int clients, int rounds, IntFunction<String> path, String inBody) {
        List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                sent.add(senders.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        String traceId = TraceParent.newTraceId();
                        requests.add(new Request(client, traceId));
                        HttpResponse<String> response = app.get(path.apply(client), TraceParent.traceparent(traceId));
                        assertEquals(200, response.statusCode(), path.apply(client) + ": " + response.body());
                        assertTrue(response.body().contains(inBody), path.apply(client) + " answered " + response.body()
                                + ", without " + inBody);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            senders.shutdownNow();
        }
        int uploadsSoFar = profiles.uploads().size();
        await().atMost(SIGNAL_DEADLINE).until(() -> profiles.uploads().size() >= uploadsSoFar + 2);
        List<String> traceIds = requests.stream().map(Request::traceId).toList();
        await().atMost(SIGNAL_DEADLINE).until(() -> traces.spans().stream()
                .filter(s -> traceIds.contains(s.traceId()) && s.kind().equals("SPAN_KIND_SERVER")).count() == traceIds.size());
        List<ReceivedSpan> spans = traces.spans().stream().filter(s -> traceIds.contains(s.traceId())).toList();
        return new ConcurrentRun(name, requests, spans, profiles.uploads(), app.log());
    }

    /** The server span of the request a sample of a {@code workC} method was taken in, if it can be told. */
    private Optional<ReceivedSpan> requestOf(Sample sample) {
        for (int i = sample.frames().size() - 1; i >= 0; i--) {
            Matcher m = WORK.matcher(sample.frames().get(i));
            if (m.find()) {
                long at = nanos(sample.time());
                long slack = CLOCK_SLACK.toNanos();
                return serversOfClient.getOrDefault(Integer.parseInt(m.group(1)), List.of()).stream()
                        .filter(s -> s.startNanos() - slack <= at && at <= s.endNanos() + slack).findFirst();
            }
        }
        return Optional.empty();
    }

    private static boolean inWork(Sample sample) {
        return sample.frames().stream().anyMatch(f -> WORK.matcher(f).find());
    }

    /**
     * The work's CPU samples by what they carried. RIGHT_REQUEST: a span of the request the sample
     * was taken in (in root-only mode its server span; with every span labelled, a span of its trace
     * open at that moment); OTHER_REQUEST: a span of another request of the run.
     */
    Map<Label, Long> work(boolean rootOnly) {
        Map<Label, Long> counts = new EnumMap<>(Label.class);
        for (Label l : Label.values()) {
            counts.put(l, 0L);
        }
        for (Sample sample : cpu) {
            if (!inWork(sample)) {
                continue;
            }
            Optional<ReceivedSpan> request = requestOf(sample);
            Label label;
            ReceivedSpan carried = sample.spanId() == null ? null : spanById.get(sample.spanId());
            if (sample.spanId() == null) {
                label = Label.NO_SPAN;
            } else if (carried == null) {
                label = Label.OUTSIDE_RUN;
            } else if (request.isPresent() && carried.traceId().equals(request.get().traceId())
                    && (rootOnly ? carried.spanId().equals(request.get().spanId()) : open(carried, sample))) {
                label = Label.RIGHT_REQUEST;
            } else {
                label = Label.OTHER_REQUEST;
            }
            counts.merge(label, 1L, Long::sum);
        }
        return counts;
    }

    /**
     * Asserts that the CPU samples of a method the app runs outside any request ({@code frame}, on
     * the same threads or carriers as the requests, during them and after them) carry no span: a
     * label left behind by a request that parked or ended would show here.
     */
    public void assertUnlabelled(String frame) {
        List<Sample> outside = cpu.stream().filter(s -> s.hasFrame(frame)).toList();
        Map<String, Long> carried = outside.stream().filter(s -> s.spanId() != null).collect(Collectors.groupingBy(
                s -> spanById.containsKey(s.spanId()) ? "a span of this run" : "a span of no request of this run",
                Collectors.counting()));
        String figures = String.format("%s: %d CPU samples in %s, outside requests; with a span: %s; see %s",
                name, outside.size(), frame, carried, log);
        System.out.println("[ConcurrentRun] " + figures);
        assertTrue(outside.size() >= MIN_SAMPLES, "too few samples to tell: " + figures);
        assertTrue(carried.isEmpty(), figures);
    }

    /** The work's samples whose request could not be told from their time (must be few, or the clocks disagree). */
    long untold() {
        return cpu.stream().filter(ConcurrentRun::inWork).filter(s -> requestOf(s).isEmpty()).count();
    }

    private static boolean open(ReceivedSpan span, Sample sample) {
        long at = nanos(sample.time());
        return span.startNanos() - CLOCK_SLACK.toNanos() <= at && at <= span.endNanos() + CLOCK_SLACK.toNanos();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * Prints the figures and asserts the promise: at least {@code minRight} of the work's samples on
     * the right request's span, at most {@code maxOther} on another request's.
     */
    public void assertAttribution(boolean rootOnly, double minRight, double maxOther) {
        Map<Label, Long> counts = work(rootOnly);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        String figures = String.format("%s: %d CPU samples in the work: %s; %d of unknown request; see %s",
                name, total, counts.entrySet().stream().map(e -> String.format("%s %d (%.1f%%)", e.getKey(), e.getValue(),
                        total == 0 ? 0.0 : 100.0 * e.getValue() / total)).collect(Collectors.joining(", ")), untold(), log);
        System.out.println("[ConcurrentRun] " + figures);
        assertTrue(total >= MIN_SAMPLES, "too few samples to tell: " + figures);
        assertTrue(counts.get(Label.RIGHT_REQUEST) >= minRight * total, figures);
        assertTrue(counts.get(Label.OTHER_REQUEST) + counts.get(Label.OUTSIDE_RUN) <= maxOther * total, figures);
    }

    /** Every server span carries pyroscope.profile.id, its own id (what "Profiles for this span" looks for). */
    public void assertServerSpansHaveProfileIds() {
        for (ReceivedSpan server : serverOf.values()) {
            assertEquals(server.spanId(), server.attributes().get("pyroscope.profile.id"), name + ": " + server);
        }
    }
}
