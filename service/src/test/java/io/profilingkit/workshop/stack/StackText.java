package io.profilingkit.workshop.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

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

    /** A YAML (or JSON) file that is a mapping, read with the safe constructor; a key given twice is refused. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> yaml(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new SafeConstructor(options)).load(Files.readString(file, StandardCharsets.UTF_8));
        if (!(document instanceof Map<?, ?>)) {
            throw new AssertionError(file + " should be a mapping, got " + document);
        }
        return (Map<String, Object>) document;
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
