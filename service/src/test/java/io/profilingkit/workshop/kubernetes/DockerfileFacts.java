package io.profilingkit.workshop.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What deploy/extension-image/Dockerfile says: its base images, the version it labels, where the jar goes. */
record DockerfileFacts(List<String> fromImages, String versionLabel, String jarVersion, String extensionsDir) {

    static DockerfileFacts read() {
        String text;
        try {
            text = Files.readString(Chart.ROOT.resolve("deploy/extension-image/Dockerfile"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(text).results().map(r -> r.group(1)).toList();
        return new DockerfileFacts(from,
                first("org\\.opencontainers\\.image\\.version=\"([^\"]+)\"", text),
                first("span-profiles-extension-([0-9][^/\\s]*)\\.jar", text),
                first("(?m)^COPY --from=build\\S*(?: --chmod=\\S+)? \\S+ (/\\S+)/span-profiles-extension\\.jar$", text));
    }

    private static String first(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("deploy/extension-image/Dockerfile: nothing matches " + regex);
        }
        return m.group(1);
    }
}
