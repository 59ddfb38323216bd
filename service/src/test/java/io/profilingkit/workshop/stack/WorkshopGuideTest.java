package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.loadgen.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The workshop guide and the README name only things that exist: make targets, load scenarios,
 * dashboards (by uid and by title), and the lines `make check` prints; and the counts and durations
 * they state are the ones of the compose file, the controllers and the latest benchmark run.
 */
class WorkshopGuideTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path GUIDE = ROOT.resolve("docs/workshop.md");
    static final Path SERVICE_PAGE = ROOT.resolve("docs/service.md");
    static final Pattern MAKE_TARGET = Pattern.compile("`make ([a-z][a-z0-9-]*)");
    static final Pattern SCENARIO = Pattern.compile("SCENARIO=([a-z]+)");
    static final Pattern DASHBOARD_URL = Pattern.compile("/d/([a-z0-9-]+)");
    static final Pattern DASHBOARD_TITLE = Pattern.compile("\\*\\*(Workshop: [^*]+)\\*\\*");
    static final Pattern CHECK_LINE = Pattern.compile("`(?:PASS|FAIL) ([a-z]+: [^`]+)`");

    @Test
    void everyMakeTargetNamedInTheDocsExists() throws IOException {
        Set<String> targets = makeTargets();
        for (Path doc : docs()) {
            Set<String> named = StackText.all(MAKE_TARGET, Files.readString(doc));
            named.removeAll(targets);
            assertTrue(named.isEmpty(), doc.getFileName() + " names make targets that do not exist: " + named);
        }
    }

    @Test
    void everyScenarioNamedInTheGuideIsOneTheLoadGeneratorKnows() throws IOException {
        Set<String> known = Arrays.stream(Scenario.values()).map(Scenario::cliName).collect(Collectors.toSet());
        Set<String> named = StackText.all(SCENARIO, Files.readString(GUIDE));
        assertTrue(named.size() >= 7, "the guide sets up traffic for its exercises: " + named);
        named.removeAll(known);
        assertTrue(named.isEmpty(), "unknown scenarios: " + named);
    }

    @Test
    void everyDashboardNamedInTheGuideIsProvisioned() throws IOException {
        String guide = Files.readString(GUIDE);
        String dashboards = dashboardsJson();
        Set<String> uids = StackText.all(DASHBOARD_URL, guide);
        Set<String> titles = StackText.all(DASHBOARD_TITLE, guide);
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
        Set<String> quoted = StackText.all(CHECK_LINE, Files.readString(GUIDE));
        assertTrue(quoted.size() >= 5, "the troubleshooting table quotes make check: " + quoted);
        for (String check : quoted) {
            assertTrue(script.contains("\"" + check + "\""), "make check prints no line '" + check + "'");
        }
    }

    @Test
    void theReadmeLinksTheGuide() throws IOException {
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("](docs/workshop.md)"));
    }

    /**
     * Every Grafana button, menu item and view the guide names is written in bold (or quoted) and
     * is in grafana/ui-labels.tsv, read from the pinned versions' source, or is a name this project
     * provisions (dashboard, panel, link, variable). Bold lead-ins (followed by a colon, or ending
     * in . or ?) are exempt. A listed label in italics is flagged: the guide writes them in bold.
     */
    @Test
    void everyUiLabelTheGuideNamesIsInTheLabelListOrProvisioned() throws IOException {
        Set<String> labels = uiLabels();
        Set<String> provisioned = provisionedNames();
        Set<String> headings = headings();
        List<String> problems = new java.util.ArrayList<>();
        for (Map.Entry<String, String> text : guideTexts().entrySet()) {
            Matcher bold = BOLD.matcher(text.getValue());
            while (bold.find()) {
                String label = bold.group(1).strip().replaceAll("\\s+", " ");
                boolean leadIn = label.matches(".*[.?]$") || text.getValue().startsWith(":", bold.end());
                if (!leadIn && !labels.contains(label) && !isProvisioned(label, provisioned)) {
                    problems.add(text.getKey() + ": **" + label + "** is neither in grafana/ui-labels.tsv nor provisioned");
                }
            }
            Matcher quoted = QUOTED.matcher(text.getValue());
            while (quoted.find()) {
                String label = quoted.group(1);
                if (!labels.contains(label) && !headings.contains(label) && !isProvisioned(label, provisioned)) {
                    problems.add(text.getKey() + ": \"" + label + "\" is neither in grafana/ui-labels.tsv nor a section");
                }
            }
            Matcher italic = ITALIC.matcher(text.getValue());
            while (italic.find()) {
                if (labels.contains(italic.group(1).strip()) && !provisioned.contains(italic.group(1).strip())) {
                    problems.add(text.getKey() + ": *" + italic.group(1) + "* is a Grafana label: write it in bold");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theLabelListNamesVersionAndUpstreamFileForEveryLabel() throws IOException {
        List<String> rows = labelRows();
        assertTrue(rows.size() >= 15, "grafana/ui-labels.tsv: " + rows.size() + " labels");
        for (String row : rows) {
            String[] columns = row.split("\t");
            assertEquals(3, columns.length, "label, version, upstream file: " + row);
            assertTrue(columns[2].contains("/"), "upstream file of " + columns[0] + ": " + columns[2]);
        }
    }

    /** Bold, also across a line break (the guide wraps at 100 columns). */
    static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+?)\\*\\*");
    static final Pattern ITALIC = Pattern.compile("(?<![*\\w])\\*([^*\\n]+)\\*(?![*\\w])");
    /** A quoted label: starts upper case, up to six words of letters, no digits or markup. */
    static final Pattern QUOTED = Pattern.compile("\"([A-Z][A-Za-z.']*(?: [A-Za-z.']+){0,5})\"");

    private static List<String> labelRows() throws IOException {
        return Files.readAllLines(ROOT.resolve("grafana/ui-labels.tsv")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    private static Set<String> uiLabels() throws IOException {
        return labelRows().stream().map(line -> line.split("\t")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The guide, docs/stack.md and the dashboards' text panels, without code. */
    private static Map<String, String> guideTexts() throws IOException {
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        for (Path doc : List.of(GUIDE, ROOT.resolve("docs/stack.md"))) {
            texts.put(doc.getFileName().toString(), StackText.withoutCode(Files.readString(doc)));
        }
        for (Map.Entry<String, Object> dashboard : dashboards().entrySet()) {
            for (Object panel : (List<?>) ((Map<?, ?>) dashboard.getValue()).get("panels")) {
                Map<?, ?> p = (Map<?, ?>) panel;
                if ("text".equals(p.get("type"))) {
                    String content = String.valueOf(((Map<?, ?>) p.get("options")).get("content"));
                    texts.put(dashboard.getKey() + " \"" + p.get("title") + "\"", StackText.withoutCode(content));
                }
            }
        }
        return texts;
    }

    /** Dashboard, panel and link titles, variable names and labels, the dashboards' folder. */
    private static Set<String> provisionedNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Object dashboard : dashboards().values()) {
            collectNames(dashboard, names);
        }
        Matcher folder = Pattern.compile("(?m)^\\s*folder:\\s*['\"]?([^'\"\\n]+)").matcher(
                Files.readString(ROOT.resolve("grafana/provisioning/dashboards/dashboards.yaml")));
        while (folder.find()) {
            names.add(folder.group(1).strip());
        }
        return names;
    }

    private static void collectNames(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            for (String key : List.of("title", "label", "text")) {
                if (map.get(key) instanceof String value && !value.isBlank()) {
                    names.add(value.strip());
                }
            }
            map.values().forEach(value -> collectNames(value, names));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectNames(item, names));
        }
    }

    /** A provisioned name, or the start of one up to a colon, comma, bracket or word ("Incident: ..."). */
    private static boolean isProvisioned(String label, Set<String> provisioned) {
        return provisioned.stream().anyMatch(name -> name.equals(label)
                || name.startsWith(label) && name.length() > label.length()
                        && " :,(".indexOf(name.charAt(label.length())) >= 0);
    }

    /** Section titles of the docs and the README, which the guide quotes as cross-references. */
    private static Set<String> headings() throws IOException {
        Set<String> headings = new TreeSet<>();
        for (Path doc : docs()) {
            Matcher m = Pattern.compile("(?m)^#+ (.+)$").matcher(Files.readString(doc));
            while (m.find()) {
                headings.add(m.group(1).strip());
                headings.add(m.group(1).replaceAll("\\s*\\(.*\\)\\s*$", "").strip());
            }
        }
        return headings;
    }

    private static Map<String, Object> dashboards() throws IOException {
        Map<String, Object> byFile = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("grafana/dashboards"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                byFile.put(f.getFileName().toString(), new org.yaml.snakeyaml.Yaml(
                        new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
                        .load(Files.readString(f)));
            }
        }
        return byFile;
    }

    @Test
    void theReadmeCountsTheContainersOfTheComposeFile() throws IOException {
        String said = first(Pattern.compile("`make up` runs ([a-z]+) containers"), readme());
        assertEquals(composeServices().size(), NUMBERS.indexOf(said),
                "the README says " + said + " containers; docker-compose.yml has " + composeServices().keySet());
    }

    @Test
    void theMemoryTheDocsAskForCoversTheContainersLimits() throws IOException {
        double limitsGb = 0;
        for (Object service : composeServices().values()) {
            String limit = String.valueOf(((Map<?, ?>) service).get("mem_limit"));
            Matcher m = Pattern.compile("(\\d+)([mg])").matcher(limit);
            assertTrue(m.matches(), "every container has a memory limit in m or g: " + limit);
            limitsGb += Integer.parseInt(m.group(1)) / (m.group(2).equals("g") ? 1.0 : 1024.0);
        }
        assertEquals(limitsGb, Double.parseDouble(first(Pattern.compile("limits add up to ([0-9.]+) GB"), readme())), 1e-9,
                "the README's sum of the memory limits");
        for (Path doc : new Path[] {ROOT.resolve("README.md"), ROOT.resolve("docs/stack.md")}) {
            double asked = Double.parseDouble(first(Pattern.compile("about ([0-9.]+) GB(?:\\s+of)?\\s+free"), Files.readString(doc)));
            assertTrue(asked >= limitsGb, doc.getFileName() + " asks for " + asked + " GB, the limits add up to " + limitsGb);
        }
    }

    /** Routes without their path variable (/api/hash) answer 400 "key missing": the table has them with it. */
    @Test
    void theEndpointTableListsEveryRouteTheServiceServes() throws IOException {
        Set<String> documented = StackText.all(Pattern.compile("(?m)^\\| `GET ([^`]+)`"), Files.readString(SERVICE_PAGE));
        Set<String> served = routes();
        served.add("/health"); // micronaut-management, switched on in application.yml
        for (String route : served) {
            assertTrue(documented.contains(route) || documented.stream().anyMatch(d -> d.startsWith(route + "/{")),
                    "docs/service.md's endpoint table lacks GET " + route + " (it lists " + documented + ")");
        }
        documented.removeAll(served);
        assertTrue(documented.isEmpty(), "the endpoint table lists routes the service does not have: " + documented);
    }

    @Test
    void benchDurationsAgreeEverywhereAndWithTheLatestRun() throws IOException {
        String makefile = Files.readString(ROOT.resolve("Makefile"));
        String benchReadme = Files.readString(ROOT.resolve("bench/README.md"));
        String full = first(Pattern.compile("(?m)^bench:.*\\(about ([0-9-]+) min\\)"), makefile);
        String quick = first(Pattern.compile("(?m)^bench-quick:.*\\(about ([0-9-]+) min\\)"), makefile);
        for (String doc : List.of("README.md", "docs/cost.md")) {
            String text = Files.readString(ROOT.resolve(doc));
            assertEquals(full, first(Pattern.compile("`make bench` \\(about ([0-9-]+) min"), text), doc + ", make bench");
            assertEquals(quick, first(Pattern.compile("`make bench-quick` \\(about ([0-9-]+) min"), text), doc + ", make bench-quick");
        }
        assertEquals(full, first(Pattern.compile("(?m)^make bench +#.*about ([0-9-]+) min"), benchReadme), "bench/README.md, make bench");
        assertEquals(quick, first(Pattern.compile("(?m)^make bench-quick +#.*about ([0-9-]+) min"), benchReadme), "bench/README.md, make bench-quick");
        Matcher took = Pattern.compile("Took (\\d+) min (\\d+) s").matcher(Files.readString(ROOT.resolve("bench/latest.md")));
        assertTrue(took.find(), "bench/latest.md says how long the run took");
        double minutes = Integer.parseInt(took.group(1)) + Integer.parseInt(took.group(2)) / 60.0;
        assertTrue(Math.abs(minutes - Integer.parseInt(full)) <= 1,
                "make bench is said to take about " + full + " min; the latest run took " + took.group());
    }

    private static final List<String> NUMBERS =
            List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** The services `make up` starts: not the one-shot jobs under a profile (make e2e). */
    private static Map<String, Object> composeServices() throws IOException {
        Map<?, ?> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> services = new java.util.TreeMap<>();
        ((Map<?, ?>) compose.get("services")).forEach((name, service) -> {
            if (!((Map<?, ?>) service).containsKey("profiles")) {
                services.put((String) name, service);
            }
        });
        return services;
    }

    /** The GET routes of the service's controllers, read from their annotations. */
    private static Set<String> routes() throws IOException {
        Pattern controller = Pattern.compile("@Controller\\(\"([^\"]*)\"\\)");
        Pattern get = Pattern.compile("@Get(?:\\(([^)]*)\\))?");
        Pattern literal = Pattern.compile("\"([^\"]*)\"");
        Set<String> routes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("service/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher c = controller.matcher(source);
                if (!c.find()) {
                    continue;
                }
                Matcher g = get.matcher(source);
                while (g.find()) {
                    String args = g.group(1) == null ? "" : g.group(1);
                    if (args.contains("produces") && !args.contains("uri")) {
                        routes.add(c.group(1));
                        continue;
                    }
                    Matcher uri = literal.matcher(args);
                    boolean any = false;
                    while (uri.find()) {
                        routes.add(c.group(1) + uri.group(1));
                        any = true;
                    }
                    if (!any) {
                        routes.add(c.group(1));
                    }
                }
            }
        }
        return routes;
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), "no match for " + pattern);
        return m.group(1);
    }

    private static Set<String> makeTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^([a-z][a-z0-9-]*):").matcher(Files.readString(ROOT.resolve("Makefile")));
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    /** The README and every page under docs/. */
    private static Path[] docs() throws IOException {
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            return Stream.concat(Stream.of(ROOT.resolve("README.md")),
                    pages.filter(p -> p.toString().endsWith(".md")).sorted()).toArray(Path[]::new);
        }
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
}
