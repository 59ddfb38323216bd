package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.loadgen.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workshop guide and the README name only things that exist: make targets, load scenarios,
 * dashboards (by uid and by title), and the lines `make check` prints.
 */
class WorkshopGuideTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path GUIDE = ROOT.resolve("docs/workshop.md");
    static final Pattern MAKE_TARGET = Pattern.compile("`make ([a-z][a-z0-9-]*)");
    static final Pattern SCENARIO = Pattern.compile("SCENARIO=([a-z]+)");
    static final Pattern DASHBOARD_URL = Pattern.compile("/d/([a-z0-9-]+)");
    static final Pattern DASHBOARD_TITLE = Pattern.compile("\\*\\*(Workshop: [^*]+)\\*\\*");
    static final Pattern CHECK_LINE = Pattern.compile("`(?:PASS|FAIL) ([a-z]+: [^`]+)`");

    @Test
    void everyMakeTargetNamedInTheDocsExists() throws IOException {
        Set<String> targets = makeTargets();
        for (Path doc : docs()) {
            Set<String> named = all(MAKE_TARGET, Files.readString(doc));
            named.removeAll(targets);
            assertTrue(named.isEmpty(), doc.getFileName() + " names make targets that do not exist: " + named);
        }
    }

    @Test
    void everyScenarioNamedInTheGuideIsOneTheLoadGeneratorKnows() throws IOException {
        Set<String> known = Arrays.stream(Scenario.values()).map(Scenario::cliName).collect(Collectors.toSet());
        Set<String> named = all(SCENARIO, Files.readString(GUIDE));
        assertTrue(named.size() >= 7, "the guide sets up traffic for its exercises: " + named);
        named.removeAll(known);
        assertTrue(named.isEmpty(), "unknown scenarios: " + named);
    }

    @Test
    void everyDashboardNamedInTheGuideIsProvisioned() throws IOException {
        String guide = Files.readString(GUIDE);
        String dashboards = dashboardsJson();
        Set<String> uids = all(DASHBOARD_URL, guide);
        Set<String> titles = all(DASHBOARD_TITLE, guide);
        assertFalse(uids.isEmpty());
        assertFalse(titles.isEmpty());
        for (String uid : uids) {
            assertTrue(dashboards.contains("\"uid\": \"" + uid + "\"") || dashboards.contains("\"uid\":\"" + uid + "\""),
                    "no dashboard with uid " + uid);
        }
        for (String title : titles) {
            assertTrue(dashboards.contains("\"title\": \"" + title + "\"") || dashboards.contains("\"title\":\"" + title + "\""),
                    "no dashboard titled " + title);
        }
    }

    @Test
    void everyMakeCheckLineTheGuideQuotesIsOneTheCheckPrints() throws IOException {
        String script = Files.readString(ROOT.resolve("scripts/check-stack.sh"))
                .replace("$SERVICE", "workshop-service");
        Set<String> quoted = all(CHECK_LINE, Files.readString(GUIDE));
        assertTrue(quoted.size() >= 5, "the troubleshooting table quotes make check: " + quoted);
        for (String check : quoted) {
            assertTrue(script.contains("\"" + check + "\""), "make check prints no line '" + check + "'");
        }
    }

    @Test
    void theReadmeLinksTheGuide() throws IOException {
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("](docs/workshop.md)"));
    }

    private static Set<String> makeTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-z][a-z0-9-]*):").matcher(Files.readString(ROOT.resolve("Makefile")));
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    private static Path[] docs() {
        return new Path[] {GUIDE, ROOT.resolve("README.md"), ROOT.resolve("docs/stack.md")};
    }

    private static String dashboardsJson() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(ROOT.resolve("grafana/dashboards"))) {
            for (Path f : files.toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
