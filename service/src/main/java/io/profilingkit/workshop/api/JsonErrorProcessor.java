package io.profilingkit.workshop.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Gives the errors Micronaut raises itself (unknown route, wrong method, unreadable request,
 * oversized body) the same JSON body as the service's own, whatever the client accepts.
 */
@Singleton
final class JsonErrorProcessor implements ErrorResponseProcessor<ApiError> {

    /** Netty's defaults, which Micronaut keeps: {@code micronaut.server.netty.max-initial-line-length} and {@code max-header-size}. */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    private static final String UNREAD_REQUEST_PATH = "/bad-request";

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        HttpStatus status = response.getStatus();
        String message = switch (status) {
            case NOT_FOUND -> "no such endpoint: " + request.getMethodName() + " " + Params.echo(request.getPath())
                    + " (the API is GET /api/primes, /api/hash/{key}, /api/hash_cached/{key}, /api/slow_io,"
                    + " /api/alloc, /api/contention, GET /health and GET /metrics)";
            case METHOD_NOT_ALLOWED -> "method " + request.getMethodName() + " is not allowed on "
                    + Params.echo(request.getPath()) + "; every endpoint answers GET (and HEAD) only";
            case REQUEST_ENTITY_TOO_LARGE -> "request too large: the URL is limited to " + MAX_INITIAL_LINE
                    + " bytes, the headers to " + MAX_HEADERS + " bytes, and no endpoint takes a body";
            case INTERNAL_SERVER_ERROR -> "internal error";
            default -> context.getErrors().stream().map(Error::getMessage).findFirst()
                    .orElse(status.getReason());
        };
        ApiError body = new ApiError(status.getCode(), status.getReason(), message, null, pathOf(request, status));
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    /**
     * The request's path, or none where the request line or headers could not be read: Netty then
     * hands on a stand-in request whose path is {@code /bad-request} ({@code HttpObjectDecoder}'s
     * invalid message), which is not the path the client asked for.
     */
    private static @Nullable String pathOf(HttpRequest<?> request, HttpStatus status) {
        boolean unread = status == HttpStatus.REQUEST_ENTITY_TOO_LARGE
                || (status == HttpStatus.BAD_REQUEST && UNREAD_REQUEST_PATH.equals(request.getPath()));
        return unread ? null : request.getPath();
    }
}
