package io.profilingkit.spanprofiles;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.sdk.trace.ReadableSpan;

/** Which span a thread's samples carry while a context is current: the local root, or the innermost span. */
final class SpanChoice {

    /**
     * The label of the span a context chooses, put into the context when it is attached. In root-only
     * mode it is the local root's, put there when the root's own context is first made current and
     * inherited by every context built from it: that is how a child's context knows its root.
     */
    static final ContextKey<SpanLabel> LABEL = ContextKey.named("profilingkit-span-label");

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
     * The label of the span whose id the samples carry while {@code context} is current, or null for
     * none: a span of this process that is sampled (so exported); in root-only mode the context's
     * local root. Taken from the context when it holds it already, so that this is cheap enough for
     * every virtual-thread mount.
     */
    SpanLabel choose(Context context) {
        Span span = Span.fromContext(context);
        if (!(span instanceof ReadableSpan) || !span.getSpanContext().isSampled()) {
            return null;
        }
        ReadableSpan readable = (ReadableSpan) span;
        SpanLabel stored = context.get(LABEL);
        if (!rootSpanOnly || isLocalRoot(readable)) {
            return stored != null && stored.span == readable ? stored : new SpanLabel(readable);
        }
        // a root of another trace would be a context put together by hand; label nothing rather than a wrong span
        if (stored == null || !stored.traceId.equals(readable.getSpanContext().getTraceId())) {
            return null;
        }
        return stored;
    }

    /** The context to attach in place of {@code context}: the same, holding {@code label} if it does not yet. */
    static Context remember(Context context, SpanLabel label) {
        return label == null || context.get(LABEL) == label ? context : context.with(LABEL, label);
    }

    /** Whether samples can carry this span's id, so whether it gets {@code pyroscope.profile.id}. */
    boolean labels(ReadableSpan span) {
        return span.getSpanContext().isSampled() && (!rootSpanOnly || isLocalRoot(span));
    }
}
