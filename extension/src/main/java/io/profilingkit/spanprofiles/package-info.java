/**
 * Span profiles for the OpenTelemetry Java agent: CPU, wall-clock, allocation and lock samples that
 * carry the id of the span they were taken in, and spans that carry {@code pyroscope.profile.id},
 * so that Grafana's "Profiles for this span" shows what a request did.
 *
 * <h2>Why the kit has its own</h2>
 * The upstream extension on Maven Central, {@code io.pyroscope:otel} 1.0.2, is a span processor: it
 * sets the profiler's thread context in {@code onStart} and clears it in {@code onEnd} of every span.
 * A span's start and end are not where a thread enters and leaves it. The first child span that
 * ends (a repository call, a JDBC statement) clears the root's label for the rest of the request,
 * and a request whose work is handed to an executor is never labelled on the worker at all. Upstream
 * has since moved to following the context instead, but only in releases that are not on Maven
 * Central. This module does the same on published APIs only: the agent's extension SPI
 * ({@code opentelemetry-javaagent-extension-api}, {@code AutoConfigurationCustomizerProvider}) and
 * the Pyroscope agent's {@link io.pyroscope.javaagent.api.ProfilerApi} ({@code io.pyroscope:agent}).
 *
 * <h2>Design</h2>
 * <ul>
 *   <li>{@link io.profilingkit.spanprofiles.ProfilingContextStorage} wraps the agent's context
 *   storage ({@code ContextStorage.addWrapper}). Every time a context becomes current on a thread
 *   (a request starts, a child span's scope opens, the agent carries a request's context to an
 *   executor's worker), the profiler's thread context is set from it; every time that scope closes,
 *   it is set from the context that is current again, which is "no span" once the request's context
 *   is gone from a pooled thread. Samples therefore carry the span of the context that is current on
 *   their thread, wherever the span was started or ended.</li>
 *   <li>{@link io.profilingkit.spanprofiles.VirtualThreadInstrumentation} does the same for virtual
 *   threads, the extension's one instrumentation ({@link io.profilingkit.spanprofiles.VirtualThreadsModule}).
 *   The profiler keeps its context per OS thread, and a virtual thread that parks goes on later on
 *   another carrier: after {@code java.lang.VirtualThread.mount()} the carrier's context is set from
 *   the virtual thread's current context, before {@code unmount()} it is cleared. What a label
 *   needs is worked out once per span ({@link io.profilingkit.spanprofiles.SpanLabel}: the parsed span
 *   id, the trace id, the registered name) and kept in the context, so a mount costs a context lookup
 *   and three calls into the profiler.</li>
 *   <li>{@link io.profilingkit.spanprofiles.SpanChoice} decides which span that is. Root-only mode
 *   ({@code otel.pyroscope.root.span.only=true}, the default): the request's local root span (the
 *   server span), whatever child span is current, so "Profiles for this span" on the server span
 *   holds the whole request. All-spans mode: the innermost current span; when a child's scope
 *   closes, its parent's id is back. The local root's label is remembered in the context itself,
 *   under a key of this module, from the moment the root's context is first made current; child
 *   contexts are built from it and inherit it.</li>
 *   <li>{@link io.profilingkit.spanprofiles.ProfileIdSpanProcessor} sets {@code pyroscope.profile.id}
 *   (the span's own id) on exactly the spans samples can carry: sampled local roots in root-only
 *   mode, every sampled span otherwise. Unsampled spans never label samples, so no profile points
 *   at a trace that was not exported.</li>
 *   <li>Samples also carry the trace id ({@code ProfilerApi.setTraceId}): async-profiler writes it as
 *   the JFR fields {@code traceIdHi}/{@code traceIdLo}, which Pyroscope 2.2.1 (jfr-parser v0.18.0,
 *   {@code pprof/profile_builder.go}) stores as the sample label {@code trace_id}.</li>
 *   <li>The span name on samples ({@code span_name}, with {@code otel.pyroscope.add.span.name}) is
 *   read every time a label is set (a context attached or closed, a virtual thread mounted, the
 *   current context read by instrumentation), not when the span starts: a server span starts as
 *   {@code GET} and is renamed by route once the framework has matched the request. While a server
 *   span's name is still provisional (the method alone, or a servlet's wildcard route such as
 *   {@code GET /*}), samples carry no name rather than one that lumps every route together.</li>
 *   <li>{@link io.profilingkit.spanprofiles.SpanProfilesCustomizerProvider} starts the profiler
 *   bundled in this jar (the Pyroscope agent, configured by the same {@code PYROSCOPE_*} variables),
 *   unless a Pyroscope agent given as {@code -javaagent} already profiles this JVM: one
 *   {@code -javaagent} (OpenTelemetry's) and this extension are enough, which is all that platforms
 *   injecting only the OpenTelemetry agent and its extensions (the OpenTelemetry Operator) give.
 *   Where such a platform names the service per pod in {@code OTEL_*} variables only, the profiles
 *   follow: {@link io.profilingkit.spanprofiles.OtelDefaults} takes the application name and the
 *   {@code env}/{@code version} labels from the OpenTelemetry settings when {@code PYROSCOPE_*} do
 *   not give them.</li>
 * </ul>
 *
 * <h2>Settings</h2>
 * The names of {@code io.pyroscope:otel}, so a launcher written for it keeps working:
 * {@code OTEL_PYROSCOPE_START_PROFILING} (default true), {@code OTEL_PYROSCOPE_ROOT_SPAN_ONLY}
 * (default true), {@code OTEL_PYROSCOPE_ADD_SPAN_NAME} (default true), and the Pyroscope agent's own
 * {@code PYROSCOPE_*}. Two of its own: {@code OTEL_PYROSCOPE_ADD_TRACE_ID} (default true; false
 * leaves the trace id off the samples, and its bytes off the uploads), and
 * {@code OTEL_INSTRUMENTATION_SPAN_PROFILES_VIRTUAL_THREADS_ENABLED} (default true; the agent's
 * switch for the virtual-thread hook, false only for a comparison).
 */
package io.profilingkit.spanprofiles;
