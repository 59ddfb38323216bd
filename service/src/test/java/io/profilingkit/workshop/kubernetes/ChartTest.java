package io.profilingkit.workshop.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.profilingkit.workshop.stack.StackText;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes chart (deploy/helm/profiling-kit, docs/kubernetes.md) without a cluster: Helm lints
 * it and renders it with every values file the docs show; every object binds to the Kubernetes
 * model classes (8.0.0) with no field they do not know; the Instrumentation uses only fields of the
 * pinned OpenTelemetry Operator ({@link OperatorFields}); and what matters holds: the annotation names
 * the Instrumentation, images are pinned, no credential is written out, the env is the launcher's
 * production preset, everything the kit runs has resource limits, and the image tags agree.
 */
class ChartTest {

    /** The values files docs/kubernetes.md shows, with what each must send where. */
    static Stream<String> valuesFiles() {
        return Stream.of("deploy/helm/profiling-kit/values.yaml", "deploy/helm/profiling-kit/values-grafana-cloud.yaml",
                "deploy/helm/profiling-kit/values-k8s-monitoring.yaml", "deploy/kind/values-kind.yaml");
    }

    @Test
    void helmLintsTheChartWithoutAWarning() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();
        assertFalse(lint.isFailed(), "helm lint --strict: " + lint.getMessages());
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void everyValuesFileRendersObjectsKubernetesAndTheOperatorAccept(String values) {
        Chart.Rendered rendered = Chart.render(List.of(values), Map.of());
        assertEquals(1, rendered.instrumentations().size(), "one Instrumentation");
        Map<String, Object> instrumentation = rendered.instrumentations().get(0);
        assertEquals(List.of(), OperatorFields.problems(instrumentation));
        Chart.javaEnv(instrumentation);
        Chart.javaResources(instrumentation);
        Map<String, Object> java = Chart.java(instrumentation);
        List<?> extensions = (List<?>) java.get("extensions");
        assertEquals(1, extensions.size(), "the kit's extension, once");
        assertEquals(DockerfileFacts.read().extensionsDir(), ((Map<?, ?>) extensions.get(0)).get("dir"),
                "the Instrumentation names the directory the extension image holds its jar in");
    }

    /** The demo Deployment's pod template carries the one annotation, naming this release's Instrumentation. */
    @Test
    void theDemoWorkloadNamesTheInstrumentationInItsOneAnnotation() {
        Chart.Rendered rendered = Chart.render(List.of("deploy/kind/values-kind.yaml"), Map.of());
        String name = (String) ((Map<?, ?>) rendered.instrumentations().get(0).get("metadata")).get("name");
        Deployment demo = rendered.deployments().stream()
                .filter(d -> d.getMetadata().getName().equals("workshop-demo")).findFirst().orElseThrow();
        Map<String, String> annotations = demo.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals(Chart.NAMESPACE + "/" + name, annotations.get(OperatorFields.INJECT_JAVA), "pod template annotations: " + annotations);
        assertTrue(rendered.instrumentations().size() == 1 && annotations.keySet().stream()
                        .filter(k -> k.startsWith("instrumentation.opentelemetry.io/")).count() == 1,
                "exactly one instrumentation annotation: " + annotations);
        Container service = demo.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("java", service.getCommand().get(0),
                "the demo starts with plain java (the operator adds the agent), not the kit's launcher, which would add a second");
        String load = rendered.deployments().stream().filter(d -> d.getMetadata().getName().equals("workshop-demo-load"))
                .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(0);
        assertEquals("--url=http://workshop-demo:8080", load, "the load generator sends to the demo's Service");
        assertTrue(rendered.services().stream().anyMatch(s -> s.getMetadata().getName().equals("workshop-demo")));
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void everyImageIsPinnedAndEveryContainerTheKitRunsHasLimits(String values) {
        Chart.Rendered rendered = Chart.render(List.of(values), Map.of());
        Map<String, Object> java = Chart.java(rendered.instrumentations().get(0));
        List<String> images = new ArrayList<>();
        images.add((String) java.get("image"));
        ((List<?>) java.get("extensions")).forEach(e -> images.add((String) ((Map<?, ?>) e).get("image")));
        Chart.containers(rendered).values().forEach(c -> images.add(c.getImage()));
        for (String image : images) {
            assertTrue(pinned(image), image + " is not pinned to an exact tag");
        }
        assertLimits("the agent and extension init containers (spec.java.resources)", Chart.javaResources(rendered.instrumentations().get(0)));
        Chart.containers(rendered).forEach((name, container) -> assertLimits(name, container.getResources()));
    }

    /** The CI cluster's backends: the stack's images and limits, and model-valid objects. */
    @Test
    void theKindBackendsRunTheStacksImagesWithLimits() throws IOException {
        Chart.Rendered backends = Chart.read(Files.readString(Chart.ROOT.resolve("deploy/kind/backends.yaml")));
        Map<String, String> env = dotEnv();
        Map<String, String> expected = new TreeMap<>(Map.of("grafana/grafana", env.get("GRAFANA_IMAGE"),
                "prometheus/prometheus", env.get("PROMETHEUS_IMAGE"), "tempo/tempo", env.get("TEMPO_IMAGE"),
                "pyroscope/pyroscope", env.get("PYROSCOPE_IMAGE")));
        Map<String, String> actual = new TreeMap<>();
        Chart.containers(backends).forEach((name, c) -> {
            actual.put(name, c.getImage());
            assertLimits(name, c.getResources());
        });
        assertEquals(expected, actual, "deploy/kind/backends.yaml runs the images of .env");
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void noCredentialIsWrittenOutOnlyReferencedFromASecret(String values) {
        Chart.Rendered rendered = Chart.render(List.of(values), Map.of());
        List<EnvVar> env = new ArrayList<>(Chart.javaEnv(rendered.instrumentations().get(0)));
        Chart.containers(rendered).values().forEach(c -> env.addAll(c.getEnv()));
        for (EnvVar var : env) {
            if (var.getName().matches(".*(HEADERS|PASSWORD|TOKEN|SECRET|AUTH).*")) {
                assertEquals(null, var.getValue(), var.getName() + " is written out in the manifest");
                assertNotNull(var.getValueFrom() == null ? null : var.getValueFrom().getSecretKeyRef(),
                        var.getName() + " must come from a Secret (valueFrom.secretKeyRef)");
            }
        }
        assertFalse(Pattern.compile("(?i)(Basic|Bearer)(%20| )[A-Za-z0-9+/=]{8,}|glc_[A-Za-z0-9]").matcher(rendered.text()).find(),
                "a credential in the rendered manifests");
    }

    @Test
    void grafanaCloudTakesItsCredentialsFromTheSecretTheDocsCreate() {
        Chart.Rendered rendered = Chart.render(List.of("deploy/helm/profiling-kit/values-grafana-cloud.yaml"), Map.of());
        Map<String, String> fromSecret = new TreeMap<>();
        for (EnvVar var : Chart.javaEnv(rendered.instrumentations().get(0))) {
            if (var.getValueFrom() != null) {
                fromSecret.put(var.getName(), var.getValueFrom().getSecretKeyRef().getName() + "/" + var.getValueFrom().getSecretKeyRef().getKey());
            }
        }
        // the variables of examples/remote/grafana-cloud.env that hold credentials
        assertEquals(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "grafana-cloud-telemetry/otlp-headers",
                "PYROSCOPE_BASIC_AUTH_USER", "grafana-cloud-telemetry/profiles-user",
                "PYROSCOPE_BASIC_AUTH_PASSWORD", "grafana-cloud-telemetry/profiles-password"), fromSecret);
        assertTrue(rendered.text().contains("endpoint: \"https://otlp-gateway-"), "traces to the OTLP gateway");
    }

    /**
     * The Instrumentation's env is what service/run-instrumented.sh sets for a service of one's own
     * with the preset: each variable it sets to a fixed value or a default, with the preset's values.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"production", "workshop"})
    void theEnvIsTheLaunchersPreset(String preset) throws IOException {
        Map<String, String> launcher = LauncherDefaults.read(preset);
        Chart.Rendered rendered = Chart.render(List.of(), Map.of("preset", preset));
        Map<String, Object> instrumentation = rendered.instrumentations().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        Chart.javaEnv(instrumentation).forEach(v -> env.put(v.getName(), v.getValue()));
        Map<?, ?> sampler = (Map<?, ?>) Chart.spec(instrumentation).get("sampler");
        env.put("OTEL_TRACES_SAMPLER", (String) sampler.get("type"));
        if (sampler.get("argument") != null) {
            env.put("OTEL_TRACES_SAMPLER_ARG", (String) sampler.get("argument"));
        }
        List<String> differ = new ArrayList<>();
        launcher.forEach((name, value) -> {
            if (!LauncherDefaults.NOT_IN_THE_CHART.containsKey(name) && !value.equals(env.get(name))) {
                differ.add(name + ": launcher " + value + ", chart " + env.get(name));
            }
        });
        assertEquals(List.of(), differ, "the chart's " + preset + " preset differs from the launcher's");
        assertEquals("production".equals(preset), !env.containsKey("PYROSCOPE_AP_EXTRA_ARGUMENTS"),
                "wall clock is off in production, on in the workshop preset: " + env.get("PYROSCOPE_AP_EXTRA_ARGUMENTS"));
    }

    @Test
    void theChartsDefaultIsTheProductionPreset() throws IOException {
        assertEquals("production", Chart.yaml("deploy/helm/profiling-kit/values.yaml").get("preset"));
        Map<?, ?> sampler = (Map<?, ?>) Chart.spec(Chart.render(List.of(), Map.of()).instrumentations().get(0)).get("sampler");
        assertEquals(Map.of("type", "parentbased_traceidratio", "argument", "0.1"), sampler);
    }

    /** Bad values are refused by Helm with a message that names them, before anything reaches a cluster. */
    @Test
    void badValuesAreRefusedWithAMessageNamingThem() {
        Map<Map<String, Object>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("preset", "fast"), "preset");
        cases.put(Map.of("images.extension", "span-profiles-extension:latest"), "/images/extension");
        cases.put(Map.of("destination.type", "grafanaCloud"), "destination.grafanaCloud.traces");
        cases.put(Map.of("destination.endpoints.traces", "https://user:secret@tempo.example"), "/destination/endpoints/traces");
        cases.put(Map.of("demo.enabeld", "true"), "enabeld");
        cases.forEach((set, named) -> {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> Chart.render(List.of(), set), "accepted " + set);
            assertTrue(refused.getMessage().contains(named), set + " is refused, but the message does not name " + named + ": " + refused.getMessage());
        });
    }

    /** Grafana's side: the chart's data sources are the stack's, pointed at the backends of the values. */
    @Test
    void theChartsGrafanaDataSourcesAreTheStacksWithTheGivenUrls() throws IOException {
        assertEquals(Files.readString(Chart.ROOT.resolve("grafana/provisioning/datasources/datasources.yaml")),
                Files.readString(Chart.DIR.resolve("files/datasources.yaml")),
                "deploy/helm/profiling-kit/files/datasources.yaml is a copy of grafana/provisioning/datasources/datasources.yaml: copy it again");
        Chart.Rendered chart = Chart.render(List.of("deploy/kind/values-kind.yaml"), Map.of());
        ConfigMap configMap = chart.configMaps().stream().filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_datasource")))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap for the Grafana sidecar"));
        Map<String, Object> rendersTo = Chart.parse(configMap.getData().get("datasources.yaml"));
        Map<String, Object> stack = Chart.yaml("grafana/provisioning/datasources/datasources.yaml");
        Map<String, Object> values = Chart.yaml("deploy/kind/values-kind.yaml");
        Map<?, ?> urls = (Map<?, ?>) values.get("grafanaDatasources");
        List<?> rendered = (List<?>) rendersTo.get("datasources");
        List<?> original = (List<?>) stack.get("datasources");
        assertEquals(original.size(), rendered.size());
        for (int i = 0; i < original.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> want = new LinkedHashMap<>((Map<String, Object>) original.get(i));
            want.put("url", urls.get(want.get("uid")));
            assertEquals(want, rendered.get(i), "data source " + want.get("uid"));
        }
    }

    /** One version everywhere: the chart, the extension's pom, its Dockerfile and .env name the same images. */
    @Test
    void theImageTagsOfTheChartTheDockerfileAndDotEnvAgree() throws IOException {
        Map<String, String> env = dotEnv();
        Map<?, ?> images = (Map<?, ?>) Chart.yaml("deploy/helm/profiling-kit/values.yaml").get("images");
        Map<String, Object> chart = Chart.yaml("deploy/helm/profiling-kit/Chart.yaml");
        DockerfileFacts dockerfile = DockerfileFacts.read();
        String extensionVersion = pomVersion("extension/pom.xml", "<artifactId>span-profiles-extension</artifactId>\\s*<version>([^<]+)</version>");
        String chartAgent = pomVersion("service/pom.xml", "<chart-javaagent.version>([^<]+)</chart-javaagent.version>");

        assertEquals(env.get("SPAN_PROFILES_EXTENSION_IMAGE"), images.get("extension"), ".env and the chart's values: extension image");
        assertEquals(env.get("OTEL_JAVA_AGENT_IMAGE"), images.get("agent"), ".env and the chart's values: agent image");
        Map<String, String> versions = new TreeMap<>();
        versions.put("extension image tag (.env, values.yaml)", tag((String) images.get("extension")));
        versions.put("Chart.yaml version", String.valueOf(chart.get("version")));
        versions.put("Chart.yaml appVersion", String.valueOf(chart.get("appVersion")));
        versions.put("extension/pom.xml version", extensionVersion);
        versions.put("Dockerfile label org.opencontainers.image.version", dockerfile.versionLabel());
        versions.put("Dockerfile's jar", dockerfile.jarVersion());
        assertEquals(1, versions.values().stream().distinct().count(), "one version: " + versions);
        assertEquals(chartAgent, tag((String) images.get("agent")), "the agent image is the agent OperatorInjectionIT runs (service/pom.xml)");
        for (String from : dockerfile.fromImages()) {
            assertTrue(pinned(from), "deploy/extension-image/Dockerfile: FROM " + from + " is not pinned");
        }
    }

    private static void assertLimits(String what, ResourceRequirements resources) {
        assertNotNull(resources, what + " has no resources");
        assertTrue(resources.getLimits() != null && resources.getLimits().containsKey("cpu") && resources.getLimits().containsKey("memory"),
                what + " has no CPU and memory limits: " + resources.getLimits());
        assertTrue(resources.getRequests() != null && resources.getRequests().containsKey("memory"),
                what + " has no memory request: " + resources.getRequests());
    }

    /** An exact tag (starting with a digit or v and a digit) or a digest; never latest, never none. */
    static boolean pinned(String image) {
        if (image == null) {
            return false;
        }
        if (image.matches(".+@sha256:[0-9a-f]{64}")) {
            return true;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        return last.contains(":") && last.substring(last.indexOf(':') + 1).matches("v?[0-9][0-9A-Za-z._-]*");
    }

    static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    static Map<String, String> dotEnv() throws IOException {
        return StackText.dotEnv(Chart.ROOT.resolve(".env"));
    }

    private static String pomVersion(String pom, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(Chart.ROOT.resolve(pom)));
        assertTrue(m.find(), pom + ": " + regex);
        return m.group(1);
    }
}
