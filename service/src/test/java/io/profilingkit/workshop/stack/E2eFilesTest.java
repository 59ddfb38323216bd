package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Holds the browser walk (e2e/, make e2e) and its CI workflow to the stack without running them:
 * every dashboard, panel, data source, link label, frame and make target the walk names exists; its
 * packages are pinned to the Grafana and Playwright versions the stack runs; the compose job and the
 * workflow are what they claim. That the walk passes is only known where Docker runs it.
 */
class E2eFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path E2E = ROOT.resolve("e2e");
    /** The marker calls of e2e/lib/stack.ts, e.g. panel('CPU'), with either kind of quote. */
    private static final Pattern MARKER = Pattern.compile(
            "\\b(dashboard|panel|datasource|makeTarget|frame|linkLabel)\\((['\"])(.*?)\\2\\)");
    private static final Pattern EXACT = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Pattern PINNED_ACTION = Pattern.compile("[\\w.-]+/[\\w.-]+@[0-9a-f]{40}");

    @Test
    void everyDashboardPanelAndDataSourceTheWalkNamesIsProvisioned() throws IOException {
        Map<String, Set<String>> named = markers();
        Set<String> uids = new TreeSet<>();
        Set<String> titles = new TreeSet<>();
        for (Map<String, Object> dashboard : dashboards()) {
            uids.add(String.valueOf(dashboard.get("uid")));
            collectTitles(dashboard.get("panels"), titles);
        }
        assertFalse(named.get("dashboard").isEmpty() || named.get("panel").isEmpty(), "the walk names dashboards and panels");
        assertContains(uids, named.get("dashboard"), "dashboard uids");
        assertContains(titles, named.get("panel"), "panel titles");

        Set<String> dataSources = new TreeSet<>();
        Set<String> linkLabels = new TreeSet<>();
        for (Object item : list(yaml(ROOT.resolve("grafana/provisioning/datasources/datasources.yaml")).get("datasources"))) {
            Map<String, Object> dataSource = map(item);
            dataSources.add(String.valueOf(dataSource.get("uid")));
            Object jsonData = dataSource.get("jsonData");
            if (jsonData != null) {
                for (Object destination : list(map(jsonData).get("exemplarTraceIdDestinations"))) {
                    linkLabels.add(String.valueOf(map(destination).get("urlDisplayLabel")));
                }
            }
        }
        assertContains(dataSources, named.get("datasource"), "data source uids");
        assertContains(linkLabels, named.get("linkLabel"), "exemplar link labels (urlDisplayLabel)");
    }

    @Test
    void everyFrameTheWalkLooksForIsAMethodOfTheService() throws IOException {
        Set<String> frames = markers().get("frame");
        assertTrue(frames.size() >= 3, "the walk looks for the incident, primes and I/O frames: " + frames);
        for (String frame : frames) {
            String className = frame.substring(0, frame.indexOf('.'));
            String method = frame.substring(frame.indexOf('.') + 1);
            try (Stream<Path> files = Files.walk(ROOT.resolve("service/src/main/java"))) {
                Path source = files.filter(f -> f.getFileName().toString().equals(className + ".java")).findFirst()
                        .orElseGet(() -> fail("no class " + className + " in service/src/main for frame " + frame));
                assertTrue(Pattern.compile("\\b" + method + "\\(").matcher(Files.readString(source)).find(),
                        className + " has no method " + method);
            }
        }
    }

    @Test
    void everyMakeTargetTheWalkAndTheWorkflowNameExists() throws IOException {
        Set<String> targets = makeTargets();
        assertContains(targets, markers().get("makeTarget"), "make targets of the walk");
        Set<String> called = new TreeSet<>();
        for (Map<String, Object> step : workflowSteps()) {
            Object run = step.get("run");
            if (run != null) {
                Matcher m = Pattern.compile("(?m)(?:^|[;&|]\\s*)make ([a-z][a-z0-9-]*)").matcher(String.valueOf(run));
                while (m.find()) {
                    called.add(m.group(1));
                }
            }
        }
        assertEquals(new TreeSet<>(List.of("check", "down", "e2e", "e2e-check", "ps", "up")), called,
                "the workflow's make targets");
        assertContains(targets, called, "make targets of the workflow");
    }

    @Test
    void theWorkflowRunsTheStackInOrderPinsEveryActionAndUploadsWhatItSaw() throws IOException {
        List<String> runs = new ArrayList<>();
        List<Map<String, Object>> steps = workflowSteps();
        for (Map<String, Object> step : steps) {
            if (step.containsKey("uses")) {
                String uses = String.valueOf(step.get("uses"));
                assertTrue(PINNED_ACTION.matcher(uses).matches(), "action not pinned to a commit: " + uses);
            }
            if (step.containsKey("run")) {
                runs.add(String.valueOf(step.get("run")).strip());
            }
        }
        List<String> order = List.of(".ci/run", "make up", "sleep", "make check", "make e2e", "make down");
        int last = -1;
        for (String command : order) {
            int at = indexOfRunStartingWith(runs, command);
            assertTrue(at > last, command + " should come after the steps before it: " + runs);
            last = at;
        }
        String text = Files.readString(ROOT.resolve(".github/workflows/stack.yml"));
        for (String uses : StackText.all(Pattern.compile("uses: (\\S+)"), text)) {
            assertTrue(Pattern.compile(Pattern.quote(uses) + " # v\\d+\\.\\d+\\.\\d+").matcher(text).find(),
                    uses + " should name its release tag in a comment");
        }
        Map<String, Object> upload = steps.stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/upload-artifact@"))
                .findFirst().orElseGet(() -> fail("the workflow uploads no artifact"));
        String paths = String.valueOf(map(upload.get("with")).get("path"));
        assertTrue(paths.contains("e2e/results") && paths.contains("stack-logs"), "uploads the screenshots, report and logs: " + paths);
        assertEquals("${{ always() }}", upload.get("if"), "the artifacts are uploaded also when a step failed");
    }

    @Test
    void thePackagesArePinnedToTheStacksGrafanaAndPlaywright() throws IOException {
        Map<String, String> env = StackText.dotEnv(ROOT.resolve(".env"));
        String grafana = tagOf(env.get("GRAFANA_IMAGE"));
        String playwrightImage = env.get("PLAYWRIGHT_IMAGE");
        assertTrue(playwrightImage != null && playwrightImage.startsWith("mcr.microsoft.com/playwright:v"),
                "PLAYWRIGHT_IMAGE should be Playwright's own image, got " + playwrightImage);
        String playwright = tagOf(playwrightImage).replaceFirst("^v", "").replaceFirst("-[a-z]+$", "");

        Map<String, Object> pkg = yaml(E2E.resolve("package.json"));
        Map<String, Object> dev = map(pkg.get("devDependencies"));
        dev.forEach((name, version) -> assertTrue(EXACT.matcher(String.valueOf(version)).matches(),
                name + " should be an exact version, got " + version));
        assertEquals(grafana, dev.get("@grafana/e2e-selectors"), "@grafana/e2e-selectors at the Grafana version of .env");
        assertEquals(playwright, dev.get("@playwright/test"), "@playwright/test at the version of PLAYWRIGHT_IMAGE");
        assertEquals("$@grafana/e2e-selectors", map(map(pkg.get("overrides")).get("@grafana/plugin-e2e")).get("@grafana/e2e-selectors"),
                "plugin-e2e must use the pinned selectors, not the ones it was built with");

        Map<String, Object> locked = map(yaml(E2E.resolve("package-lock.json")).get("packages"));
        assertEquals(grafana, version(locked, "node_modules/@grafana/e2e-selectors"));
        assertNull(locked.get("node_modules/@grafana/plugin-e2e/node_modules/@grafana/e2e-selectors"),
                "the lock must not hold a second @grafana/e2e-selectors for plugin-e2e");
        assertEquals(playwright, version(locked, "node_modules/@playwright/test"));
        assertEquals(playwright, version(locked, "node_modules/playwright-core"), "the browsers of the image match playwright-core");
        String pluginE2e = version(locked, "node_modules/@grafana/plugin-e2e");
        assertEquals(dev.get("@grafana/plugin-e2e"), pluginE2e);
        // plugin-e2e resolves selectors per Grafana version; its range must include the pinned Grafana.
        String builtWith = String.valueOf(map(map(locked.get("node_modules/@grafana/plugin-e2e")).get("dependencies"))
                .get("@grafana/e2e-selectors"));
        assertTrue(builtWith.startsWith(grafana.substring(0, grafana.lastIndexOf('.') + 1)),
                "plugin-e2e " + pluginE2e + " was built for Grafana " + builtWith + ", the stack runs " + grafana);
    }

    @Test
    void theBrowserRunsInAOneShotJobThatMakeUpNeverStarts() throws IOException {
        Map<String, Object> services = map(yaml(ROOT.resolve("docker-compose.yml")).get("services"));
        Map<String, Object> e2e = map(services.get("e2e"));
        assertEquals(List.of("e2e"), e2e.get("profiles"), "make up must not start the browser");
        assertEquals("${PLAYWRIGHT_IMAGE}", e2e.get("image"));
        assertEquals("no", String.valueOf(e2e.get("restart")), "a failed walk must not be restarted");
        assertTrue(e2e.containsKey("mem_limit") && e2e.containsKey("logging"), "memory limit and the shared logging");
        assertFalse(e2e.containsKey("ports"), "the walk publishes nothing");
        assertTrue(list(e2e.get("volumes")).contains("./e2e:/e2e-src:ro"), "the walk's sources are mounted read-only");
        assertEquals("http://grafana:3000", map(e2e.get("environment")).get("GRAFANA_URL"), "it reaches Grafana inside the stack");

        // docker-compose v1 lists profile services in `config --services`: make up must not wait for them.
        String stack = Files.readString(ROOT.resolve("scripts/stack.sh"));
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            if (map(entry.getValue()).containsKey("profiles")) {
                assertTrue(Pattern.compile("ONE_SHOT_SERVICES=\\([^)]*\\b" + entry.getKey() + "\\b").matcher(stack).find(),
                        "scripts/stack.sh must not wait for the health of the one-shot service " + entry.getKey());
            }
        }
        assertTrue(Files.readString(ROOT.resolve("scripts/e2e.sh")).contains("--profile e2e run --rm --no-deps"),
                "make e2e runs the job once, next to the running stack");
    }

    @Test
    void theDiffLinkOfTheWalkIsTheOneMakeUpgradePrints() throws IOException {
        Matcher prefix = Pattern.compile("DIFF_LINK_PREFIX =\\s*'([^']*)' \\+\\s*'([^']*)';").matcher(read(E2E.resolve("lib/stack.ts")));
        assertTrue(prefix.find(), "e2e/lib/stack.ts defines DIFF_LINK_PREFIX");
        String link = prefix.group(1) + prefix.group(2);
        assertTrue(Files.readString(ROOT.resolve("scripts/stack.sh")).contains("http://localhost:3000" + link + "&from="),
                "make upgrade no longer prints " + link);
    }

    @Test
    void resultsAreGitIgnoredAndTheReadmeSaysWhatWasNotRunHere() throws IOException {
        assertTrue(Files.readString(E2E.resolve(".gitignore")).lines().anyMatch("/results/"::equals), "e2e/results/ is git-ignored");
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.contains("make e2e") && readme.contains("not yet been run against a live Grafana"),
                "the README says plainly that the browser walk has not been run against a live Grafana");
    }

    // ---------------------------------------------------------------- helpers

    /** Every marker call in e2e/lib and e2e/tests, by kind. */
    private static Map<String, Set<String>> markers() throws IOException {
        Map<String, Set<String>> found = new LinkedHashMap<>();
        for (String kind : List.of("dashboard", "panel", "datasource", "makeTarget", "frame", "linkLabel")) {
            found.put(kind, new TreeSet<>());
        }
        try (Stream<Path> files = Files.walk(E2E)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ts") && !f.toString().contains("node_modules")).toList()) {
                Matcher m = MARKER.matcher(read(file));
                while (m.find()) {
                    found.get(m.group(1)).add(m.group(3));
                }
            }
        }
        return found;
    }

    private static void assertContains(Set<String> existing, Set<String> named, String what) {
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(existing);
        assertTrue(missing.isEmpty(), "the browser walk names " + what + " that do not exist: " + missing);
    }

    private static void collectTitles(Object panels, Set<String> titles) {
        for (Object item : list(panels)) {
            Map<String, Object> panel = map(item);
            titles.add(String.valueOf(panel.get("title")));
            collectTitles(panel.get("panels"), titles); // panels of a collapsed row
        }
    }

    private static List<Map<String, Object>> dashboards() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                all.add(yaml(file));
            }
        }
        return all;
    }

    private static List<Map<String, Object>> workflowSteps() throws IOException {
        Map<String, Object> jobs = map(yaml(ROOT.resolve(".github/workflows/stack.yml")).get("jobs"));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Object job : jobs.values()) {
            list(map(job).get("steps")).forEach(step -> steps.add(map(step)));
        }
        return steps;
    }

    /** The step whose first command is this one (`make e2e` is not `make e2e-check`). */
    private static int indexOfRunStartingWith(List<String> runs, String command) {
        for (int i = 0; i < runs.size(); i++) {
            String first = runs.get(i).lines().findFirst().orElse("").strip();
            if (first.equals(command) || first.startsWith(command + " ")) {
                return i;
            }
        }
        return -1;
    }

    private static Set<String> makeTargets() throws IOException {
        return StackText.all(Pattern.compile("(?m)^([a-z][a-z0-9-]*):"), Files.readString(ROOT.resolve("Makefile")));
    }

    private static String tagOf(String image) {
        assertTrue(image != null && image.lastIndexOf(':') > image.lastIndexOf('/'), "image without a tag: " + image);
        return image.substring(image.lastIndexOf(':') + 1);
    }

    private static String version(Map<String, Object> lockedPackages, String key) {
        Object entry = lockedPackages.get(key);
        assertTrue(entry != null, "package-lock.json has no " + key);
        return String.valueOf(map(entry).get("version"));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** YAML, and JSON read as YAML, with the safe constructor only. */
    private static Map<String, Object> yaml(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return map(new Yaml(new SafeConstructor(options)).load(read(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            fail("expected a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
