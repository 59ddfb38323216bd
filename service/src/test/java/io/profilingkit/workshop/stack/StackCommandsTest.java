package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stack command of the Makefile without a Docker engine: one line that says so, a non-zero
 * exit, and no file left behind (the Grafana password file is written only after the engine
 * answered). Each target runs in a copy of the stack's files, once with no {@code docker} on the
 * PATH and once with a {@code docker} that does not answer; {@code DOCKER_HOST} points at a socket
 * that does not exist, so no real engine is ever reached. {@code make check} with nothing
 * listening says once per component that it does not answer, and what to do; {@code make help}
 * into a pipe is plain text in two columns.
 */
class StackCommandsTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final List<String> STACK_TARGETS =
            List.of("up", "down", "clean", "logs", "ps", "traffic", "upgrade", "downgrade", "e2e", "extension-image");
    private static final List<String> COMPONENTS = List.of("service", "grafana", "prometheus", "tempo", "pyroscope");

    /** Not a JUnit TempDir: that warns about every link to a command outside it when it deletes them. */
    private static Path work;
    private static Path repo;
    private static Path withoutDocker;
    private static Path withSilentDocker;

    @BeforeAll
    static void copyTheStackAndMakeTwoPaths() throws IOException {
        work = Files.createTempDirectory("stack-commands");
        repo = Files.createDirectories(work.resolve("repo"));
        for (String file : List.of("Makefile", ".env", "docker-compose.yml")) {
            Files.copy(ROOT.resolve(file), repo.resolve(file));
        }
        Files.createDirectories(repo.resolve("scripts"));
        try (Stream<Path> scripts = Files.list(ROOT.resolve("scripts"))) {
            for (Path script : scripts.toList()) {
                Files.copy(script, repo.resolve("scripts").resolve(script.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        withoutDocker = pathWithout(Set.of("docker", "docker-compose"), work.resolve("bin-without-docker"));
        withSilentDocker = pathWithout(Set.of("docker"), work.resolve("bin-with-silent-docker"));
        // What a docker client prints when no engine is behind it.
        Path docker = withSilentDocker.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\necho 'Cannot connect to the Docker daemon. Is the docker daemon running?' >&2\nexit 1\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void deleteTheCopy() throws IOException {
        try (Stream<Path> all = Files.walk(work)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path); // a link, not what it points to
            }
        }
    }

    static Stream<Arguments> targetsAndDockers() {
        List<Arguments> cases = new ArrayList<>();
        for (String target : STACK_TARGETS) {
            cases.add(Arguments.of(target, "no docker command"));
            cases.add(Arguments.of(target, "a docker that does not answer"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "make {0} with {1}")
    @MethodSource("targetsAndDockers")
    void stackTargetWithoutAnEngineEndsInOneLineAndWritesNothing(String target, String docker) throws IOException {
        Path bin = docker.startsWith("no ") ? withoutDocker : withSilentDocker;
        Set<String> before = files();

        Result result = make(target, Map.of("PATH", bin.toString()));

        assertNotEquals(0, result.exitCode(), "make " + target + " must fail without an engine:\n" + result.output());
        List<String> lines = result.ownLines();
        assertEquals(1, lines.size(), "make " + target + " must say it in one line:\n" + result.output());
        assertTrue(lines.get(0).matches("(stack|e2e|extension-image): .*Docker.*"), lines.get(0));
        if (bin == withoutDocker) {
            assertTrue(lines.get(0).contains("not installed"), lines.get(0));
        }
        assertEquals(before, files(), "make " + target + " left files behind");
    }

    @Test
    void checkWithNothingRunningNamesEachComponentOnceAndMakeUp() throws IOException {
        String nobody = "http://127.0.0.1:" + closedPort();
        Set<String> before = files();

        Result result = make("check", Map.of("SERVICE_URL", nobody, "GRAFANA_URL", nobody, "PROMETHEUS_URL", nobody,
                "TEMPO_URL", nobody, "PYROSCOPE_URL", nobody));

        assertNotEquals(0, result.exitCode(), result.output());
        List<String> down = result.ownLines().stream().filter(line -> line.startsWith("DOWN ")).toList();
        assertEquals(COMPONENTS.size(), down.size(), "one line per component:\n" + result.output());
        for (String component : COMPONENTS) {
            assertTrue(down.stream().anyMatch(line -> line.matches("DOWN +" + component + ": .*'make up'.*")),
                    "no line for " + component + " naming make up:\n" + result.output());
        }
        assertFalse(result.output().contains("FAIL "), "checks of components that do not answer are skipped:\n" + result.output());
        assertEquals(before, files());
    }

    @Test
    void helpIsPlainTextWhenPipedWithOneColumnThatFitsEveryName() {
        Result result = make("help", Map.of());

        assertEquals(0, result.exitCode(), result.output());
        assertFalse(result.output().contains("\u001b"), "colour codes in a pipe:\n" + result.output());
        Set<Integer> descriptionColumns = new TreeSet<>();
        for (String line : result.ownLines()) {
            Matcher m = Pattern.compile("^  ([a-z][a-z0-9-]*)( +)\\S").matcher(line);
            assertTrue(m.find() && m.group(2).length() >= 2, "a name, at least two spaces, a description: '" + line + "'");
            descriptionColumns.add(m.end() - 1);
        }
        assertTrue(result.ownLines().stream().anyMatch(line -> line.startsWith("  bench-quick ")), result.output());
        assertEquals(1, descriptionColumns.size(), "every description starts in the same column:\n" + result.output());
    }

    /**
     * {@code make instrument} passes each value to the launcher as typed, a quote or a space
     * included (pasted into the shell's text, {@code a'b} broke the command); APP_ARGS and APP_CMD
     * are split on spaces. The launcher is a stand-in that prints its arguments one per line.
     */
    @Test
    void instrumentPassesEachValueAsTypedToTheLauncher() throws IOException {
        Path launcher = work.resolve("print-arguments.sh");
        Files.writeString(launcher, "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        String jar = "service/target/workshop-service-1.0.0.jar";

        Result quoted = make(List.of("-s", "-o", jar, "instrument", "LAUNCHER=" + launcher, "SERVICE_NAME=a'b \"c\" d",
                "APP_JAR=my app.jar", "APP_ENV=prod", "APP_ARGS=--port=1 --debug"), Map.of());
        Result command = make(List.of("-s", "-o", jar, "instrument", "LAUNCHER=" + launcher, "SERVICE_NAME=c",
                "APP_CMD=java -Xmx1g -jar a.jar"), Map.of());

        assertEquals(0, quoted.exitCode(), quoted.output());
        assertEquals(List.of("<--name>", "<a'b \"c\" d>", "<--env>", "<prod>", "<--jar>", "<my app.jar>", "<--port=1>", "<--debug>"),
                quoted.ownLines());
        assertEquals(List.of("<--name>", "<c>", "<-->", "<java>", "<-Xmx1g>", "<-jar>", "<a.jar>"), command.ownLines());
    }

    private record Result(int exitCode, String output) {
        /** The lines the scripts printed, without make's own "make: *** [...] Error 1". */
        List<String> ownLines() {
            return output.lines().filter(line -> !line.isBlank() && !line.startsWith("make: ***")).toList();
        }
    }

    private static Result make(String target, Map<String, String> env) {
        return make(List.of(target), env);
    }

    private static Result make(List<String> arguments, Map<String, String> env) {
        String target = String.join(" ", arguments);
        List<String> command = new ArrayList<>(List.of("make", "--no-print-directory"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true);
        // as a user types it, not as a sub-make of `make test` (which would print "make[1]: ***")
        for (String makeVariable : List.of("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")) {
            builder.environment().remove(makeVariable);
        }
        builder.environment().remove("GRAFANA_ADMIN_PASSWORD");
        builder.environment().remove("DOCKER_CONTEXT");
        builder.environment().put("DOCKER_HOST", "unix://" + work.resolve("no-engine.sock"));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("make " + target + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("make is not installed (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running make " + target);
        }
    }

    /** Every file under the copy, so that a file written by a command shows. */
    private static Set<String> files() throws IOException {
        try (Stream<Path> all = Files.walk(repo)) {
            return all.map(p -> repo.relativize(p).toString()).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    /** A directory of links to every command on this PATH but the named ones. */
    private static Path pathWithout(Set<String> left, Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path)) {
                continue;
            }
            try (Stream<Path> commands = Files.list(path)) {
                for (Path command : commands.toList()) {
                    Path link = bin.resolve(command.getFileName().toString());
                    if (!left.contains(command.getFileName().toString()) && Files.isExecutable(command)
                            && !Files.isDirectory(command) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, command.toAbsolutePath());
                    }
                }
            }
        }
        return bin;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
