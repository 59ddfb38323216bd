package io.profilingkit.spanprofiles;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Puts {@code pyroscope.profile.id} (the span's own id) on the spans whose ids samples can carry:
 * what Grafana's "Profiles for this span" looks for. The labelling itself follows the context
 * ({@link ProfilingContextStorage}), not the span's start and end.
 */
final class ProfileIdSpanProcessor implements SpanProcessor {

    static final AttributeKey<String> PROFILE_ID = AttributeKey.stringKey("pyroscope.profile.id");

    private final SpanChoice choice;

    ProfileIdSpanProcessor(SpanChoice choice) {
        this.choice = choice;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (choice.labels(span)) {
            span.setAttribute(PROFILE_ID, span.getSpanContext().getSpanId());
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
