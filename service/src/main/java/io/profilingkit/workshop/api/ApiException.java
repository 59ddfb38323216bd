package io.profilingkit.workshop.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;

/** A request the service refuses, answered with {@link ApiError} and the given status. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String parameter;

    public ApiException(HttpStatus status, @Nullable String parameter, String message) {
        super(message, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    public static ApiException badParameter(String parameter, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, parameter, message);
    }

    public HttpStatus status() {
        return status;
    }

    @Nullable
    public String parameter() {
        return parameter;
    }
}
