package io.profilingkit.workshop.backends;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A stand-in for Pyroscope's {@code /ingest}: takes the Java agent's multipart upload, reads the
 * gzipped JFR part with {@code jdk.jfr.consumer} and the gzipped labels part as protobuf (or, for
 * the overhead benchmark, only checks that the upload has its JFR part and counts its bytes).
 */
public final class PyroscopeReceiver extends LoopbackReceiver {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern PART_NAME = Pattern.compile("name=\"([^\"]+)\"");

    private final List<ProfileUpload> uploads = new CopyOnWriteArrayList<>();
    private final boolean decode;

    public PyroscopeReceiver() throws IOException {
        this(0, Duration.ZERO);
    }

    /**
     * @param port  the port to listen on (0: any free one)
     * @param delay how long to wait before answering each request, to play a slow backend
     */
    public PyroscopeReceiver(int port, Duration delay) throws IOException {
        this(port, delay, true);
    }

    /**
     * @param decode false: keep each upload's query and size but not its samples (no JFR
     *               decoding), for the overhead benchmark, where decoding would take CPU from the
     *               service it measures
     */
    public PyroscopeReceiver(int port, Duration delay, boolean decode) throws IOException {
        super(port, delay);
        this.decode = decode;
        serve("/ingest", this::handle);
    }

    public String address() {
        return baseUrl();
    }

    public List<ProfileUpload> uploads() {
        return List.copyOf(uploads);
    }

    /** Every sample of the given JFR event types across all uploads so far. */
    public List<Sample> samples(String... eventTypes) {
        List<String> wanted = List.of(eventTypes);
        return uploads().stream().flatMap(u -> u.samples().stream())
                .filter(s -> wanted.contains(s.eventType())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            pause();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Matcher boundary = BOUNDARY.matcher(contentType == null ? "" : contentType);
            if (!boundary.find()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Map<String, byte[]> parts = multipart(body, boundary.group(1));
            if (!decode) {
                if (!parts.containsKey("jfr")) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                uploads.add(new ProfileUpload(query, body.length, List.of(), Map.of()));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            Map<Long, String> strings = parts.containsKey("labels")
                    ? labelStrings(gunzip(parts.get("labels"))) : Map.of();
            List<Sample> samples = parts.containsKey("jfr") ? jfrSamples(gunzip(parts.get("jfr"))) : List.of();
            uploads.add(new ProfileUpload(query, body.length, samples, strings));
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Splits a multipart/form-data body into its named parts. */
    public static Map<String, byte[]> multipart(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, byte[]> parts = new HashMap<>();
        int start = indexOf(body, delimiter, 0);
        while (start >= 0) {
            int headerStart = start + delimiter.length + 2;
            int next = indexOf(body, delimiter, headerStart);
            if (next < 0) {
                break;
            }
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headerStart);
            String headers = new String(body, headerStart, headerEnd - headerStart, StandardCharsets.ISO_8859_1);
            Matcher name = PART_NAME.matcher(headers);
            if (name.find()) {
                int contentStart = headerEnd + 4;
                int contentEnd = next - 2; // the CRLF before the next delimiter
                byte[] content = new byte[contentEnd - contentStart];
                System.arraycopy(body, contentStart, content, 0, content.length);
                parts.put(name.group(1), content);
            }
            start = next;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static List<Sample> jfrSamples(byte[] jfr) throws IOException {
        Path file = Files.createTempFile("upload", ".jfr");
        try {
            Files.write(file, jfr);
            List<Sample> samples = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getStackTrace() == null) {
                    continue;
                }
                List<String> frames = event.getStackTrace().getFrames().stream()
                        .map(PyroscopeReceiver::frameName).toList();
                long spanId = event.hasField("spanId") ? event.getLong("spanId") : 0;
                long spanName = event.hasField("spanName") ? event.getLong("spanName") : 0;
                // the trace id as Pyroscope's JFR parser (v0.18.0) reads it: two halves, 0 and 0 for none
                long traceHi = event.hasField("traceIdHi") ? event.getLong("traceIdHi") : 0;
                long traceLo = event.hasField("traceIdLo") ? event.getLong("traceIdLo") : 0;
                // async-profiler merges consecutive wall samples of an idle thread into one event
                long weight = event.hasField("samples") ? event.getLong("samples") : 1;
                samples.add(new Sample(event.getEventType().getName(), threadName(event),
                        spanId == 0 ? null : String.format("%016x", spanId), spanName,
                        traceHi == 0 && traceLo == 0 ? null : String.format("%016x%016x", traceHi, traceLo),
                        weight, event.getStartTime(), frames));
            }
            return samples;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String threadName(RecordedEvent event) {
        for (String field : new String[] {"sampledThread", "eventThread"}) {
            if (event.hasField(field)) {
                RecordedThread thread = event.getThread(field);
                if (thread != null) {
                    return thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
                }
            }
        }
        return "";
    }

    private static String frameName(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /**
     * The {@code strings} of a {@code LabelsSnapshot} ({@code map<int64,Context> contexts = 1;
     * map<int64,string> strings = 2;}), decoded with protobuf's wire reader.
     */
    public static Map<Long, String> labelStrings(byte[] snapshot) {
        Map<Long, String> strings = new HashMap<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(snapshot);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag >>> 3 == 2) {
                    CodedInputStream entry = CodedInputStream.newInstance(in.readByteArray());
                    long key = 0;
                    String value = "";
                    for (int t = entry.readTag(); t != 0; t = entry.readTag()) {
                        if (t >>> 3 == 1) {
                            key = entry.readInt64();
                        } else if (t >>> 3 == 2) {
                            value = entry.readString();
                        } else {
                            entry.skipField(t);
                        }
                    }
                    strings.put(key, value);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return strings;
    }

    /**
     * One sample: its JFR event type, thread, span id (hex, null if none), span name (an id into its
     * upload's {@link ProfileUpload#strings()}), trace id (32 hex digits, null if none), how many
     * samples it stands for, when it was taken, and its stack, leaf first.
     */
    public record Sample(String eventType, String thread, String spanId, long spanNameId, String traceId, long weight,
                         Instant time, List<String> frames) {

        public boolean hasFrame(String methodSuffix) {
            return frames.stream().anyMatch(f -> f.endsWith(methodSuffix));
        }
    }

    /** One {@code /ingest} request: its query (name with labels, from, until, ...), size and content. */
    public record ProfileUpload(Map<String, String> query, int bytes, List<Sample> samples, Map<Long, String> strings) {

        /** The span name a sample of this upload carries, or null for none. */
        public String spanName(Sample sample) {
            return sample.spanNameId() == 0 ? null : strings.get(sample.spanNameId());
        }

        /** The application name, before the {@code {labels}}. */
        public String appName() {
            String name = query.get("name");
            int brace = name.indexOf('{');
            return brace < 0 ? name : name.substring(0, brace);
        }

        /** The labels of the {@code name} parameter, e.g. env and version. */
        public Map<String, String> labels() {
            String name = query.get("name");
            Map<String, String> labels = new LinkedHashMap<>();
            int brace = name.indexOf('{');
            if (brace >= 0) {
                for (String pair : name.substring(brace + 1, name.length() - 1).split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
            return labels;
        }
    }
}
