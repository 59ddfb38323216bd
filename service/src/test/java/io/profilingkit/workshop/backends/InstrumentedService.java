package io.profilingkit.workshop.backends;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The built service started in a child JVM through {@code run-instrumented.sh}, the same script
 * the container runs, with the real agents (or, with {@link #startApp}, any other JVM application
 * through the same launcher, as a user starts theirs). Output goes to {@code target/it-logs/<name>.log}.
 */
public final class InstrumentedService implements AutoCloseable {

    /**
     * How long a start may take before it counts as failed: a service that never answers (a broken
     * agent flag, a crash) never gets there; a working one answers in 1.5 to 6 s quiet, and a loaded
     * 2-core machine can make that several times longer.
     */
    public static final Duration START_DEADLINE = Duration.ofSeconds(90);
    public static final Path SERVICE_DIR = Path.of(System.getProperty("service.basedir", ".")).toAbsolutePath();

    private final Process process;
    private final int port;
    private final String healthPath;
    private final Path log;
    private final long startedNanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Duration startup;

    private InstrumentedService(Process process, int port, String healthPath, Path log, long startedNanos) {
        this.process = process;
        this.port = port;
        this.healthPath = healthPath;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the service and waits until {@code /health} answers.
     *
     * @param env settings on top of the test defaults (short upload and batch intervals, no incident)
     */
    public static InstrumentedService start(String name, Map<String, String> env) throws IOException {
        return start(name, port -> List.of("-micronaut.server.port=" + port), env, testDefaults(),
                Duration.ofMillis(200), "/health", List.of("bash"));
    }

    /**
     * Starts another application through the launcher, {@code run-instrumented.sh <launcherArgs(port)>},
     * with the test defaults and {@code env} on top, and waits until {@code healthPath} answers 200.
     *
     * @param shell the shell command that runs the launcher, e.g. {@code bash} or {@code bash -x}
     */
    public static InstrumentedService startApp(String name, IntFunction<List<String>> launcherArgs,
                                               Map<String, String> env, String healthPath, List<String> shell)
            throws IOException {
        return start(name, launcherArgs, env, testDefaults(), Duration.ofMillis(100), healthPath, shell);
    }

    /**
     * Starts the service with the shipped settings of {@code run-instrumented.sh} (none of the test
     * defaults) and {@code env} on top, and waits until {@code /health} answers, asking every 10 ms
     * so that {@link #startup()} is precise: the overhead benchmark's start.
     */
    public static InstrumentedService startShipped(String name, Map<String, String> env) throws IOException {
        return start(name, port -> List.of("-micronaut.server.port=" + port), env, Map.of(), Duration.ofMillis(10),
                "/health", List.of("bash"));
    }

    private static InstrumentedService start(String name, IntFunction<List<String>> launcherArgs,
                                             Map<String, String> env, Map<String, String> defaults, Duration poll,
                                             String healthPath, List<String> shell) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(shell);
        command.add(SERVICE_DIR.resolve("run-instrumented.sh").toString());
        command.addAll(launcherArgs.apply(port));
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", ContainerJdk.home(SERVICE_DIR).toString());
        environment.putAll(defaults);
        environment.putAll(env);
        // Another build of the agents for a comparison run (e.g. upstream's span-profile extension):
        // IT_AGENTS_DIR replaces target/agents, IT_JAVA_OPTS goes after the test's JVM options.
        String agentsDir = System.getenv("IT_AGENTS_DIR");
        if (agentsDir != null && !agentsDir.isBlank()) {
            environment.put("AGENTS_DIR", agentsDir);
        }
        String javaOpts = System.getenv("IT_JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            if (System.getenv("JAVA_OPTS") != null) {
                environment.putIfAbsent("JAVA_OPTS", System.getenv("JAVA_OPTS"));
            }
            environment.merge("JAVA_OPTS", javaOpts, (before, extra) -> before + " " + extra);
        }
        return launch(name, port, command, environment, Set.of(), poll, healthPath);
    }

    /**
     * Starts {@code java <javaArgs(port)>} of the container image's Java, without the launcher, with
     * exactly the agent settings of {@code env}: the test JVM's own {@code OTEL_*}, {@code PYROSCOPE_*}
     * and {@code JAVA_TOOL_OPTIONS} are not passed on. For what a platform injects by itself (the
     * OpenTelemetry Operator). Waits until {@code healthPath} answers 200.
     */
    public static InstrumentedService startJava(String name, IntFunction<List<String>> javaArgs, Map<String, String> env,
                                                String healthPath) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ContainerJdk.home(SERVICE_DIR).resolve("bin/java").toString()));
        command.addAll(javaArgs.apply(port));
        return launch(name, port, command, env, Set.of("OTEL_", "PYROSCOPE_", "JAVA_TOOL_OPTIONS"), Duration.ofMillis(200), healthPath);
    }

    /** Runs {@code command} with {@code env} on top of this JVM's environment less the {@code dropped} prefixes, logging to target/it-logs. */
    private static InstrumentedService launch(String name, int port, List<String> command, Map<String, String> env,
                                              Set<String> dropped, Duration poll, String healthPath) throws IOException {
        Path log = SERVICE_DIR.resolve("target/it-logs/" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> dropped.stream().anyMatch(key::startsWith));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        InstrumentedService service = new InstrumentedService(builder.start(), port, healthPath, log, started);
        try {
            await().atMost(START_DEADLINE).pollDelay(Duration.ZERO).pollInterval(poll).until(service::healthy);
            service.startup = Duration.ofNanos(System.nanoTime() - started);
        } catch (RuntimeException e) {
            service.close();
            throw new IllegalStateException("the service did not become healthy; see " + log, e);
        }
        return service;
    }

    /** Short intervals, so that a test sees data in seconds: set only here, never in the shipped defaults. */
    private static Map<String, String> testDefaults() {
        Map<String, String> env = new HashMap<>();
        env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        env.put("PYROSCOPE_UPLOAD_INTERVAL", "2s");
        env.put("WORKSHOP_INCIDENT_ENABLED", "false");
        env.put("JAVA_OPTS", "-Xmx256m");
        return env;
    }

    /** Trace and profile endpoints where nothing listens: the agents run, their exports fail. */
    public static Map<String, String> backendsNowhere() throws IOException {
        return Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + freePort(),
                "PYROSCOPE_SERVER_ADDRESS", "http://127.0.0.1:" + freePort());
    }

    /** A port nothing listens on (bound, then released). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public boolean healthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return get(healthPath, Map.of()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Runs {@code jcmd <pid> <command>} with the JDK the service runs on and returns what it printed.
     *
     * @throws IllegalStateException if that Java has no {@code jcmd} (a JRE) or the command fails
     */
    public String jcmd(String command) throws IOException {
        Path jcmd = ContainerJdk.home(SERVICE_DIR).resolve("bin/jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IllegalStateException(jcmd + " is missing: the service's Java must be a JDK (see IT_JAVA_HOME)");
        }
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!run.waitFor(30, TimeUnit.SECONDS) || run.exitValue() != 0) {
                run.destroyForcibly();
                throw new IllegalStateException("jcmd " + command + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }

    /** {@link System#nanoTime()} just before the process was started. */
    public long startedNanos() {
        return startedNanos;
    }

    /** From just before the process started to the first 200 of {@code /health} (within the poll interval). */
    public Duration startup() {
        return startup;
    }

    public Path log() {
        return log;
    }

    /**
     * Sends SIGTERM (what {@code docker stop} and Kubernetes send; Ctrl-C's SIGINT runs the same
     * shutdown hooks) and waits for the exit.
     *
     * @return the exit code, or empty if the process still ran after {@code within}
     */
    public OptionalInt terminate(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue())
                : OptionalInt.empty();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
