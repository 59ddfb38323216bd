package io.profilingkit.spanprofiles;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.pyroscope.javaagent.api.ProfilerApi;

/**
 * What a thread's samples carry while one span is chosen: its id, trace id and name, worked out
 * once per span and kept in the contexts that choose it ({@link SpanChoice#LABEL}), so that setting
 * the profiler's context again (every virtual-thread mount) costs no parsing and no registration.
 *
 * <p>The name is the span's name when the label was last applied: a span renamed after it started
 * (a server span named {@code GET} until the framework matches the route) is registered again under
 * its new name the next time the label is applied (a context attached or closed, a virtual thread
 * mounted, the context read by instrumentation). A server span's name that is not a route yet is left
 * off the samples ({@link #provisional}): samples without a span name are better than samples that
 * lump every route under one that looks like a route.
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

    /** Whether the span's name is not the one last registered. */
    boolean renamed() {
        return span.getName() != name;
    }

    /**
     * The profiler's constant for the span's current name, registered again only when the name
     * changed; 0 (no name) while the name is provisional.
     */
    long nameId(ProfilerApi profiler) {
        String now = span.getName();
        // the same String instance unless the span was renamed
        if (now != name) {
            nameId = provisional(span.getKind(), now) ? 0 : profiler.registerConstant(now);
            name = now;
        }
        return nameId;
    }

    /**
     * Whether a span's name is one that HTTP server instrumentation gives a request before the
     * framework has matched its route: the method alone ({@code GET}; semantic conventions name a
     * server span {@code {method} {route}}, and {@code {method}} while the route is unknown), or a
     * servlet's wildcard mapping ({@code GET /*}: the servlet instrumentation's route for every request
     * a {@code DispatcherServlet} serves, until Spring renames the span by its handler's route).
     */
    static boolean provisional(SpanKind kind, String name) {
        return kind == SpanKind.SERVER && (name.indexOf(' ') < 0 || name.endsWith("/*"));
    }
}
