package io.profilingkit.spanprofiles;

import io.opentelemetry.sdk.trace.ReadableSpan;
import io.pyroscope.javaagent.api.ProfilerApi;

/**
 * What a thread's samples carry while one span is chosen: its id, trace id and name, worked out
 * once per span and kept in the contexts that choose it ({@link SpanChoice#LABEL}), so that setting
 * the profiler's context again (every virtual-thread mount) costs no parsing and no registration.
 *
 * <p>The name is the span's name when the label was last applied: a span renamed after it started
 * (a server span named {@code GET} until the framework matches the route) is registered again under
 * its new name the next time the label is applied.
 */
final class SpanLabel {

    final ReadableSpan span;
    final long spanId;
    final String traceId;
    private volatile String name;
    private volatile long nameId;

    SpanLabel(ReadableSpan span) {
        this.span = span;
        this.spanId = Long.parseUnsignedLong(span.getSpanContext().getSpanId(), 16);
        this.traceId = span.getSpanContext().getTraceId();
    }

    /** The profiler's constant for the span's current name, registered again only when the name changed. */
    long nameId(ProfilerApi profiler) {
        String now = span.getName();
        // the same String instance unless the span was renamed
        if (now != name) {
            nameId = profiler.registerConstant(now);
            name = now;
        }
        return nameId;
    }
}
