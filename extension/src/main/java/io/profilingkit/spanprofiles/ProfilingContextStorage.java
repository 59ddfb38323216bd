package io.profilingkit.spanprofiles;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.pyroscope.javaagent.api.ProfilerApi;
import io.pyroscope.javaagent.api.ProfilerApiHolder;

/**
 * The agent's context storage, with the profiler's thread context kept equal to the current
 * context: set when a context is attached to a thread, set again from the context that is current
 * after its scope closes. See the package documentation.
 */
final class ProfilingContextStorage implements ContextStorage {

    private final ContextStorage delegate;
    private final SpanChoice choice;
    private final boolean addSpanName;
    private final boolean addTraceId;

    ProfilingContextStorage(ContextStorage delegate, SpanChoice choice, boolean addSpanName, boolean addTraceId) {
        this.delegate = delegate;
        this.choice = choice;
        this.addSpanName = addSpanName;
        this.addTraceId = addTraceId;
    }

    @Override
    public Scope attach(Context toAttach) {
        Context attached = choice.remember(toAttach);
        Scope scope = delegate.attach(attached);
        label(attached);
        return () -> {
            scope.close();
            label(delegate.current());
        };
    }

    @Override
    public Context current() {
        return delegate.current();
    }

    @Override
    public Context root() {
        return delegate.root();
    }

    private void label(Context context) {
        ProfilerApi profiler = ProfilerApiHolder.INSTANCE.get();
        if (profiler == null) {
            return;
        }
        ReadableSpan span = context == null ? null : choice.choose(context);
        if (span == null) {
            profiler.setTracingContext(0, 0);
            if (addTraceId) {
                profiler.clearTraceId();
            }
            return;
        }
        long spanId = Long.parseUnsignedLong(span.getSpanContext().getSpanId(), 16);
        long name = addSpanName ? profiler.registerConstant(span.getName()) : 0;
        profiler.setTracingContext(spanId, name);
        if (addTraceId) {
            profiler.setTraceId(span.getSpanContext().getTraceId());
        }
    }
}
