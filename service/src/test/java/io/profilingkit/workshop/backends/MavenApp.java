package io.profilingkit.workshop.backends;

import io.profilingkit.otherapp.ClientWork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds an application of another shape than the kit's (a Spring Boot service, say) from its Maven
 * project under {@code src/test/it-apps/}, with the kit's Maven wrapper and Maven Central, as its
 * team would build it. The project is copied to {@code target/it-apps/<name>-build} first, so the
 * source tree stays clean, with the tests' {@link ClientWork} (the per-client work methods every
 * test app shares) added to its sources.
 */
public final class MavenApp {

    /**
     * How long a build may take: a cold build downloads the framework once (about a minute on a
     * fresh machine) and then takes seconds; a build that hangs on the network never ends.
     */
    static final long BUILD_MINUTES = 10;

    private MavenApp() {
    }

    /** Builds {@code src/test/it-apps/<name>} and returns its {@code target/<name>.jar}. */
    public static synchronized Path build(String name) throws IOException {
        Path source = InstrumentedService.SERVICE_DIR.resolve("src/test/it-apps/" + name);
        Path project = InstrumentedService.SERVICE_DIR.resolve("target/it-apps/" + name + "-build");
        Path jar = project.resolve("target/" + name + ".jar");
        copy(source, project);
        String work = ClientWork.class.getName().replace('.', '/') + ".java";
        Path into = project.resolve("src/main/java/" + work);
        Files.createDirectories(into.getParent());
        Files.copy(InstrumentedService.SERVICE_DIR.resolve("src/test/java/" + work), into, StandardCopyOption.REPLACE_EXISTING);
        Path log = InstrumentedService.SERVICE_DIR.resolve("target/it-logs/build-" + name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = List.of(InstrumentedService.SERVICE_DIR.resolve("mvnw").toString(), "-B", "-q", "-ntp",
                "-f", project.resolve("pom.xml").toString(), "package", "-DskipTests");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try {
            if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("building " + name + " took over " + BUILD_MINUTES + " minutes; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException(e);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("building " + name + " failed (exit " + process.exitValue() + "); see " + log);
        }
        return jar;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
