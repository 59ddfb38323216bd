package io.profilingkit.workshop.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The marker that keeps scrapes and health checks out of the traces (the real agent: TelemetryIT). */
class UntracedPathsTest {

    static final String W3C_NOT_SAMPLED = "00-[0-9a-f]{32}-[0-9a-f]{16}-00";

    @Test
    void marksOnlyTheListedPathsAsNotSampledWhateverTheCallerSent() {
        EmbeddedChannel channel = new EmbeddedChannel(new UntracedPaths.NotSampledMarker(Set.of("/metrics", "/health")));
        HttpRequest scrape = request("/metrics");
        HttpRequest health = request("/health?probe=docker");
        health.headers().set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        health.headers().set("tracestate", "vendor=1");
        HttpRequest api = request("/api/hash/metrics");
        api.headers().set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        channel.writeInbound(scrape, health, api);

        assertTrue(scrape.headers().get("traceparent").matches(W3C_NOT_SAMPLED), scrape.headers().get("traceparent"));
        assertTrue(health.headers().get("traceparent").matches(W3C_NOT_SAMPLED), health.headers().get("traceparent"));
        assertNull(health.headers().get("tracestate"));
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", api.headers().get("traceparent"));
        assertEquals(3, channel.inboundMessages().size(), "every request is passed on");
    }

    @Test
    void goesInFrontOfTheAgentsServerHandlerOnlyWhenThereIsOne() {
        EmbeddedChannel withAgent = new EmbeddedChannel();
        withAgent.pipeline().addLast("http-server-codec", new ChannelInboundHandlerAdapter());
        withAgent.pipeline().addLast(
                "io.opentelemetry.javaagent.shaded.instrumentation.netty.v4_1.internal.server.HttpServerTracingHandler",
                new ChannelInboundHandlerAdapter());
        withAgent.pipeline().addLast("micronaut-inbound-handler", new ChannelInboundHandlerAdapter());
        assertEquals("io.opentelemetry.javaagent.shaded.instrumentation.netty.v4_1.internal.server.HttpServerTracingHandler",
                UntracedPaths.agentServerHandler(withAgent.pipeline()));

        EmbeddedChannel bare = new EmbeddedChannel();
        bare.pipeline().addLast("http-server-codec", new ChannelInboundHandlerAdapter());
        bare.pipeline().addLast("micronaut-inbound-handler", new ChannelInboundHandlerAdapter());
        assertNull(UntracedPaths.agentServerHandler(bare.pipeline()));
    }

    @Test
    void readsACommaSeparatedListAndAnEmptyOne() {
        assertEquals(Set.of("/metrics", "/health"), new UntracedPaths(" /metrics, /health ,").paths());
        assertEquals(Set.of(), new UntracedPaths("").paths());
    }

    private static HttpRequest request(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
