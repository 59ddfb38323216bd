package io.profilingkit.workshop.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of the OpenTelemetry Operator's {@code Instrumentation} resource that the chart may
 * use, with the Go struct and JSON name each comes from, read at the operator's tag v0.158.0
 * (github.com/open-telemetry/opentelemetry-operator):
 *
 * <ul>
 *   <li>{@code apis/v1alpha1/instrumentation_types.go}: {@code Instrumentation} (metadata, spec),
 *       {@code InstrumentationSpec} (exporter, resource, propagators, sampler, defaults, env, java,
 *       ..., imagePullPolicy, initContainerSecurityContext), {@code Exporter} (endpoint, tls),
 *       {@code Resource} (resourceAttributes, addK8sUIDAttributes), {@code Sampler} (type,
 *       argument), {@code Defaults} (useLabelsForResourceAttributes), {@code Java} (image,
 *       volumeClaimTemplate, volumeLimitSize, env, resources, extensions; note: Java's is
 *       {@code resources}, the other languages' {@code resourceRequirements}), {@code Extensions}
 *       (image, dir, both required);</li>
 *   <li>{@code apis/v1alpha1/samplers.go}: the sampler types; {@code apis/v1alpha1/propagators.go}:
 *       the propagators;</li>
 *   <li>{@code config/crd/bases/opentelemetry.io_instrumentations.yaml}: the one version the CRD
 *       serves and stores, {@code v1alpha1} ({@code apis/v1beta1} exists in the source but is not
 *       served at this tag);</li>
 *   <li>{@code internal/instrumentation/annotation.go}: the annotation
 *       {@code instrumentation.opentelemetry.io/inject-java}, whose value is {@code "true"}, an
 *       Instrumentation's name, or {@code <namespace>/<name>} ({@code podmutator.go},
 *       {@code strings.Cut(instValue, "/")}).</li>
 * </ul>
 *
 * Env vars, resource requirements and security contexts inside it are Kubernetes core types: the
 * test parses them with the Kubernetes model classes.
 */
final class OperatorFields {

    static final String OPERATOR_VERSION = "v0.158.0";
    static final String API_VERSION = "opentelemetry.io/v1alpha1";
    static final String INJECT_JAVA = "instrumentation.opentelemetry.io/inject-java";

    static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    static final Set<String> SPEC = Set.of("exporter", "resource", "propagators", "sampler", "defaults", "env", "java",
            "nodejs", "python", "dotnet", "go", "apacheHttpd", "nginx", "imagePullPolicy", "initContainerSecurityContext");
    static final Set<String> EXPORTER = Set.of("endpoint", "tls");
    static final Set<String> TLS = Set.of("secretName", "configMapName", "ca_file", "cert_file", "key_file");
    static final Set<String> RESOURCE = Set.of("resourceAttributes", "addK8sUIDAttributes");
    static final Set<String> SAMPLER = Set.of("type", "argument");
    static final Set<String> DEFAULTS = Set.of("useLabelsForResourceAttributes");
    static final Set<String> JAVA = Set.of("image", "volumeClaimTemplate", "volumeLimitSize", "env", "resources", "extensions");
    static final Set<String> EXTENSION = Set.of("image", "dir");
    static final Set<String> SAMPLER_TYPES = Set.of("always_on", "always_off", "traceidratio", "parentbased_always_on",
            "parentbased_always_off", "parentbased_traceidratio", "jaeger_remote", "parentbased_jaeger_remote", "xray");
    static final Set<String> PROPAGATORS = Set.of("tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray", "ottrace", "none");
    static final Set<String> PULL_POLICIES = Set.of("Always", "Never", "IfNotPresent");

    private OperatorFields() {
    }

    /** What in an Instrumentation is not a field of the pinned operator's, or not of its type: empty when it is right. */
    static List<String> problems(Map<?, ?> instrumentation) {
        List<String> problems = new ArrayList<>();
        if (!API_VERSION.equals(instrumentation.get("apiVersion"))) {
            problems.add("apiVersion " + instrumentation.get("apiVersion") + ": the CRD of " + OPERATOR_VERSION + " serves " + API_VERSION);
        }
        fields("", instrumentation, TOP, problems);
        Map<?, ?> spec = map("spec", instrumentation.get("spec"), problems);
        fields("spec", spec, SPEC, problems);
        fields("spec.exporter", map("spec.exporter", spec.get("exporter"), problems), EXPORTER, problems);
        Map<?, ?> exporter = map("spec.exporter", spec.get("exporter"), problems);
        if (exporter.get("tls") != null) {
            fields("spec.exporter.tls", map("spec.exporter.tls", exporter.get("tls"), problems), TLS, problems);
        }
        Map<?, ?> resource = map("spec.resource", spec.get("resource"), problems);
        fields("spec.resource", resource, RESOURCE, problems);
        if (resource.get("resourceAttributes") != null) {
            map("spec.resource.resourceAttributes", resource.get("resourceAttributes"), problems)
                    .forEach((k, v) -> {
                        if (!(v instanceof String)) {
                            problems.add("spec.resource.resourceAttributes." + k + " must be a string (map[string]string), is " + v);
                        }
                    });
        }
        Map<?, ?> sampler = map("spec.sampler", spec.get("sampler"), problems);
        fields("spec.sampler", sampler, SAMPLER, problems);
        if (sampler.get("type") != null && !SAMPLER_TYPES.contains(sampler.get("type"))) {
            problems.add("spec.sampler.type " + sampler.get("type") + " is not one of " + SAMPLER_TYPES);
        }
        if (sampler.get("argument") != null && !(sampler.get("argument") instanceof String)) {
            problems.add("spec.sampler.argument must be a string, is " + sampler.get("argument"));
        }
        if (spec.get("propagators") != null) {
            for (Object p : (List<?>) spec.get("propagators")) {
                if (!PROPAGATORS.contains(p)) {
                    problems.add("spec.propagators: " + p + " is not one of " + PROPAGATORS);
                }
            }
        }
        fields("spec.defaults", map("spec.defaults", spec.get("defaults"), problems), DEFAULTS, problems);
        if (spec.get("imagePullPolicy") != null && !PULL_POLICIES.contains(spec.get("imagePullPolicy"))) {
            problems.add("spec.imagePullPolicy " + spec.get("imagePullPolicy") + " is not one of " + PULL_POLICIES);
        }
        Map<?, ?> java = map("spec.java", spec.get("java"), problems);
        fields("spec.java", java, JAVA, problems);
        if (java.get("extensions") != null) {
            for (Object e : (List<?>) java.get("extensions")) {
                Map<?, ?> extension = map("spec.java.extensions[]", e, problems);
                fields("spec.java.extensions[]", extension, EXTENSION, problems);
                for (String required : EXTENSION) {
                    if (!(extension.get(required) instanceof String s) || s.isBlank()) {
                        problems.add("spec.java.extensions[]." + required + " is required");
                    }
                }
            }
        }
        return problems;
    }

    private static void fields(String path, Map<?, ?> object, Set<String> known, List<String> problems) {
        for (Object key : object.keySet()) {
            if (!known.contains(key)) {
                problems.add((path.isEmpty() ? "" : path + ".") + key + " is not a field of the operator's " + OPERATOR_VERSION
                        + " Instrumentation" + (path.isEmpty() ? "" : " (" + path + " has " + known + ")"));
            }
        }
    }

    private static Map<?, ?> map(String path, Object value, List<String> problems) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        problems.add(path + " must be an object, is " + value);
        return Map.of();
    }
}
