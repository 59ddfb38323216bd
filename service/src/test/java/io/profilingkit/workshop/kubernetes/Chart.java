package io.profilingkit.workshop.kubernetes;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kit's chart (deploy/helm/profiling-kit) rendered by Helm itself (helm-java: Helm's Go library
 * with its native part), and what it renders read the way the API server would: every object of
 * a kind the chart makes is bound to the Kubernetes model classes, where a wrong type fails and a
 * field the API does not have is caught (the model keeps unknown fields aside instead of failing).
 */
final class Chart {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path DIR = ROOT.resolve("deploy/helm/profiling-kit");
    static final String NAMESPACE = "profiling-kit";
    static final String RELEASE = "profiling-kit";
    /** Rendered as for this Kubernetes (the kind node of .github/workflows/kubernetes.yml; Helm's own default, 1.20, is older than the chart allows). */
    static final String KUBE_VERSION = "1.36.1";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1 Deployment", Deployment.class, "v1 Service", Service.class, "v1 ConfigMap", ConfigMap.class);

    /** One rendering: the raw text, each object as YAML gave it, and the bound objects. */
    record Rendered(String text, List<Map<String, Object>> objects, List<Deployment> deployments, List<Service> services,
                    List<ConfigMap> configMaps, List<Map<String, Object>> instrumentations) {
    }

    private Chart() {
    }

    /** helm template with these values files (relative to the repository) and --set pairs. */
    static Rendered render(List<String> valuesFiles, Map<String, Object> sets) {
        TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (String file : valuesFiles) {
            template = template.withValuesFile(ROOT.resolve(file));
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return read(template.call());
    }

    static Rendered read(String text) {
        List<Map<String, Object>> objects = new ArrayList<>();
        List<Deployment> deployments = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<ConfigMap> configMaps = new ArrayList<>();
        List<Map<String, Object>> instrumentations = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) document;
            objects.add(object);
            String kind = object.get("apiVersion") + " " + object.get("kind");
            if (kind.equals(OperatorFields.API_VERSION + " Instrumentation")) {
                instrumentations.add(object);
                continue;
            }
            Class<?> type = KINDS.get(kind);
            if (type == null) {
                throw new AssertionError("the chart renders a " + kind + ", which this test does not know how to check");
            }
            Object bound = bind(object, type, kind + " " + ((Map<?, ?>) object.get("metadata")).get("name"));
            if (bound instanceof Deployment d) {
                deployments.add(d);
            } else if (bound instanceof Service s) {
                services.add(s);
            } else {
                configMaps.add((ConfigMap) bound);
            }
        }
        return new Rendered(text, objects, deployments, services, configMaps, instrumentations);
    }

    /** Binds YAML to a model class; fails on a wrong type, and on any field the model does not know. */
    static <T> T bind(Object yaml, Class<T> type, String what) {
        T bound;
        try {
            bound = MAPPER.convertValue(yaml, type);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(bound, what, unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(what + " has fields Kubernetes does not know: " + unknown);
        }
        return bound;
    }

    /** Walks a model object: every additionalProperties entry is a field the API would not have. */
    private static void unknownFields(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3, 4).toLowerCase() + getter.getName().substring(4), unknown);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every container and init container of the rendered Deployments, named by deployment/container. */
    static Map<String, Container> containers(Rendered rendered) {
        Map<String, Container> containers = new LinkedHashMap<>();
        for (Deployment d : rendered.deployments()) {
            List<Container> all = new ArrayList<>(d.getSpec().getTemplate().getSpec().getContainers());
            all.addAll(d.getSpec().getTemplate().getSpec().getInitContainers());
            for (Container c : all) {
                containers.put(d.getMetadata().getName() + "/" + c.getName(), c);
            }
        }
        return containers;
    }

    /** The Instrumentation's java.env, bound as Kubernetes env vars. */
    static List<EnvVar> javaEnv(Map<String, Object> instrumentation) {
        List<EnvVar> env = new ArrayList<>();
        Object list = java(instrumentation).get("env");
        int i = 0;
        for (Object item : list == null ? List.of() : (List<?>) list) {
            env.add(bind(item, EnvVar.class, "spec.java.env[" + i++ + "]"));
        }
        return env;
    }

    static ResourceRequirements javaResources(Map<String, Object> instrumentation) {
        return bind(java(instrumentation).get("resources"), ResourceRequirements.class, "spec.java.resources");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(Map<String, Object> instrumentation) {
        return (Map<String, Object>) instrumentation.get("spec");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> java(Map<String, Object> instrumentation) {
        return (Map<String, Object>) spec(instrumentation).get("java");
    }

    /** A repository file as YAML (one document). */
    static Map<String, Object> yaml(String file) throws IOException {
        return parse(Files.readString(ROOT.resolve(file)));
    }

    /** One YAML document. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String yaml) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
