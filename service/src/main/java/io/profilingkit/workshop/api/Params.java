package io.profilingkit.workshop.api;

import io.micronaut.core.annotation.Nullable;

/** Parses request parameters against explicit limits, failing with a message that names the parameter. */
public final class Params {

    /** Longest text of a parameter echoed back in an error message. */
    private static final int ECHO_LIMIT = 24;

    private Params() {
    }

    /**
     * Parses an optional whole-number parameter.
     *
     * @return {@code defaultValue} when the parameter is absent, else its value
     * @throws ApiException (400) when it is empty, not a whole number, or outside {@code [min, max]}
     */
    public static int intInRange(String name, @Nullable String raw, int defaultValue, int min, int max) {
        if (raw == null) {
            return defaultValue;
        }
        String range = " between " + min + " and " + max;
        if (raw.isBlank()) {
            throw ApiException.badParameter(name, name + " must not be empty: give a whole number" + range);
        }
        if (!raw.matches("-?[0-9]+")) {
            throw ApiException.badParameter(name,
                    name + " must be a whole number" + range + ", got '" + echo(raw) + "'");
        }
        long value;
        try {
            value = raw.length() > 12 ? (raw.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            value = Long.MAX_VALUE;
        }
        if (value < min) {
            throw ApiException.badParameter(name, name + " must be at least " + min + ", got " + echo(raw));
        }
        if (value > max) {
            throw ApiException.badParameter(name, name + " must be at most " + max + ", got " + echo(raw));
        }
        return (int) value;
    }

    /** Shortens and neutralises user input before it is put in an error message. */
    public static String echo(String raw) {
        StringBuilder out = new StringBuilder();
        raw.codePoints().limit(ECHO_LIMIT).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u%04x", cp & 0xffff));
            }
        });
        if (raw.codePointCount(0, raw.length()) > ECHO_LIMIT) {
            out.append("...");
        }
        return out.toString();
    }
}
