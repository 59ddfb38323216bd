package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the Grafana stack's files (docker-compose.yml, .env, the Prometheus, Tempo,
 * Pyroscope and Grafana provisioning files, the dashboards): everything that can be proven without
 * a Docker engine. What needs the running stack is checked by {@code make check}.
 */
class StackFilesTest {

    /** Tests run in service/; the stack's files are one level up. */
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private static final Map<String, String> DASHBOARD_UIDS = Map.of(
            "service-overview.json", "workshop-overview",
            "profiles.json", "workshop-profiles",
            "io-vs-cpu.json", "workshop-io-vs-cpu");
    private static final Set<String> DATASOURCE_UIDS = Set.of("prometheus", "tempo", "pyroscope");
    /** Grafana's own pseudo data sources, which need no provisioning. */
    private static final Set<String> BUILT_IN_DATASOURCES = Set.of("-- Grafana --", "-- Mixed --", "-- Dashboard --", "grafana");
    /** Services that keep data worth a `make down` / `make up`, and where. */
    private static final Map<String, String> DATA_PATHS = Map.of(
            "prometheus", "/prometheus",
            "tempo", "/var/tempo",
            "pyroscope", "/data",
            "grafana", "/var/lib/grafana");
    private static final String CPU = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?}");
    private static final Pattern EXACT_TAG = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([-.][A-Za-z0-9.]+)?");

    private static Map<String, Object> compose;
    private static Map<String, Object> services;
    private static Map<String, String> dotEnv;

    @BeforeAll
    static void readComposeFile() throws IOException {
        compose = yamlMap(ROOT.resolve("docker-compose.yml"));
        services = map(compose.get("services"), "services");
        dotEnv = StackText.dotEnv(ROOT.resolve(".env"));
    }

    // ---------------------------------------------------------------- validation by the real tools

    @Test
    void composeFileValidatesWithDockerCompose() {
        Result result = run(List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"),
                Map.of("GRAFANA_ADMIN_PASSWORD", "a-test-password-only"));
        assertEquals(0, result.exitCode(), "docker-compose config rejects docker-compose.yml:\n" + result.output());
    }

    @Test
    void composeRefusesToStartGrafanaWithoutAnAdminPassword() {
        Result result = run(List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"), Map.of());
        assertNotEquals(0, result.exitCode(), "docker-compose.yml must not default GRAFANA_ADMIN_PASSWORD");
        assertTrue(result.output().contains("GRAFANA_ADMIN_PASSWORD"), result.output());
    }

    @Test
    void prometheusConfigPassesPromtool() {
        Result result = run(List.of("promtool", "check", "config", "prometheus/prometheus.yml"), Map.of());
        assertEquals(0, result.exitCode(), "promtool check config failed:\n" + result.output());
    }

    // ---------------------------------------------------------------- compose: safe defaults

    @Test
    void everyPublishedPortBindsToLoopbackOnly() {
        forEachService((name, service) -> {
            assertNotEquals("host", service.get("network_mode"), name + " must not use the host network");
            for (Object port : list(service.get("ports"))) {
                if (port instanceof Map<?, ?> longSyntax) {
                    assertEquals("127.0.0.1", longSyntax.get("host_ip"), name + " publishes " + port + " beyond loopback");
                } else {
                    assertTrue(String.valueOf(port).startsWith("127.0.0.1:"),
                            name + " publishes " + port + " on every interface; bind it to 127.0.0.1");
                }
            }
        });
    }

    @Test
    void everyImageHasAnExactTagSetInDotEnv() {
        forEachService((name, service) -> {
            if (!service.containsKey("image")) {
                assertTrue(service.containsKey("build"), name + " has neither image nor build");
                return;
            }
            String raw = String.valueOf(service.get("image"));
            assertTrue(raw.matches("\\$\\{[A-Z_]+}"), name + ": image tags belong in .env, got " + raw);
            String image = resolve(raw);
            int colon = image.lastIndexOf(':');
            assertTrue(colon > image.lastIndexOf('/'), name + ": image " + image + " has no tag");
            String tag = image.substring(colon + 1);
            assertNotEquals("latest", tag, name + ": image " + image + " uses latest");
            assertTrue(EXACT_TAG.matcher(tag).matches(), name + ": tag " + tag + " of " + image + " is not an exact version");
        });
    }

    @Test
    void everyServiceHasHealthCheckMemoryLimitRestartPolicyAndSharedLogging() {
        Object sharedLogging = null;
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = map(entry.getValue(), name);
            if (service.containsKey("profiles")) {
                continue; // a one-shot job that `make up` never starts (make e2e): E2eFilesTest holds it
            }
            Map<String, Object> healthcheck = map(service.get("healthcheck"), name + ".healthcheck");
            List<Object> test = list(healthcheck.get("test"));
            assertFalse(test.isEmpty() || "NONE".equals(test.get(0)), name + " has no health check");
            assertTrue(service.containsKey("mem_limit"), name + " has no memory limit (mem_limit)");
            // What runs by itself after a reboot: the backends and Grafana (idle without traffic, bounded
            // by retention); never the service (its incident burns CPU) or its traffic, unless asked.
            String restart = String.valueOf(service.get("restart"));
            if (Set.of("service", "loadgen").contains(name)) {
                assertEquals("${SERVICE_RESTART:-no}", restart, name + " must not come back after a reboot unless asked");
            } else {
                assertEquals("unless-stopped", restart, name + " has no restart policy");
            }
            assertTrue(service.containsKey("logging"), name + " has no logging settings");
            if (sharedLogging == null) {
                sharedLogging = service.get("logging");
            }
            assertEquals(sharedLogging, service.get("logging"), name + " does not use the shared logging anchor");
        }
    }

    @Test
    void servicesWaitForTheHealthOfWhatTheyNeed() {
        forEachService((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            map(dependsOn, name + ".depends_on").forEach((dependency, condition) -> {
                assertTrue(services.containsKey(dependency), name + " depends on unknown " + dependency);
                assertEquals("service_healthy", map(condition, name + ".depends_on." + dependency).get("condition"),
                        name + " must wait until " + dependency + " is healthy");
            });
        });
        assertTrue(map(services.get("grafana"), "grafana").containsKey("depends_on"), "grafana starts before its data sources");
        assertTrue(map(services.get("service"), "service").containsKey("depends_on"), "the service starts before its backends");
    }

    @Test
    void dataLivesInNamedVolumesThatSurviveDown() {
        Map<String, Object> volumes = map(compose.get("volumes"), "volumes");
        DATA_PATHS.forEach((name, path) -> {
            Map<String, Object> service = map(services.get(name), name);
            boolean named = list(service.get("volumes")).stream().map(String::valueOf).anyMatch(mount -> {
                String[] parts = mount.split(":");
                return parts.length >= 2 && volumes.containsKey(parts[0]) && parts[1].equals(path);
            });
            assertTrue(named, name + " must keep " + path + " in a named volume");
        });
    }

    @Test
    void serviceContainerIsNonRootReadOnlyWithoutCapabilities() {
        Map<String, Object> service = map(services.get("service"), "service");
        String user = String.valueOf(service.get("user"));
        assertFalse(user.equals("null") || user.equals("root") || user.startsWith("0:") || user.equals("0"),
                "the service must run as a non-root user, got " + user);
        assertEquals(Boolean.TRUE, service.get("read_only"), "the service's root filesystem must be read-only");
        assertEquals(List.of("ALL"), service.get("cap_drop"), "the service must drop all capabilities");
        assertTrue(list(service.get("security_opt")).contains("no-new-privileges:true"), "no-new-privileges missing");
        String tmp = list(service.get("tmpfs")).stream().map(String::valueOf)
                .filter(mount -> mount.startsWith("/tmp")).findFirst()
                .orElseGet(() -> fail("the profiler needs a writable /tmp: tmpfs /tmp missing"));
        assertTrue(tmp.contains("exec") && !tmp.contains("noexec"),
                "async-profiler loads its library from /tmp: the tmpfs needs exec, got " + tmp);
        Map<String, Object> env = environment(service);
        assertEquals("/tmp", env.get("PYROSCOPE_TMP_DIR"));
        assertTrue(String.valueOf(env.get("JAVA_OPTS")).contains("-Djava.io.tmpdir=/tmp"));
    }

    @Test
    void grafanaHasARequiredPasswordNoAnonymousAdminAndNoSignUp() {
        Map<String, Object> env = environment(map(services.get("grafana"), "grafana"));
        String password = String.valueOf(env.get("GF_SECURITY_ADMIN_PASSWORD"));
        Matcher variable = VARIABLE.matcher(password);
        assertTrue(variable.matches() && "?".equals(variable.group(2)),
                "the admin password must be a required variable (${NAME:?message}), got " + password);
        assertEquals("false", env.get("GF_USERS_ALLOW_SIGN_UP"), "sign-up must be off");
        assertEquals("Viewer", env.get("GF_AUTH_ANONYMOUS_ORG_ROLE"), "anonymous users may only view");
        assertEquals("false", resolve(String.valueOf(env.get("GF_AUTH_ANONYMOUS_ENABLED"))), "anonymous access is off by default");
        assertNotEquals("true", env.get("GF_AUTH_DISABLE_LOGIN_FORM"));
    }

    @Test
    void usageReportingIsOffInGrafanaTempoAndPyroscope() throws IOException {
        Map<String, Object> grafanaEnv = environment(map(services.get("grafana"), "grafana"));
        assertEquals("false", grafanaEnv.get("GF_ANALYTICS_REPORTING_ENABLED"));
        assertEquals(Boolean.FALSE, path(yamlMap(ROOT.resolve("tempo/tempo.yaml")), "usage_report", "reporting_enabled"));
        assertEquals(Boolean.FALSE, path(yamlMap(ROOT.resolve("pyroscope/pyroscope.yaml")), "analytics", "reporting_enabled"));
        assertTrue(list(map(services.get("pyroscope"), "pyroscope").get("volumes"))
                .contains("./pyroscope/pyroscope.yaml:/etc/pyroscope/config.yaml:ro"), "pyroscope.yaml is not mounted as the config");
    }

    /**
     * A stack left running does not fill the disk: each backend deletes old data, at the periods
     * docs/stack.md ("Disk, retention and reboots") states; Pyroscope runs its new storage only (the
     * default dual mode refused trace id queries reaching before its first profile, on a real 2.2.1).
     */
    @Test
    void everyBackendDeletesOldDataAsTheStackPageSays() throws IOException {
        String stackPage = Files.readString(ROOT.resolve("docs/stack.md"));
        List<Object> prometheus = list(map(services.get("prometheus"), "prometheus").get("command"));
        assertTrue(prometheus.contains("--storage.tsdb.retention.time=7d") && prometheus.contains("--storage.tsdb.retention.size=1GB"),
                "Prometheus keeps 7 days or 1 GB: " + prometheus);
        assertTrue(stackPage.contains("7 days or 1 GB"), "docs/stack.md states Prometheus's retention");
        Object tempo = path(yamlMap(ROOT.resolve("tempo/tempo.yaml")), "backend_worker", "compaction", "block_retention");
        assertEquals("24h", tempo, "Tempo's block retention");
        assertTrue(stackPage.contains("`backend_worker.compaction.block_retention: " + tempo + "`"), "docs/stack.md states Tempo's retention");
        Map<String, Object> pyroscope = yamlMap(ROOT.resolve("pyroscope/pyroscope.yaml"));
        Object profiles = path(pyroscope, "limits", "retention_period");
        assertEquals("3d", profiles, "Pyroscope's retention");
        assertTrue(stackPage.contains("`limits.retention_period: " + profiles + "`"), "docs/stack.md states Pyroscope's retention");
        assertEquals("v2", pyroscope.get("architecture_storage"), "Pyroscope's storage: the new one only");
    }

    /** Grafana apps by the name the guide gives them; any other app is found by its /a/<id> URL. */
    private static final Map<String, String> APPS_BY_NAME = Map.of(
            "Profiles Drilldown", "grafana-pyroscope-app",
            "Traces Drilldown", "grafana-exploretraces-app");
    private static final Pattern APP_URL = Pattern.compile("/a/([a-z0-9-]+-app)\\b");

    /**
     * Grafana 13 downloads the apps of its preinstall list at whatever version is newest that day
     * unless pinned: every app the guide, the dashboards or the scripts use is pinned to an exact
     * version in .env, installed as pinned (GF_PLUGINS_PREINSTALL_SYNC), and checked by make check.
     */
    @Test
    void everyGrafanaAppTheGuideUsesIsPinnedInDotEnvAndInstalledAsPinned() throws IOException {
        StringBuilder used = new StringBuilder();
        for (Path page : DocsLinksTest.markdownPages()) {
            used.append(Files.readString(page));
        }
        used.append(Files.readString(ROOT.resolve("scripts/stack.sh")));
        for (String file : DASHBOARD_UIDS.keySet()) {
            used.append(Files.readString(ROOT.resolve("grafana/dashboards").resolve(file)));
        }
        Set<String> apps = new TreeSet<>();
        Matcher url = APP_URL.matcher(used);
        while (url.find()) {
            apps.add(url.group(1));
        }
        APPS_BY_NAME.forEach((name, id) -> {
            if (used.indexOf(name) >= 0) {
                apps.add(id);
            }
        });
        assertTrue(apps.contains("grafana-pyroscope-app"), "the guide uses the Profiles Drilldown app: " + apps);

        String preinstall = String.valueOf(environment(map(services.get("grafana"), "grafana")).get("GF_PLUGINS_PREINSTALL_SYNC"));
        Set<String> installed = new TreeSet<>(List.of(resolve(preinstall).split(",")));
        String check = Files.readString(ROOT.resolve("scripts/check-stack.sh"));
        for (String app : apps) {
            String pin = app.toUpperCase().replace('-', '_') + "_VERSION";
            String version = dotEnv.get(pin);
            assertTrue(version != null && EXACT_TAG.matcher(version).matches(),
                    app + " is used by the guide but not pinned to an exact version in .env (" + pin + "): " + version);
            assertTrue(preinstall.contains(app + "@${" + pin + "}"),
                    "docker-compose.yml does not install " + app + "@${" + pin + "} (GF_PLUGINS_PREINSTALL_SYNC: " + preinstall + ")");
            assertTrue(installed.contains(app + "@" + version), installed.toString());
            assertTrue(check.contains(app + " " + pin), "make check does not compare " + app + " with " + pin);
        }
    }

    // ---------------------------------------------------------------- backend configs

    @Test
    void tempoIsMonolithicAndReceivesOtlpOnAllInterfaces() throws IOException {
        Map<String, Object> tempo = yamlMap(ROOT.resolve("tempo/tempo.yaml"));
        for (String removedInTempo3 : List.of("ingester", "compactor", "ingester_client", "metrics_generator_client")) {
            assertFalse(tempo.containsKey(removedInTempo3), "Tempo 3 has no " + removedInTempo3 + " block");
        }
        assertFalse(Files.readString(ROOT.resolve("tempo/tempo.yaml")).contains("local-blocks"), "Tempo 3 has no local-blocks processor");
        String endpoint = String.valueOf(path(tempo, "distributor", "receivers", "otlp", "protocols", "http", "endpoint"));
        assertTrue(endpoint.startsWith("0.0.0.0:"), "OTLP/HTTP must listen on 0.0.0.0 to be reachable from the service, got " + endpoint);
        assertTrue(resolveEnv(map(services.get("service"), "service"), "OTEL_EXPORTER_OTLP_ENDPOINT")
                .endsWith(endpoint.substring(endpoint.indexOf(':'))), "the service sends traces to another port than Tempo listens on");
    }

    // ---------------------------------------------------------------- Grafana provisioning

    @Test
    void dataSourcesHaveFixedUidsAndLinkExemplarsTracesAndProfiles() throws IOException {
        Map<String, Map<String, Object>> byUid = provisionedDataSources();
        assertEquals(DATASOURCE_UIDS, byUid.keySet());
        assertEquals("grafana-pyroscope-datasource", byUid.get("pyroscope").get("type"));

        List<Object> exemplars = list(path(byUid.get("prometheus"), "jsonData", "exemplarTraceIdDestinations"));
        assertTrue(exemplars.contains(Map.of("name", "trace_id", "datasourceUid", "tempo"))
                        || exemplars.stream().map(e -> map(e, "exemplar destination"))
                                .anyMatch(e -> "trace_id".equals(e.get("name")) && "tempo".equals(e.get("datasourceUid"))),
                "Prometheus exemplars (label trace_id) must link to Tempo");

        Map<String, Object> toProfiles = map(path(byUid.get("tempo"), "jsonData", "tracesToProfiles"), "tracesToProfiles");
        assertEquals("pyroscope", toProfiles.get("datasourceUid"));
        assertEquals(CPU, toProfiles.get("profileTypeId"));
        assertEquals(Boolean.FALSE, toProfiles.get("customQuery"));
        assertTrue(list(toProfiles.get("tags")).contains(Map.of("key", "service.name", "value", "service_name")),
                "traces to profiles must map the span's service.name to the profile label service_name");
        assertEquals("prometheus", path(byUid.get("tempo"), "jsonData", "tracesToMetrics", "datasourceUid"));
        assertEquals("prometheus", path(byUid.get("tempo"), "jsonData", "serviceMap", "datasourceUid"));

        // every datasourceUid anywhere in the file points at a provisioned data source
        walk(byUid, (key, value) -> {
            if ("datasourceUid".equals(key)) {
                assertTrue(DATASOURCE_UIDS.contains(String.valueOf(value)), "datasourceUid " + value + " is not provisioned");
            }
        });
    }

    @Test
    void dashboardProviderReadsTheFolderGrafanaMounts() throws IOException {
        Map<String, Object> provider = map(list(yamlMap(ROOT.resolve("grafana/provisioning/dashboards/dashboards.yaml"))
                .get("providers")).get(0), "provider");
        String path = String.valueOf(path(provider, "options", "path"));
        List<Object> mounts = list(map(services.get("grafana"), "grafana").get("volumes"));
        assertTrue(mounts.contains("./grafana/dashboards:" + path + ":ro"), "Grafana does not mount the dashboards at " + path);
        assertTrue(mounts.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"));
        String home = String.valueOf(environment(map(services.get("grafana"), "grafana")).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"));
        assertTrue(Files.exists(ROOT.resolve("grafana/dashboards").resolve(home.substring(path.length() + 1))),
                "the home dashboard " + home + " does not exist");
    }

    @Test
    void dashboardsAreValidJsonWithNullIdAndTheirFixedUid() throws IOException {
        try (var files = Files.list(ROOT.resolve("grafana/dashboards"))) {
            Set<String> found = new TreeSet<>();
            files.filter(f -> f.toString().endsWith(".json")).forEach(f -> found.add(f.getFileName().toString()));
            assertEquals(new TreeSet<>(DASHBOARD_UIDS.keySet()), found, "unexpected dashboard files");
        }
        for (Map.Entry<String, String> entry : DASHBOARD_UIDS.entrySet()) {
            Map<String, Object> dashboard = dashboard(entry.getKey());
            assertTrue(dashboard.containsKey("id"), entry.getKey() + " has no id key");
            assertNull(dashboard.get("id"), entry.getKey() + ": id must be null (Grafana assigns it)");
            assertEquals(entry.getValue(), dashboard.get("uid"), entry.getKey());
            assertFalse(String.valueOf(dashboard.get("title")).isBlank(), entry.getKey() + " has no title");
            assertFalse(list(dashboard.get("panels")).isEmpty(), entry.getKey() + " has no panels");
        }
    }

    @Test
    void everyDataSourceADashboardUsesIsProvisioned() throws IOException {
        for (String file : DASHBOARD_UIDS.keySet()) {
            walk(dashboard(file), (key, value) -> {
                if (!"datasource".equals(key) || value == null) {
                    return;
                }
                String uid = value instanceof Map<?, ?> ref ? String.valueOf(ref.get("uid")) : String.valueOf(value);
                assertTrue(DATASOURCE_UIDS.contains(uid) || BUILT_IN_DATASOURCES.contains(uid),
                        file + " uses data source " + value + ", which is not provisioned");
            });
        }
    }

    @Test
    void everyQueryKeepsItsExpressionWhereTheContractTestsLook() throws IOException {
        for (String file : DASHBOARD_UIDS.keySet()) {
            int queries = 0;
            for (Map<String, Object> target : targets(dashboard(file))) {
                queries++;
                String uid = String.valueOf(map(target.get("datasource"), file + " target datasource").get("uid"));
                String where = file + " target " + target.get("refId");
                switch (uid) {
                    case "prometheus" -> assertFalse(String.valueOf(target.get("expr")).isBlank(), where + ": no expr");
                    case "tempo" -> assertFalse(String.valueOf(target.get("query")).isBlank(), where + ": no query");
                    case "pyroscope" -> {
                        assertTrue(String.valueOf(target.get("profileTypeId")).matches("[a-z_]+(:[a-z_]+){4}"), where + ": profileTypeId");
                        assertTrue(String.valueOf(target.get("labelSelector")).contains("service_name=\"workshop-service\""),
                                where + ": labelSelector must select the service");
                    }
                    default -> fail(where + ": every target names its data source by uid");
                }
            }
            assertTrue(queries > 0, file + " has no queries");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<Map<String, Object>> targets(Map<String, Object> dashboard) {
        List<Map<String, Object>> targets = new ArrayList<>();
        walk(dashboard, (key, value) -> {
            if ("targets".equals(key)) {
                list(value).forEach(t -> targets.add(map(t, "target")));
            }
        });
        return targets;
    }

    private static Map<String, Map<String, Object>> provisionedDataSources() throws IOException {
        Map<String, Map<String, Object>> byUid = new LinkedHashMap<>();
        for (Object item : list(yamlMap(ROOT.resolve("grafana/provisioning/datasources/datasources.yaml")).get("datasources"))) {
            Map<String, Object> dataSource = map(item, "datasource");
            byUid.put(String.valueOf(dataSource.get("uid")), dataSource);
        }
        return byUid;
    }

    private static Map<String, Object> dashboard(String file) throws IOException {
        return yamlMap(ROOT.resolve("grafana/dashboards").resolve(file));
    }

    private static void forEachService(BiConsumer<String, Map<String, Object>> check) {
        services.forEach((name, service) -> check.accept(name, map(service, name)));
    }

    private static Map<String, Object> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        if (env instanceof List<?> entries) {
            Map<String, Object> asMap = new LinkedHashMap<>();
            for (Object entry : entries) {
                String[] kv = String.valueOf(entry).split("=", 2);
                asMap.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
            return asMap;
        }
        return env == null ? Map.of() : map(env, "environment");
    }

    private static String resolveEnv(Map<String, Object> service, String name) {
        return resolve(String.valueOf(environment(service).get(name)));
    }

    /** Expands ${NAME}, ${NAME:-default} and ${NAME:?error} as Compose does, from .env only. */
    private static String resolve(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String replacement = dotEnv.get(matcher.group(1));
            if (replacement == null && "-".equals(matcher.group(2))) {
                replacement = matcher.group(3);
            }
            if (replacement == null) {
                fail("${" + matcher.group(1) + "} is not set in .env");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /** Calls the check with every key and value of every map, at any depth. */
    private static void walk(Object node, BiConsumer<String, Object> check) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                check.accept(String.valueOf(key), value);
                walk(value, check);
            });
        } else if (node instanceof List<?> items) {
            items.forEach(item -> walk(item, check));
        }
    }

    private static Object path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            node = map(node, String.join(".", keys)).get(key);
        }
        return node;
    }

    /** YAML (and JSON, which SnakeYAML reads as YAML) with the safe constructor only. */
    private static Map<String, Object> yamlMap(Path file) throws IOException {
        return StackText.yaml(file);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            fail(what + " should be a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    private record Result(int exitCode, String output) {}

    /** Runs a tool in the repository root with a clean GRAFANA_ADMIN_PASSWORD; a missing tool fails the test. */
    private static Result run(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().remove("GRAFANA_ADMIN_PASSWORD");
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail(command.get(0) + " is not installed, so the stack files cannot be validated. "
                    + "CI installs it (.ci/run); locally: apt-get install docker-compose prometheus (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command);
        }
    }
}
