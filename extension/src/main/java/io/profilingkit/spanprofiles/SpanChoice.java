package io.profilingkit.spanprofiles;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.sdk.trace.ReadableSpan;

/** Which span a thread's samples carry while a context is current: the local root, or the innermost span. */
final class SpanChoice {

    /**
     * The local root span of the request a context belongs to, put into the context when the root's
     * own context is first made current, and inherited by every context built from it.
     */
    static final ContextKey<ReadableSpan> LOCAL_ROOT = ContextKey.named("profilingkit-local-root-span");

    private final boolean rootSpanOnly;

    SpanChoice(boolean rootSpanOnly) {
        this.rootSpanOnly = rootSpanOnly;
    }

    boolean rootSpanOnly() {
        return rootSpanOnly;
    }

    /** A local root: started in this process with no parent, or with a parent from another process. */
    static boolean isLocalRoot(ReadableSpan span) {
        SpanContext parent = span.getParentSpanContext();
        return !parent.isValid() || parent.isRemote();
    }

    /**
     * The context to attach in place of {@code context}: the same, with {@link #LOCAL_ROOT} set when
     * its span is a local root that the context does not name yet (root-only mode only).
     */
    Context remember(Context context) {
        if (!rootSpanOnly) {
            return context;
        }
        Span span = Span.fromContext(context);
        if (span instanceof ReadableSpan) {
            ReadableSpan readable = (ReadableSpan) span;
            if (isLocalRoot(readable) && context.get(LOCAL_ROOT) != readable) {
                return context.with(LOCAL_ROOT, readable);
            }
        }
        return context;
    }

    /**
     * The span whose id the samples carry while {@code context} is current, or null for none: a span
     * of this process that is sampled (so exported); in root-only mode the context's local root.
     */
    ReadableSpan choose(Context context) {
        Span span = Span.fromContext(context);
        if (!(span instanceof ReadableSpan) || !span.getSpanContext().isSampled()) {
            return null;
        }
        ReadableSpan readable = (ReadableSpan) span;
        if (!rootSpanOnly || isLocalRoot(readable)) {
            return readable;
        }
        ReadableSpan root = context.get(LOCAL_ROOT);
        // a root of another trace would be a context put together by hand; label nothing rather than a wrong span
        if (root == null || !root.getSpanContext().getTraceId().equals(readable.getSpanContext().getTraceId())) {
            return null;
        }
        return root;
    }

    /** Whether samples can carry this span's id, so whether it gets {@code pyroscope.profile.id}. */
    boolean labels(ReadableSpan span) {
        return span.getSpanContext().isSampled() && (!rootSpanOnly || isLocalRoot(span));
    }
}
