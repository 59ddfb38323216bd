package io.profilingkit.workshop.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stack's load generator as docker-compose.yml runs it: its entrypoint script, taken from the file
 * and run here with bash (Compose's {@code $$} as {@code $}, the image's Java and jar as this test's).
 * It sends LOAD_HOURS runs and then stops, so a forgotten stack does not send traffic for ever, and
 * {@code docker stop}'s SIGTERM stops the run in progress at once.
 */
class StackTrafficTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String IMAGE_JAVA = "java -XX:MaxRAMPercentage=50 -cp /app/app.jar";

    private HttpServer service;

    @BeforeEach
    void startAStandInService() throws IOException {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        service.start();
    }

    @AfterEach
    void stop() {
        service.stop(0);
    }

    @Test
    void itSendsLoadHoursRunsAndThenStops() throws Exception {
        Process loadgen = start(2, "1s");
        String output = new String(loadgen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // bounded: two runs of 1 s each and the JVM starts; a loop that never ends never gets here
        assertTrue(loadgen.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, loadgen.exitValue(), output);
        assertTrue(output.contains("loadgen: run 1 of 2") && output.contains("loadgen: run 2 of 2"), output);
        assertEquals(2, output.lines().filter(line -> line.endsWith("passed")).count(), output);
        assertTrue(output.contains("loadgen: 2 hours sent; stopped"), output);
    }

    @Test
    void sigtermStopsTheRunInProgressAtOnce() throws Exception {
        Process loadgen = start(3, "1h");
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> read(loadgen, lines));
        // a JVM start and one second of the run; the generator that never starts never reports
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> snapshot(lines).contains(" 1s/"));

        // SIGTERM to bash, PID 1 in the container (through the handle: Process.destroy also closes the
        // output pipe, and the next write would end the generator with SIGPIPE instead)
        loadgen.toHandle().destroy();
        // Passed on, the generator stops within a second; not passed on, bash waits out the hour.
        assertTrue(loadgen.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not stop the load generator: " + snapshot(lines));
        reading.get(10, TimeUnit.SECONDS);
        assertEquals(143, loadgen.exitValue(), snapshot(lines));
        assertTrue(snapshot(lines).contains("stopped early"), snapshot(lines));
        assertTrue(!snapshot(lines).contains("run 2 of 3"), snapshot(lines));
    }

    private Process start(int hours, String duration) throws IOException {
        Map<String, Object> compose = StackText.yaml(ROOT.resolve("docker-compose.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> loadgen = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("loadgen");
        @SuppressWarnings("unchecked")
        List<String> entrypoint = (List<String>) loadgen.get("entrypoint");
        String script = entrypoint.get(2).replace("$$", "$");
        assertTrue(script.contains(IMAGE_JAVA), "the entrypoint no longer runs '" + IMAGE_JAVA + "': " + script);
        String java = Path.of(System.getProperty("java.home"), "bin", "java") + " -cp " + System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of("bash", "-c", script.replace(IMAGE_JAVA, java), entrypoint.get(3),
                "--url=http://127.0.0.1:" + service.getAddress().getPort(), "--scenario=health", "--duration=" + duration));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LOAD_HOURS", Integer.toString(hours));
        return builder.start();
    }

    private static void read(Process process, List<String> into) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (into) {
                    into.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static String snapshot(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
