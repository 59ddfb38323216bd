package io.profilingkit.workshop.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns an {@link ApiException} into its status and JSON body. */
@Produces
@Singleton
final class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ApiException e) {
        ApiError body = new ApiError(e.status().getCode(), e.status().getReason(), e.getMessage(),
                e.parameter(), request.getPath());
        return HttpResponse.<ApiError>status(e.status()).body(body);
    }
}
