package io.profilingkit.workshop.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables service/run-instrumented.sh sets for a service of one's own with a preset, read out
 * of the script: {@code export NAME=value} and {@code export NAME=${NAME:-default}}, with the preset's
 * values ({@code preset_*}) put in. What the chart sets otherwise, and why, is {@link #NOT_IN_THE_CHART}.
 */
final class LauncherDefaults {

    static final Map<String, String> NOT_IN_THE_CHART = Map.ofEntries(
            Map.entry("TELEMETRY_PRESET", "the chart's value preset"),
            Map.entry("SERVICE_NAME", "the workshop service's defaults: a workload's name comes from the operator"),
            Map.entry("APP_ENV", "the workshop service's defaults: values.environment"),
            Map.entry("APP_VERSION", "the workshop service's defaults: the operator takes the image tag"),
            Map.entry("OTEL_SERVICE_NAME", "the operator sets it per workload"),
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "spec.exporter.endpoint, from the destination"),
            Map.entry("PYROSCOPE_SERVER_ADDRESS", "from the destination"),
            Map.entry("PYROSCOPE_APPLICATION_NAME", "the extension takes the service name (OtelDefaults)"),
            Map.entry("OTEL_JAVAAGENT_EXTENSIONS", "the operator's JAVA_TOOL_OPTIONS: -Dotel.javaagent.extensions"),
            Map.entry("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "true for a service of one's own: the agent's default"),
            Map.entry("OTEL_INSTRUMENTATION_NETTY_ENABLED", "the agent's default"),
            Map.entry("OTEL_INSTRUMENTATION_EXECUTORS_ENABLED", "the agent's default"),
            Map.entry("OTEL_INSTRUMENTATION_OPENTELEMETRY_INSTRUMENTATION_ANNOTATIONS_ENABLED", "the agent's default"),
            Map.entry("OTEL_INSTRUMENTATION_OPENTELEMETRY_API_ENABLED", "the agent's default"),
            Map.entry("WORKSHOP_TELEMETRY_UNTRACED_PATHS", "the demo service's own setting"),
            Map.entry("PYROSCOPE_LOG_LEVEL", "info, the agent's default"),
            Map.entry("OTEL_BSP_EXPORT_TIMEOUT", "the launcher's quick stop on a laptop; a pod has 30 s to stop, the agent's default"),
            Map.entry("PYROSCOPE_AP_EXTRA_ARGUMENTS", "the wall clock, checked on its own"));

    private static final Pattern EXPORT = Pattern.compile("(?m)^\\s*export ([A-Z_]+)=(?:\\$\\{\\1:?-([^}]*)\\}|([^$\\s\"]+)|\\$([a-z_]+))\\s*$");

    private LauncherDefaults() {
    }

    static Map<String, String> read(String preset) throws IOException {
        String script = Files.readString(Chart.ROOT.resolve("service/run-instrumented.sh"));
        Map<String, String> shell = new LinkedHashMap<>(presetValues(script, preset));
        shell.put("root_span_only", "true");        // a service of one's own
        shell.put("all_instrumentations", "true");  // a service of one's own
        Map<String, String> exported = new LinkedHashMap<>();
        Matcher m = EXPORT.matcher(script);
        while (m.find()) {
            String value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : "$" + m.group(4);
            if (value.startsWith("$")) {
                value = shell.get(value.substring(1));
            }
            if (value != null && !value.isEmpty()) {
                exported.put(m.group(1), value);
            }
        }
        if (exported.size() < 20) {
            throw new AssertionError("read only " + exported.size() + " variables out of run-instrumented.sh: " + exported);
        }
        return exported;
    }

    /** The preset_* assignments of the preset's branch of the script's case statement. */
    private static Map<String, String> presetValues(String script, String preset) {
        Matcher branch = Pattern.compile("(?s)\\n\\s*" + preset + "\\)\\n(.*?);;").matcher(script);
        if (!branch.find()) {
            throw new AssertionError("run-instrumented.sh has no preset " + preset);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Matcher assignment = Pattern.compile("(preset_[a-z_]+)=(\\S*)").matcher(branch.group(1));
        while (assignment.find()) {
            values.put(assignment.group(1), assignment.group(2));
        }
        return values;
    }
}
