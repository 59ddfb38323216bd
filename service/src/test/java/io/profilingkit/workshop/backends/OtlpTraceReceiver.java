package io.profilingkit.workshop.backends;

import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Tempo's OTLP/HTTP receiver: accepts {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, decodes it with opentelemetry-proto and keeps every span
 * (or, for the overhead benchmark, only counts them).
 */
public final class OtlpTraceReceiver extends LoopbackReceiver {

    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong spanCount = new AtomicLong();
    private final boolean keepSpans;

    public OtlpTraceReceiver() throws IOException {
        this(0, Duration.ZERO);
    }

    /**
     * @param port  the port to listen on (0: any free one)
     * @param delay how long to wait before answering each request, to play a slow backend
     */
    public OtlpTraceReceiver(int port, Duration delay) throws IOException {
        this(port, delay, true);
    }

    /**
     * @param keepSpans false: decode and count the spans but keep none, for the overhead benchmark,
     *                  where keeping tens of thousands of spans would cost the test JVM (on the
     *                  service's cores) more than the export costs the service
     */
    public OtlpTraceReceiver(int port, Duration delay, boolean keepSpans) throws IOException {
        super(port, delay);
        this.keepSpans = keepSpans;
        serve("/v1/traces", this::handle);
    }

    public String endpoint() {
        return baseUrl();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public long bytes() {
        return bytes.get();
    }

    public long requests() {
        return requests.get();
    }

    /** Spans received so far, kept or not. */
    public long spanCount() {
        return spanCount.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            pause();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            bytes.addAndGet(body.length);
            requests.incrementAndGet();
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                Map<String, String> resource = attributes(resourceSpans.getResource().getAttributesList());
                for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                    spanCount.addAndGet(scope.getSpansCount());
                    if (!keepSpans) {
                        continue;
                    }
                    for (Span span : scope.getSpansList()) {
                        spans.add(new ReceivedSpan(hex(span.getTraceId().toByteArray()),
                                hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray()),
                                span.getName(), span.getKind().name(), span.getStartTimeUnixNano(),
                                span.getEndTimeUnixNano(), attributes(span.getAttributesList()), resource));
                    }
                }
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            exchange.getResponseBody().write(response);
        }
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : keyValues) {
            AnyValue v = kv.getValue();
            String value = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                default -> v.toString();
            };
            out.put(kv.getKey(), value);
        }
        return out;
    }

    private static String hex(byte[] id) {
        return HexFormat.of().formatHex(id);
    }

    /** One exported span, ids in lower-case hex as Tempo shows them. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String kind,
                        long startNanos, long endNanos, Map<String, String> attributes,
                        Map<String, String> resource) {

        public double durationMs() {
            return (endNanos - startNanos) / 1_000_000.0;
        }
    }
}
