package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is the front page and every other page is one click from it: it stays short, links
 * each page under docs/, and no link of any page of the kit leads nowhere (a missing file, or a
 * section that was renamed or moved: anchors are GitHub's, derived from the headings).
 */
class DocsLinksTest {

    static final Path ROOT = WorkshopGuideTest.ROOT;
    /** [text](target), not images' or code's: targets without a scheme are the kit's own files. */
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** The issue that cut the README down asked for about 150-200 lines: a page read in five minutes. */
    static final int README_MAX_LINES = 200;

    @Test
    void theReadmeIsAFrontPageThatLinksEveryPageOfTheDocs() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        long lines = readme.lines().count();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; the front page keeps to "
                + README_MAX_LINES + " and links the rest (docs/)");
        Set<String> linked = new TreeSet<>();
        Matcher m = LINK.matcher(StackText.withoutCode(readme));
        while (m.find()) {
            linked.add(m.group(1).replaceAll("#.*$", ""));
        }
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) {
                String path = "docs/" + page.getFileName();
                assertTrue(linked.contains(path), "the README does not link " + path + " (it links " + linked + ")");
            }
        }
        assertTrue(readme.contains("```mermaid"), "the front page shows the stack as a diagram");
    }

    /** The diagram is on the front page and on docs/stack.md: one drawing, not two that drift apart. */
    @Test
    void theStackDiagramIsTheSameOnTheFrontPageAndInTheStackPage() throws IOException {
        Pattern mermaid = Pattern.compile("(?s)```mermaid\n.*?```");
        Matcher front = mermaid.matcher(Files.readString(ROOT.resolve("README.md")));
        Matcher stack = mermaid.matcher(Files.readString(ROOT.resolve("docs/stack.md")));
        assertTrue(front.find() && stack.find(), "both pages draw the stack");
        assertEquals(stack.group(), front.group(), "README.md and docs/stack.md draw the stack differently");
    }

    @Test
    void everyLinkBetweenTheKitsPagesLeadsToAFileAndSectionThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : markdownPages()) {
            Matcher m = LINK.matcher(StackText.withoutCode(Files.readString(page)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not ours to check offline
                }
                checked++;
                String file = target.replaceAll("#.*$", "");
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such section; it has " + anchors(resolved) + ")");
                }
            }
        }
        assertTrue(checked >= 20, "the pages link each other: " + checked + " links found");
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void anchorsAreGitHubs() {
        assertEquals("traffic-make-load-and-make-traffic", slug("Traffic: `make load` and `make traffic`"));
        assertEquals("2-an-exemplar--its-trace--profiles-for-this-span", slug("2. An exemplar → its trace → \"Profiles for this span\""));
        assertEquals("the-kits-extension-against-upstreams-102", slug("The kit's extension against upstream's 1.0.2"));
    }

    static List<Path> markdownPages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"),
                ROOT.resolve("bench/README.md")));
        for (String dir : List.of("docs", "deploy")) {
            if (Files.isDirectory(ROOT.resolve(dir))) {
                try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                    files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
                }
            }
        }
        return pages;
    }

    /** The anchors GitHub gives a page's headings, a repeated heading's with -1, -2, ... */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new TreeSet<>();
        if (!page.toString().endsWith(".md")) {
            return anchors;
        }
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#{1,6} +(.+?)\\s*$").matcher(StackText.withoutFences(Files.readString(page)));
        while (m.find()) {
            String slug = slug(m.group(1));
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }

    /** GitHub's rule: lower case, drop what is not a letter, digit, space, hyphen or underscore, spaces to hyphens. */
    static String slug(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
