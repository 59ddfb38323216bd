package io.profilingkit.spanprofiles;

import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * The extension's one instrumentation: the virtual-thread hook ({@link VirtualThreadInstrumentation}).
 * {@code OTEL_INSTRUMENTATION_SPAN_PROFILES_VIRTUAL_THREADS_ENABLED=false} turns it off (for a
 * comparison; samples on virtual threads then carry the span of whatever ran on their carrier).
 */
public final class VirtualThreadsModule extends InstrumentationModule {

    public VirtualThreadsModule() {
        super("span-profiles-virtual-threads");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.singletonList(new VirtualThreadInstrumentation());
    }
}
