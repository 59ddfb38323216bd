package io.profilingkit.workshop.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.backends.ContainerJdk;
import io.profilingkit.workshop.backends.InstrumentedService;
import io.profilingkit.workshop.backends.OtlpTraceReceiver;
import io.profilingkit.workshop.backends.PyroscopeReceiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Backends that demand credentials, as Grafana Cloud does (basic auth with an instance id and a
 * token on both OTLP and Pyroscope) and a multi-tenant self-run cluster does (a tenant header):
 * the receivers answer 401 to anything without them. Started through the launcher with
 * {@code bash -x} (every command the script runs is printed) and a whole java command after
 * {@code --}: without credentials nothing is accepted; with them, traces and profiles arrive; and
 * neither the launcher's output nor the agents' logs hold a credential.
 */
class AuthenticatedBackendsIT {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    final String tracesUser = "123456";
    final String tracesToken = "glc_trace_" + UUID.randomUUID().toString().replace("-", "");
    final String profilesUser = "654321";
    final String profilesPassword = "glc_prof_" + UUID.randomUUID().toString().replace("-", "");
    final String tenant = "team-checkout";
    final String tracesBasic = basic(tracesUser, tracesToken);
    final String profilesBasic = basic(profilesUser, profilesPassword);

    @Test
    void credentialsReachTheBackendsWhichRefuseAnythingWithoutAndNoLogShowsThem() throws Exception {
        List<Path> logs = new ArrayList<>();
        // Without credentials: refused, nothing accepted.
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver(); PyroscopeReceiver profiles = new PyroscopeReceiver()) {
            demand(traces, profiles);
            try (InstrumentedService app = start("auth-without", traces, profiles, Map.of())) {
                logs.add(app.log());
                work(app);
                await().atMost(DEADLINE).until(() -> traces.refused() > 0 && profiles.refused() > 0);
                assertEquals(0, traces.requests(), "spans accepted without credentials");
                assertEquals(List.of(), profiles.uploads(), "profiles accepted without credentials");
                System.out.printf("[AuthenticatedBackendsIT] without credentials: %d trace exports and %d profile"
                        + " uploads refused (401), none accepted%n", traces.refused(), profiles.refused());
            }
        }
        // With them: everything arrives, nothing is refused.
        try (OtlpTraceReceiver traces = new OtlpTraceReceiver(); PyroscopeReceiver profiles = new PyroscopeReceiver()) {
            demand(traces, profiles);
            Map<String, String> credentials = Map.of(
                    // Grafana Cloud's form: the space percent-encoded, as the OpenTelemetry spec wants
                    "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=" + tracesBasic.replace(" ", "%20"),
                    "PYROSCOPE_BASIC_AUTH_USER", profilesUser,
                    "PYROSCOPE_BASIC_AUTH_PASSWORD", profilesPassword,
                    "PYROSCOPE_TENANT_ID", tenant);
            try (InstrumentedService app = start("auth-with", traces, profiles, credentials)) {
                logs.add(app.log());
                work(app);
                await().atMost(DEADLINE).until(() -> traces.spans().stream().anyMatch(s -> s.name().equals("GET /collatz"))
                        && profiles.uploads().size() >= 2);
                assertEquals(0, traces.refused(), "trace exports refused with credentials");
                assertEquals(0, profiles.refused(), "profile uploads refused with credentials");
                assertTrue(traces.spans().stream().allMatch(s -> s.resource().get("service.name").equals("auth-demo")));
                assertTrue(profiles.uploads().stream().allMatch(u -> u.appName().equals("auth-demo")));
                System.out.printf("[AuthenticatedBackendsIT] with credentials: %d spans in %d exports and %d profile"
                        + " uploads accepted, none refused%n", traces.spans().size(), traces.requests(), profiles.uploads().size());
            }
        }
        // An address with credentials in it is refused before anything starts, without echoing it.
        Path refusedLog = InstrumentedService.SERVICE_DIR.resolve("target/it-logs/auth-in-address.log");
        ProcessBuilder refused = new ProcessBuilder("bash", "-x",
                InstrumentedService.SERVICE_DIR.resolve("run-instrumented.sh").toString(), "--name", "auth-demo",
                "--main", "x", "--cp", ".").redirectErrorStream(true).redirectOutput(refusedLog.toFile());
        refused.environment().put("PYROSCOPE_SERVER_ADDRESS", "https://" + profilesUser + ":" + profilesPassword
                + "@profiles.example.net");
        Process p = refused.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), "the launcher refuses: " + Files.readString(refusedLog));
        assertTrue(Files.readString(refusedLog).contains("PYROSCOPE_SERVER_ADDRESS has credentials in it"));
        logs.add(refusedLog);

        List<String> secrets = List.of(tracesToken, profilesPassword, tracesBasic, profilesBasic,
                tracesBasic.substring("Basic ".length()), profilesBasic.substring("Basic ".length()));
        long lines = 0;
        for (Path log : logs) {
            String text = Files.readString(log);
            lines += text.lines().count();
            for (String secret : secrets) {
                assertFalse(text.contains(secret), log + " shows a credential");
            }
        }
        String withLog = Files.readString(logs.get(1));
        assertTrue(withLog.contains("credentials: OTLP headers set, Pyroscope basic auth set, tenant set"), withLog);
        assertTrue(withLog.contains("+ exec"), "the launcher ran under bash -x: " + withLog);
        System.out.printf("[AuthenticatedBackendsIT] %d log files, %d lines (launcher under bash -x, agents, app):"
                        + " none holds a token, password or Authorization value; user ids shown: %s, tenant shown: %s%n",
                logs.size(), lines, logs.stream().map(this::read).anyMatch(t -> t.contains(tracesUser) || t.contains(profilesUser)),
                logs.stream().map(this::read).anyMatch(t -> t.contains(tenant)));
    }

    private InstrumentedService start(String name, OtlpTraceReceiver traces, PyroscopeReceiver profiles,
                                      Map<String, String> credentials) throws IOException {
        String java = ContainerJdk.home(InstrumentedService.SERVICE_DIR).resolve("bin/java").toString();
        String classes = InstrumentedService.SERVICE_DIR.resolve("target/test-classes").toString();
        Map<String, String> env = new HashMap<>(credentials);
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        env.put("PYROSCOPE_SERVER_ADDRESS", profiles.address());
        return InstrumentedService.startApp(name, port -> List.of("--name", "auth-demo", "--",
                java, "-cp", classes, "io.profilingkit.otherapp.PlainHttpApp", Integer.toString(port)),
                env, "/health", List.of("bash", "-x"));
    }

    private void demand(OtlpTraceReceiver traces, PyroscopeReceiver profiles) {
        traces.demand(Map.of("Authorization", tracesBasic));
        profiles.demand(Map.of("Authorization", profilesBasic, "X-Scope-OrgID", tenant));
    }

    private static void work(InstrumentedService app) throws IOException {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, app.get("/collatz?n=1000000", Map.of()).statusCode());
        }
    }

    private String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
