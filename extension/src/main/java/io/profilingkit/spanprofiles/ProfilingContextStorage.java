package io.profilingkit.spanprofiles;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import io.pyroscope.javaagent.api.ProfilerApi;
import io.pyroscope.javaagent.api.ProfilerApiHolder;
import java.util.function.IntConsumer;

/**
 * The agent's context storage, with the profiler's thread context kept equal to the current
 * context: set when a context is attached to a thread, set again from the context that is current
 * after its scope closes, and, on virtual threads, set when one mounts on a carrier and cleared when
 * it unmounts. See the package documentation.
 *
 * <p>It is an {@link IntConsumer} of {@link #MOUNTED} and {@link #UNMOUNTING} because that is how the
 * advice {@link VirtualThreadInstrumentation} inlines into {@code java.lang.VirtualThread} reaches
 * it: that code runs in the boot class loader, which sees the agent's {@link ContextStorage} (and
 * so {@code ContextStorage.get()}, this object) and the JDK's own interfaces, not this class.
 */
final class ProfilingContextStorage implements ContextStorage, IntConsumer {

    /** A virtual thread has just mounted on the current carrier thread (the current thread is the virtual one). */
    static final int MOUNTED = 1;
    /** A virtual thread is about to leave its carrier. */
    static final int UNMOUNTING = 2;

    private final ContextStorage delegate;
    private final SpanChoice choice;
    private final boolean addSpanName;
    private final boolean addTraceId;

    ProfilingContextStorage(ContextStorage delegate, SpanChoice choice, boolean addSpanName, boolean addTraceId) {
        this.delegate = delegate;
        this.choice = choice;
        this.addSpanName = addSpanName;
        this.addTraceId = addTraceId;
        // loaded now, not on a first mount: class loading inside a mount would run in the middle of
        // the virtual thread's switch to its carrier
        SpanLabel.class.getName();
        ProfilerApiHolder.INSTANCE.get();
    }

    @Override
    public Scope attach(Context toAttach) {
        SpanLabel label = toAttach == null ? null : choice.choose(toAttach);
        Scope scope = delegate.attach(SpanChoice.remember(toAttach, label));
        apply(label);
        return () -> {
            scope.close();
            applyCurrent();
        };
    }

    /** The current context; where instrumentation reads it after renaming its span, the label follows the new name. */
    @Override
    public Context current() {
        Context current = delegate.current();
        SpanLabel label = current == null ? null : choice.choose(current);
        if (label != null && addSpanName && label.renamed()) {
            apply(label);
        }
        return current;
    }

    @Override
    public Context root() {
        return delegate.root();
    }

    /** The virtual-thread hook: a carrier's profiler context is that of the virtual thread it runs, or none. */
    @Override
    public void accept(int event) {
        if (event == MOUNTED) {
            applyCurrent();
        } else if (event == UNMOUNTING) {
            apply(null);
        }
    }

    private void applyCurrent() {
        Context current = delegate.current();
        apply(current == null ? null : choice.choose(current));
    }

    private void apply(SpanLabel label) {
        ProfilerApi profiler = ProfilerApiHolder.INSTANCE.get();
        if (profiler == null) {
            return;
        }
        if (label == null) {
            profiler.setTracingContext(0, 0);
            if (addTraceId) {
                profiler.clearTraceId();
            }
            return;
        }
        profiler.setTracingContext(label.spanId, addSpanName ? label.nameId(profiler) : 0);
        if (addTraceId) {
            profiler.setTraceId(label.traceId);
        }
    }
}
