package io.profilingkit.workshop.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Volume;
import io.profilingkit.workshop.stack.StackText;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hosted-CI job that runs the chart in a kind cluster (.github/workflows/kubernetes.yml) cannot
 * run here (no Docker engine): it is held to the repository instead. Its versions are the pinned
 * operator's and the chart test's, its actions are pinned to commits, and every file, ConfigMap,
 * Secret, make target and name it uses is one that exists or that the backends expect.
 */
class KubernetesWorkflowTest {

    static final String WORKFLOW = ".github/workflows/kubernetes.yml";
    /**
     * cert-manager's newest release when it was last read (cert-manager/cert-manager, tag v1.21.1 of
     * 2026-07-29, in a mirror of 2026-08-22; its make/cluster.sh runs kind nodes up to Kubernetes
     * 1.36). Each release is supported until the second release after it, about 8 months: bump this
     * with the workflow and docs/kubernetes.md, after reading the new tag.
     */
    static final String CERT_MANAGER_VERSION = "v1.21.1";

    @Test
    void theWorkflowPinsWhatItInstallsToTheVersionsTheTestsRead() throws IOException {
        String text = Files.readString(Chart.ROOT.resolve(WORKFLOW));
        Map<?, ?> env = (Map<?, ?>) Chart.yaml(WORKFLOW).get("env");
        assertEquals(OperatorFields.OPERATOR_VERSION, env.get("OPERATOR_VERSION"), "the operator whose fields the chart is checked against");
        String node = String.valueOf(env.get("KIND_NODE_IMAGE"));
        assertTrue(node.matches("kindest/node:v" + Pattern.quote(Chart.KUBE_VERSION) + "@sha256:[0-9a-f]{64}"),
                "the kind node is the Kubernetes the chart is rendered for, by digest: " + node);
        assertEquals(CERT_MANAGER_VERSION, env.get("CERT_MANAGER_VERSION"), "the cert-manager release that was read");
        for (String key : Set.of("KIND_VERSION", "KUBECTL_VERSION", "HELM_VERSION", "CERT_MANAGER_VERSION")) {
            assertTrue(String.valueOf(env.get(key)).matches("v\\d+\\.\\d+\\.\\d+"), key + " is an exact version: " + env.get(key));
        }
        Matcher uses = Pattern.compile("uses: (\\S+)(.*)").matcher(text);
        while (uses.find()) {
            assertTrue(uses.group(1).matches("[\\w.-]+/[\\w.-]+@[0-9a-f]{40}") && uses.group(2).matches(" # v\\d+\\.\\d+\\.\\d+"),
                    "action not pinned to a commit with its release tag: " + uses.group());
        }
    }

    /** A team pastes docs/kubernetes.md: it must install what the job runs, and name no other release. */
    @Test
    void theDocsInstallTheCertManagerTheWorkflowRuns() throws IOException {
        String docs = Files.readString(Chart.ROOT.resolve("docs/kubernetes.md"));
        Set<String> named = StackText.all(Pattern.compile("cert-manager(?:/releases/download/| )(v\\d+\\.\\d+\\.\\d+)"), docs);
        assertEquals(Set.of(CERT_MANAGER_VERSION), named, "cert-manager releases docs/kubernetes.md names");
        assertTrue(docs.contains("cert-manager/releases/download/" + CERT_MANAGER_VERSION + "/cert-manager.yaml"), "the install command");
    }

    @Test
    void theWorkflowUsesOnlyTargetsFilesAndNamesThatExist() throws IOException {
        String text = Files.readString(Chart.ROOT.resolve(WORKFLOW));
        String makefile = Files.readString(Chart.ROOT.resolve("Makefile"));
        for (String target : StackText.all(Pattern.compile("make ([a-z][a-z0-9-]*)"), text)) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(target) + ":").matcher(makefile).find(), "no make target " + target);
        }
        Set<String> files = StackText.all(Pattern.compile("(?:-f |=)((?:deploy|tempo|pyroscope|service)/[\\w./-]*(?:\\.ya?ml|Dockerfile))"), text);
        assertTrue(files.size() >= 6, "the files the workflow uses: " + files);
        for (String file : files) {
            assertTrue(Files.exists(Chart.ROOT.resolve(file)), WORKFLOW + " uses " + file + ", which does not exist");
        }
        Map<String, Object> kindValues = Chart.yaml("deploy/kind/values-kind.yaml");
        String demo = String.valueOf(((Map<?, ?>) Chart.yaml("deploy/helm/profiling-kit/values.yaml").get("demo")).get("name"));
        assertTrue(text.contains("make check SERVICE_NAME=" + demo), "make check asks for the demo's service name, its Deployment's (" + demo + ")");
        assertTrue(text.contains("-f deploy/kind/values-kind.yaml") && Boolean.TRUE.equals(((Map<?, ?>) kindValues.get("demo")).get("enabled")),
                "the chart is installed with the demo on");

        // what the backends mount and read must be what the workflow creates
        Chart.Rendered backends = Chart.read(Files.readString(Chart.ROOT.resolve("deploy/kind/backends.yaml")));
        Set<String> configMaps = new TreeSet<>();
        backends.deployments().forEach(d -> d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .map(Volume::getConfigMap).filter(c -> c != null).forEach(c -> configMaps.add(c.getName())));
        Set<String> created = StackText.all(Pattern.compile("create configmap ([a-z-]+)"), text);
        String chartConfigMap = Chart.RELEASE + "-grafana-datasources";
        assertTrue(text.contains("helm upgrade --install " + Chart.RELEASE + " "), "the release is named " + Chart.RELEASE);
        created.add(chartConfigMap);
        assertEquals(configMaps, created, "ConfigMaps the backends mount against those the workflow and the chart create");
        assertTrue(text.contains("create secret generic grafana-admin"), "the Secret Grafana's password comes from");
        assertTrue(text.contains("kubectl -n \"$NAMESPACE\"") && text.contains("NAMESPACE: " + Chart.NAMESPACE),
                "everything in the namespace the kind values address (" + Chart.NAMESPACE + ")");
        assertTrue(Files.readString(Chart.ROOT.resolve("deploy/kind/values-kind.yaml")).contains("." + Chart.NAMESPACE + ".svc:"),
                "the kind values address the backends in " + Chart.NAMESPACE);
    }
}
