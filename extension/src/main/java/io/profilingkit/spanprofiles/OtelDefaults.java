package io.profilingkit.spanprofiles;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.pyroscope.javaagent.api.ConfigurationProvider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The profiler's settings ({@code PYROSCOPE_*}, read by the Pyroscope agent's own provider), with
 * two defaults taken from the OpenTelemetry settings when they are not set: the application name
 * is the service name ({@code OTEL_SERVICE_NAME}, else {@code service.name} of
 * {@code OTEL_RESOURCE_ATTRIBUTES}), and the labels {@code env} and {@code version} are the
 * resource attributes {@code deployment.environment.name} and {@code service.version}.
 *
 * <p>Why: where the OpenTelemetry Operator injects the agent (Kubernetes), it derives the service
 * name from the workload and the version from the image tag, per pod, into {@code OTEL_*}
 * variables; a shared {@code Instrumentation} resource cannot name them in {@code PYROSCOPE_*}
 * variables (its env is added before the operator's, so {@code $(OTEL_SERVICE_NAME)} would not
 * expand). Without this the Pyroscope agent makes up an application name, and the profiles would
 * not meet their traces under one name. A value set explicitly always wins.
 */
final class OtelDefaults implements ConfigurationProvider {

    static final String APPLICATION_NAME = "PYROSCOPE_APPLICATION_NAME";
    static final String LABELS = "PYROSCOPE_LABELS";

    private final ConfigurationProvider pyroscope;
    private final ConfigProperties otel;

    OtelDefaults(ConfigurationProvider pyroscope, ConfigProperties otel) {
        this.pyroscope = pyroscope;
        this.otel = otel;
    }

    @Override
    public String get(String key) {
        String value = pyroscope.get(key);
        if (APPLICATION_NAME.equals(key) && isEmpty(value)) {
            String name = otel.getString("otel.service.name");
            return isEmpty(name) ? otel.getMap("otel.resource.attributes").get("service.name") : name;
        }
        if (LABELS.equals(key)) {
            return labels(value, otel.getMap("otel.resource.attributes"));
        }
        return value;
    }

    /** The labels given, then env and version from the resource attributes where not given. */
    static String labels(String given, Map<String, String> resource) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (!isEmpty(given)) {
            for (String pair : given.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        putIfAbsent(labels, "env", resource.get("deployment.environment.name"));
        putIfAbsent(labels, "version", resource.get("service.version"));
        if (labels.isEmpty()) {
            return given;
        }
        StringBuilder joined = new StringBuilder();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            joined.append(joined.length() == 0 ? "" : ",").append(label.getKey()).append('=').append(label.getValue());
        }
        return joined.toString();
    }

    private static void putIfAbsent(Map<String, String> labels, String key, String value) {
        if (!isEmpty(value) && !labels.containsKey(key)) {
            labels.put(key, value);
        }
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
