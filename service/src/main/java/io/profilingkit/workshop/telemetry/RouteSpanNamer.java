package io.profilingkit.workshop.telemetry;

import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.opentelemetry.api.trace.Span;

/**
 * Names the server span after the route, as {@code GET /api/hash/{key}}, and sets
 * {@code http.route}. The OpenTelemetry agent has no Micronaut instrumentation: its Netty
 * instrumentation creates the server span, named only after the method.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class RouteSpanNamer {

    static final String HTTP_ROUTE = "http.route";

    @RequestFilter
    void nameServerSpan(HttpRequest<?> request) {
        BasicHttpAttributes.getUriTemplate(request).ifPresent(route -> {
            Span span = Span.current();
            span.updateName(request.getMethodName() + " " + route);
            span.setAttribute(HTTP_ROUTE, route);
        });
    }
}
