package io.profilingkit.workshop.telemetry;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the requests to some paths (run-instrumented.sh sets {@code /metrics} and {@code /health}:
 * Prometheus scrapes, health checks) out of the traces.
 *
 * <p>The OpenTelemetry agent 2.33.1 can exclude paths only through its declarative configuration
 * file (the {@code rule_based} sampler), and with that file it skips every
 * {@code AutoConfigurationCustomizerProvider}, so the Pyroscope extension would stop marking spans
 * for their profiles. Instead this hands the agent's own default sampler
 * ({@code parentbased_always_on}) a decision it already makes: before the agent's Netty handler
 * reads the request, such a request gets a W3C {@code traceparent} whose sampled flag is off, so the
 * server span and everything under it are not recorded and never exported. Metrics still count the
 * request. Without the agent (no tracing handler in the pipeline) nothing is changed.
 */
@Singleton
final class UntracedPaths implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String HANDLER_NAME = "workshop-untraced-paths";
    private static final Logger LOG = LoggerFactory.getLogger(UntracedPaths.class);

    private final Set<String> paths;
    private final ChannelHandler handler;

    UntracedPaths(@Value("${workshop.telemetry.untraced-paths:}") String paths) {
        this.paths = Arrays.stream(paths.split(",")).map(String::strip).filter(p -> !p.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.handler = new NotSampledMarker(this.paths);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        NettyServerCustomizer.Registry registry = event.getBean();
        if (!paths.isEmpty()) {
            registry.register(new Customizer(null));
            LOG.debug("Requests to {} are not traced", paths);
        }
        return registry;
    }

    Set<String> paths() {
        return paths;
    }

    /** Puts the marker in front of the agent's server handler on every HTTP/1.1 connection. */
    private final class Customizer implements NettyServerCustomizer {

        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null) {
                return;
            }
            ChannelPipeline pipeline = channel.pipeline();
            String tracing = agentServerHandler(pipeline);
            if (tracing != null && pipeline.get(HANDLER_NAME) == null) {
                pipeline.addBefore(tracing, HANDLER_NAME, handler);
            }
        }
    }

    /**
     * The name of the agent's handler after the HTTP codec, or null. The agent names its handlers
     * after their classes ({@code io.opentelemetry.javaagent...HttpServerTracingHandler}).
     */
    static String agentServerHandler(ChannelPipeline pipeline) {
        List<String> names = pipeline.names();
        int codec = names.indexOf(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC);
        if (codec < 0) {
            return null;
        }
        return names.subList(codec + 1, names.size()).stream()
                .filter(name -> name.startsWith("io.opentelemetry.javaagent.") && name.endsWith("ServerTracingHandler"))
                .findFirst().orElse(null);
    }

    /** Gives requests to the untraced paths a parent that is not sampled. */
    @ChannelHandler.Sharable
    static final class NotSampledMarker extends ChannelInboundHandlerAdapter {

        private final Set<String> paths;

        NotSampledMarker(Set<String> paths) {
            this.paths = paths;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && paths.contains(pathOf(request.uri()))) {
                HttpHeaders headers = request.headers();
                headers.set("traceparent", notSampledTraceparent());
                headers.remove("tracestate");
            }
            ctx.fireChannelRead(msg);
        }

        static String pathOf(String uri) {
            int end = uri.length();
            for (char c : new char[] {'?', '#'}) {
                int at = uri.indexOf(c);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            return uri.substring(0, end);
        }

        /** A valid W3C traceparent (random non-zero ids) with the sampled flag off. */
        static String notSampledTraceparent() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long high = random.nextLong();
            long low = random.nextLong() | 1;
            long span = random.nextLong() | 1;
            HexFormat hex = HexFormat.of();
            return "00-" + hex.toHexDigits(high) + hex.toHexDigits(low) + "-" + hex.toHexDigits(span) + "-00";
        }
    }
}
