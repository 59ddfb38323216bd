package io.profilingkit.workshop.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.profilingkit.workshop.backends.InstrumentedService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the service (SIGTERM: {@code docker stop}, {@code make down}, {@code make upgrade}; Ctrl-C
 * runs the same shutdown) lets the requests in flight finish and refuses new connections, as
 * docs/service.md says ({@code micronaut.lifecycle.graceful-shutdown} in application.yml). Run through
 * the launcher with its agents, as {@code make run} does.
 */
class GracefulShutdownIT {

    /** application.yml's grace period: a stop takes at most this long, plus the JVM's own exit. */
    static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void aRequestInFlightIsAnsweredAndNewConnectionsAreRefused() throws Exception {
        try (InstrumentedService service = InstrumentedService.start("graceful-shutdown", InstrumentedService.backendsNowhere())) {
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> get(service, "/api/slow_io?ms=5000"));
            // In flight means a thread of the service is inside the wait: seen in a thread dump, not guessed by a sleep.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> service.jcmd("Thread.print").contains("SlowIoService.simulateBlockingIo"));

            long stopAsked = System.nanoTime();
            CompletableFuture<OptionalInt> exit = CompletableFuture.supplyAsync(() -> terminate(service));
            // Without the graceful shutdown the JVM exits at once and the request gets no answer. The
            // request is the longest one allowed (5 s), so a busy machine has that long to close the
            // listener before the request ends; a service that keeps accepting while it drains never does.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> refused(service));
            assertFalse(slow.isDone(), "new connections are refused while the request in flight still runs");

            HttpResponse<String> answer = slow.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"waitMs\":5000"), answer.body());

            OptionalInt code = exit.get(60, TimeUnit.SECONDS);
            long stoppedMillis = (System.nanoTime() - stopAsked) / 1_000_000;
            System.out.printf("[GracefulShutdownIT] the 5 s request was answered during the stop; the JVM exited"
                    + " %d ms after SIGTERM with %s%n", stoppedMillis, code);
            // 143 = 128 + SIGTERM: the JVM ran its shutdown and exited as asked (a hang would leave it empty).
            assertEquals(OptionalInt.of(143), code, "exit code after SIGTERM; see " + service.log());
        }
    }

    private static HttpResponse<String> get(InstrumentedService service, String path) {
        try {
            return service.get(path, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new connection (not one the test's HTTP client keeps open) is refused. */
    private static boolean refused(InstrumentedService service) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", service.port()), 2_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static OptionalInt terminate(InstrumentedService service) {
        try {
            // the grace period plus a margin for the agents' own shutdown (spans and profiles flushed)
            return service.terminate(GRACE.plusSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }
}
