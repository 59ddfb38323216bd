package io.profilingkit.workshop.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDK the instrumented service runs on in the integration tests: the same major version as
 * the image's runtime stage in {@code service/Dockerfile}, because where samples land (platform
 * or virtual threads, profiler support) depends on it. {@code IT_JAVA_HOME} picks one explicitly;
 * otherwise a matching JDK is looked for under {@code /usr/lib/jvm}.
 */
public final class ContainerJdk {

    private static final Pattern RUNTIME_IMAGE = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)[^\\s]*-jre\\s*$");
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private ContainerJdk() {
    }

    /** The Java major version the container ships, read from the Dockerfile. */
    public static int containerMajor(Path serviceDir) {
        try {
            Matcher m = RUNTIME_IMAGE.matcher(Files.readString(serviceDir.resolve("Dockerfile")));
            if (!m.find()) {
                throw new IllegalStateException("no 'FROM eclipse-temurin:<version>-jre' stage in the Dockerfile");
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JAVA_HOME of the container's major version, or a failure that says how to provide one. */
    public static Path home(Path serviceDir) {
        int major = containerMajor(serviceDir);
        String explicit = System.getenv("IT_JAVA_HOME");
        if (explicit != null && !explicit.isBlank()) {
            Path home = Path.of(explicit);
            int found = majorOf(home).orElseThrow(() ->
                    new IllegalStateException("IT_JAVA_HOME=" + explicit + " has no readable 'release' file"));
            if (found != major) {
                throw new IllegalStateException("IT_JAVA_HOME is Java " + found + " but the container ships Java " + major);
            }
            return home;
        }
        try (Stream<Path> candidates = Files.list(Path.of("/usr/lib/jvm"))) {
            return candidates.filter(p -> majorOf(p).orElse(-1) == major).sorted().findFirst()
                    .orElseThrow(() -> missing(major));
        } catch (IOException e) {
            throw missing(major);
        }
    }

    public static Optional<Integer> majorOf(Path javaHome) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(javaHome.resolve("release")));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static IllegalStateException missing(int major) {
        return new IllegalStateException("the integration tests run the service on Java " + major
                + ", the version of its container image, and found none under /usr/lib/jvm:"
                + " install a JDK " + major + " or set IT_JAVA_HOME to one");
    }
}
