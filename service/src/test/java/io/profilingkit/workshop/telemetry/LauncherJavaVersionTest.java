package io.profilingkit.workshop.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code run-instrumented.sh} gives a JVM only the options it knows: a service of one's own may run on
 * an older Java than the kit. The JVMs here are fakes with a real {@code release} file: they print the
 * options they were given and, like a real Java 11, refuse {@code --enable-native-access}. (The real
 * JVMs this machine has, 17 and 25, run in the integration tests.)
 */
class LauncherJavaVersionTest {

    private static final Path SERVICE_DIR = Path.of(System.getProperty("user.dir"));

    @ParameterizedTest(name = "Java {0}")
    @CsvSource({
            "1.8.0_412, false, false",
            "11.0.22,   false, true",
            "17.0.15,   false, true",
            "21.0.5,    false, true",
            "25.0.3,    true,  true"})
    void optionsFollowTheJavaVersion(String version, boolean nativeAccess, boolean jitDirectives, @TempDir Path dir)
            throws IOException, InterruptedException {
        Path home = dir.resolve("jdk");
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/bash
                for arg in "$@"; do
                  case "$arg" in --enable-native-access=*) [ "${FAKE_MAJOR}" -ge 17 ] || { echo "Unrecognized option: $arg" >&2; exit 1; } ;; esac
                  echo "$arg"
                done
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path agents = dir.resolve("agents");
        Files.createDirectories(agents);
        for (String jar : List.of("opentelemetry-javaagent.jar", "pyroscope.jar", "span-profiles-extension.jar")) {
            Files.createFile(agents.resolve(jar));
        }
        Path app = Files.createFile(dir.resolve("app.jar"));
        ProcessBuilder builder = new ProcessBuilder("bash", SERVICE_DIR.resolve("run-instrumented.sh").toString(),
                "--name", "old-java-app", "--jar", app.toString()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", home.toString());
        builder.environment().put("AGENTS_DIR", agents.toString());
        builder.environment().put("LAUNCHER_QUIET", "true");
        builder.environment().put("AGENT_LOG", "verbose");
        builder.environment().put("BACKEND_PROBE_INTERVAL", "1");
        builder.environment().put("FAKE_MAJOR", version.startsWith("1.") ? "8" : version.split("\\.")[0]);
        Process launcher = builder.start();
        String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // the fake JVM exits at once; only a launcher stuck on something would take seconds
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), output);
        assertEquals(0, launcher.exitValue(), output);
        List<String> args = output.lines().toList();
        assertTrue(args.contains("-javaagent:" + agents.resolve("opentelemetry-javaagent.jar")), output);
        assertEquals(nativeAccess, args.contains("--enable-native-access=ALL-UNNAMED"), output);
        assertEquals(jitDirectives, args.stream().anyMatch(a -> a.startsWith("-XX:CompilerDirectivesFile=")), output);
        assertFalse(args.stream().anyMatch(a -> a.contains("pyroscope.jar")), "one -javaagent: " + output);
    }
}
