package io.profilingkit.spanprofiles;

import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.javaagent.extension.AgentListener;
import io.pyroscope.javaagent.PyroscopeAgent;
import io.pyroscope.javaagent.config.Config;
import io.pyroscope.javaagent.impl.DefaultConfigurationProvider;
import io.pyroscope.javaagent.api.ProfilerApi;
import io.pyroscope.javaagent.api.ProfilerApiHolder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The extension's entry points, found by the agent through {@code META-INF/services}: wraps the
 * context storage and adds the span processor while the agent configures its SDK, starts the
 * bundled profiler, and checks once the agent is installed that the wrapper is in effect.
 */
public final class SpanProfilesCustomizerProvider implements AutoConfigurationCustomizerProvider, AgentListener {

    private static final Logger LOG = Logger.getLogger(SpanProfilesCustomizerProvider.class.getName());

    /** Set when the context storage was built with this extension's wrapper. */
    static volatile boolean storageWrapped;

    @Override
    public void customize(AutoConfigurationCustomizer autoConfiguration) {
        autoConfiguration.addTracerProviderCustomizer((builder, config) -> {
            SpanChoice choice = new SpanChoice(config.getBoolean("otel.pyroscope.root.span.only", true));
            boolean addSpanName = config.getBoolean("otel.pyroscope.add.span.name", true);
            boolean addTraceId = config.getBoolean("otel.pyroscope.add.trace.id", true);
            // before anything asks the storage for the current context: the storage is built once, with its wrappers
            ContextStorage.addWrapper(storage -> {
                storageWrapped = true;
                return new ProfilingContextStorage(storage, choice, addSpanName, addTraceId);
            });
            startProfiler(config);
            LOG.fine(() -> "span profiles: " + (choice.rootSpanOnly() ? "local root spans" : "every span"));
            return builder.addSpanProcessor(new ProfileIdSpanProcessor(choice));
        });
    }

    private static void startProfiler(ConfigProperties config) {
        ProfilerApi running = ProfilerApiHolder.INSTANCE.get();
        if (running != null && running.isProfilingStarted()) {
            LOG.info("span profiles: a Pyroscope agent already profiles this JVM (-javaagent); samples are labelled through it");
            return;
        }
        if (!config.getBoolean("otel.pyroscope.start.profiling", true)) {
            return;
        }
        // PyroscopeAgent.start publishes its ProfilerApi to ProfilerApiHolder once profiling runs;
        // what ProfilerSdk.startProfiling does, with the service name and tags as defaults (OtelDefaults)
        PyroscopeAgent.start(Config.build(new OtelDefaults(DefaultConfigurationProvider.INSTANCE, config)));
    }

    @Override
    public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
        ContextStorage storage = ContextStorage.get();
        if (!storageWrapped) {
            LOG.log(Level.WARNING, "span profiles: the context storage was built before this extension could wrap it;"
                    + " samples will carry no span ids");
        } else if (!(storage instanceof ProfilingContextStorage)) {
            // the virtual-thread hook reaches the labels through ContextStorage.get() (VirtualThreadInstrumentation)
            LOG.log(Level.WARNING, "span profiles: another extension wraps the context storage around this one's;"
                    + " samples on virtual threads may carry the span of another request");
        }
        if (ProfilerApiHolder.INSTANCE.get() == null) {
            LOG.log(Level.WARNING, "span profiles: no profiler runs (OTEL_PYROSCOPE_START_PROFILING=false and no Pyroscope"
                    + " agent); spans get pyroscope.profile.id but there are no samples to carry it");
        }
    }
}
