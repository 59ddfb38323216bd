package io.profilingkit.workshop.hashing;

import io.micronaut.core.annotation.Nullable;
import io.profilingkit.workshop.api.ApiException;
import io.profilingkit.workshop.api.Params;

/** The rules for a hash key: 1 to 64 characters from {@code A-Z a-z 0-9 . _ - ~ :}. */
final class HashKey {

    static final int MAX_LENGTH = 64;
    static final String ALLOWED = "A-Z a-z 0-9 . _ - ~ :";

    private HashKey() {
    }

    /** {@code endpoint}: the path the key was missing from, {@code /api/hash} or {@code /api/hash_cached}. */
    static ApiException missing(String endpoint) {
        return ApiException.badParameter("key", "key is required: GET " + endpoint + "/{key} with 1 to "
                + MAX_LENGTH + " characters from " + ALLOWED);
    }

    static String validate(String endpoint, @Nullable String key) {
        if (key == null || key.isEmpty()) {
            throw missing(endpoint);
        }
        if (key.length() > MAX_LENGTH) {
            throw ApiException.badParameter("key", "key must be at most " + MAX_LENGTH
                    + " characters, got " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '~' || c == ':';
            if (!ok) {
                throw ApiException.badParameter("key", "key may only contain " + ALLOWED + "; got '"
                        + Params.echo(key) + "'");
            }
        }
        return key;
    }
}
