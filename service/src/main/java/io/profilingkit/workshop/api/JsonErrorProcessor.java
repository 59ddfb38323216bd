package io.profilingkit.workshop.api;

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

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        HttpStatus status = response.getStatus();
        String message = switch (status) {
            case NOT_FOUND -> "no such endpoint: " + request.getMethodName() + " " + Params.echo(request.getPath())
                    + " (the API is GET /api/primes, /api/hash/{key}, /api/hash_cached/{key}, /api/slow_io,"
                    + " /api/alloc, /api/contention and GET /health)";
            case METHOD_NOT_ALLOWED -> "method " + request.getMethodName() + " is not allowed on "
                    + Params.echo(request.getPath()) + "; every endpoint answers GET only";
            case INTERNAL_SERVER_ERROR -> "internal error";
            default -> context.getErrors().stream().map(Error::getMessage).findFirst()
                    .orElse(status.getReason());
        };
        ApiError body = new ApiError(status.getCode(), status.getReason(), message, null, request.getPath());
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }
}
