package io.profilingkit.workshop.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON body of every error response.
 *
 * @param status    the HTTP status code, repeated for clients that only read the body
 * @param error     the HTTP reason phrase
 * @param message   what was wrong, in words a user can act on
 * @param parameter the request parameter at fault, when there is one
 * @param path      the request path; none where the request could not be read (a URL or headers
 *                  over the limits: 413)
 */
@Serdeable
public record ApiError(int status, String error, String message, @Nullable String parameter, @Nullable String path) {
}
