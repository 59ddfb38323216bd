package io.profilingkit.workshop.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the stack checks read out of the repository's text files, in one place. */
public final class StackText {

    private StackText() {
    }

    /** Every first group of {@code pattern} in {@code text}, sorted. */
    public static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The {@code KEY=value} lines of a compose {@code .env} file, in order; comments and blank lines skipped. */
    public static Map<String, String> dotEnv(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
                values.put(trimmed.substring(0, trimmed.indexOf('=')), trimmed.substring(trimmed.indexOf('=') + 1));
            }
        }
        return values;
    }

    /** Markdown without its fenced code blocks. */
    static String withoutFences(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "");
    }

    /** Markdown without fenced code blocks and inline code. */
    static String withoutCode(String markdown) {
        return withoutFences(markdown).replaceAll("`[^`\\n]*`", "");
    }
}
