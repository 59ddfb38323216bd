package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.loadgen.LoadGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the pages state as a fact of the kit (an interval, a version, a port, a grace period, an
 * exit code, a variable) is what the kit's files say; and the measured figures live in docs/cost.md
 * and bench/ only, so that a new benchmark run cannot leave stale copies on other pages.
 */
class DocsFactsTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    /** The pages a reader is told to read, less the ones that hold the measurements. */
    private static final Set<String> MEASUREMENTS = Set.of("docs/cost.md", "bench/README.md", "bench/latest.md");

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void measuredFiguresAreOnlyInCostMdAndTheBenchmarksPages() throws IOException {
        // a data volume per day, a ratio against bare such as x0.85, a start-up or memory delta, idle CPU
        Pattern figure = Pattern.compile("\\b\\d[\\d,.]* ?[MG]B(?:/day| a day)|\\bx[01]\\.\\d\\d\\b"
                + "|\\+\\d+(?:\\.\\d+)? ?s\\b|\\+\\d+ MB\\b|\\d+(?:\\.\\d+)?% of a core");
        List<String> copies = new ArrayList<>();
        for (Path page : pages()) {
            String name = ROOT.relativize(page).toString();
            if (MEASUREMENTS.contains(name)) {
                continue;
            }
            Matcher m = figure.matcher(Files.readString(page));
            while (m.find()) {
                copies.add(name + ": " + m.group());
            }
        }
        assertEquals(List.of(), copies, "figures of a measurement outside docs/cost.md: link to it instead");
    }

    @Test
    void theScrapeIntervalThePagesStateIsPrometheusYmls() throws IOException {
        Map<String, Object> prometheus = StackText.yaml(ROOT.resolve("prometheus/prometheus.yml"));
        String interval = String.valueOf(((Map<?, ?>) prometheus.get("global")).get("scrape_interval"));
        Pattern stated = Pattern.compile("(?i)scrap\\w*[^.|\\n]{0,60}?every (\\d+) ?s\\b|every (\\d+) ?s\\b[^.|\\n]{0,20}scrape|(\\d+) ?s scrape");
        Set<String> found = new TreeSet<>();
        for (Path page : pages()) {
            Matcher m = stated.matcher(Files.readString(page));
            while (m.find()) {
                String seconds = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                found.add(ROOT.relativize(page) + ": " + seconds + "s");
                assertEquals(interval, seconds + "s", ROOT.relativize(page) + " states a scrape interval: " + m.group());
            }
        }
        assertTrue(found.size() >= 2, "the pages that state the interval: " + found);
    }

    @Test
    void everyStackVersionThePagesNameIsTheOneDotEnvPins() throws IOException {
        Map<String, String> pinned = Map.of(
                "Grafana", tag("GRAFANA_IMAGE"), "Prometheus", tag("PROMETHEUS_IMAGE").replaceFirst("^v", ""),
                "Tempo", tag("TEMPO_IMAGE"), "Pyroscope", tag("PYROSCOPE_IMAGE"));
        Pattern named = Pattern.compile("\\b(Grafana|Prometheus|Tempo|Pyroscope) v?(\\d+\\.\\d+(?:\\.\\d+)?)\\b");
        for (Path page : pages()) {
            for (String line : Files.readAllLines(page)) {
                Matcher m = named.matcher(line);
                while (m.find()) {
                    String version = m.group(2);
                    // the Prometheus the contract tests start is Debian's, and the pages say so where they name it
                    boolean debian = m.group(1).equals("Prometheus") && line.contains("Debian");
                    assertTrue(debian || pinned.get(m.group(1)).equals(version) || pinned.get(m.group(1)).startsWith(version + "."),
                            ROOT.relativize(page) + " names " + m.group() + " where .env pins " + pinned.get(m.group(1)) + ": " + line);
                }
            }
        }
    }

    @Test
    void portGracePeriodAndExitCodesOfServiceMdAreTheKits() throws IOException {
        String service = Files.readString(ROOT.resolve("docs/service.md"));
        String makefile = Files.readString(ROOT.resolve("Makefile"));
        Map<String, Object> application = StackText.yaml(ROOT.resolve("service/src/main/resources/application.yml"));
        Map<?, ?> server = (Map<?, ?>) ((Map<?, ?>) application.get("micronaut")).get("server");
        Matcher portDefault = Pattern.compile("(?m)^PORT \\?= (\\d+)$").matcher(makefile);
        assertTrue(portDefault.find(), "the Makefile's PORT");
        assertEquals(String.valueOf(server.get("port")), portDefault.group(1), "make run's port and the service's own");
        assertTrue(service.contains("`PORT` is " + portDefault.group(1) + " unless given"), "docs/service.md states PORT's default");

        Map<?, ?> graceful = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) application.get("micronaut")).get("lifecycle")).get("graceful-shutdown");
        assertEquals(Boolean.TRUE, graceful.get("enabled"));
        String grace = String.valueOf(graceful.get("grace-period"));
        assertTrue(service.contains("for at most " + grace.replace("s", " s")), "docs/service.md states the grace period " + grace);
        Map<?, ?> composeService = (Map<?, ?>) ((Map<?, ?>) StackText.yaml(ROOT.resolve("docker-compose.yml")).get("services")).get("service");
        String stop = String.valueOf(composeService.get("stop_grace_period"));
        assertTrue(Integer.parseInt(stop.replace("s", "")) > Integer.parseInt(grace.replace("s", "")),
                "Docker waits longer (" + stop + ") than the service drains (" + grace + ")");
        assertTrue(service.contains("Docker waits " + stop.replace("s", " s")), "docs/service.md states Docker's wait " + stop);

        assertTrue(service.contains("The generator itself exits " + LoadGenerator.OK + " when the run passed, "
                + LoadGenerator.TOO_MANY_ERRORS + " if\nmore than 1% of requests failed or nothing answered, "
                + LoadGenerator.USAGE + " on bad arguments"), "the load generator's exit codes in docs/service.md");
    }

    @Test
    void everySettingOfMakeCheckIsInStackMd() throws IOException {
        String script = Files.readString(ROOT.resolve("scripts/check-stack.sh"));
        String stack = Files.readString(ROOT.resolve("docs/stack.md"));
        Set<String> settings = StackText.all(Pattern.compile("\\$\\{([A-Z][A-Z_]+):-"), script);
        assertTrue(settings.size() >= 7, "what check-stack.sh reads from the environment: " + settings);
        for (String setting : settings) {
            assertTrue(stack.contains("`" + setting + "`"), "docs/stack.md does not name make check's " + setting);
        }
    }

    @Test
    void theLayoutOfTestsMdNamesEveryPageOfTheDocs() throws IOException {
        String docsRow = Files.readAllLines(ROOT.resolve("docs/tests.md")).stream()
                .filter(line -> line.startsWith("| `docs/` |")).findFirst().orElseThrow();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                String name = page.getFileName().toString();
                assertTrue(name.equals("tests.md") || docsRow.contains("`" + name + "`"), "docs/tests.md's layout leaves out " + name);
            }
        }
    }

    @Test
    void theNodeVersionsTheReadmeAsksForAreTheBrowserWalks() throws IOException {
        String packageJson = Files.readString(ROOT.resolve("e2e/package.json"));
        Matcher engines = Pattern.compile("\"node\": \">=(\\d+) <=(\\d+)\"").matcher(packageJson);
        assertTrue(engines.find(), "e2e/package.json names the Node.js versions it runs on");
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("Node.js " + engines.group(1) + " to " + engines.group(2)),
                "the README's prerequisites name Node.js " + engines.group(1) + " to " + engines.group(2));
    }

    /** The tag of an image .env pins, e.g. {@code 3.0.3} of {@code TEMPO_IMAGE=grafana/tempo:3.0.3}. */
    private static String tag(String key) throws IOException {
        String image = StackText.dotEnv(ROOT.resolve(".env")).get(key);
        assertTrue(image != null, key + " is not in .env");
        return image.substring(image.lastIndexOf(':') + 1);
    }

}
