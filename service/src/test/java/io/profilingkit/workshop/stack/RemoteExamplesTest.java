package io.profilingkit.workshop.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked examples for remote backends (examples/remote/, docs/own-service.md, "Remote and
 * authenticated backends") are what they claim: the Prometheus one is a valid configuration, the shell ones are
 * valid bash, and the Grafana Cloud one builds exactly the OTLP header that
 * {@code AuthenticatedBackendsIT} proves reaches a backend (Basic, base64 of id:token, the space as %20).
 */
class RemoteExamplesTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void prometheusRemoteWriteExampleIsAValidConfiguration() throws Exception {
        Result r = run(List.of("promtool", "check", "config", "examples/remote/prometheus-remote-write.yml"), Map.of());
        assertEquals(0, r.code(), r.output());
    }

    @Test
    void theShellExamplesAreValidBash() throws Exception {
        for (String f : List.of("grafana-cloud.env", "self-run-cluster.env")) {
            Result r = run(List.of("bash", "-n", "examples/remote/" + f), Map.of());
            assertEquals(0, r.code(), f + ": " + r.output());
        }
    }

    @Test
    void theGrafanaCloudExampleBuildsTheHeadersTheAgentsSend(@TempDir Path home) throws Exception {
        String token = "glc_example_token_0123456789";
        Path tokenFile = home.resolve(".config/grafana-cloud/token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, token);
        Result r = run(List.of("bash", "-c", ". examples/remote/grafana-cloud.env && printf '%s\\n%s\\n%s\\n'"
                + " \"$OTEL_EXPORTER_OTLP_HEADERS\" \"$PYROSCOPE_BASIC_AUTH_USER\" \"$PYROSCOPE_BASIC_AUTH_PASSWORD\""),
                Map.of("HOME", home.toString()));
        assertEquals(0, r.code(), r.output());
        List<String> lines = r.output().lines().toList();
        String basic = Base64.getEncoder().encodeToString(("<otlp instance id>:" + token).getBytes(StandardCharsets.UTF_8));
        assertEquals("Authorization=Basic%20" + basic, lines.get(0));
        assertEquals("<profiles instance id>", lines.get(1));
        assertEquals(token, lines.get(2));
        assertTrue(Files.readString(ROOT.resolve("examples/remote/grafana-cloud.env")).contains("~/.config/grafana-cloud/token"),
                "the token comes from a file");
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> environment = new LinkedHashMap<>(env);
        builder.environment().putAll(environment);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), out);
    }
}
