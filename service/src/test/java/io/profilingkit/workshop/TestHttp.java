package io.profilingkit.workshop;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A plain JDK HTTP client for tests: sends any method and raw path, never throws on 4xx/5xx,
 * and parses the JSON body, so a test sees exactly what a user's client would. A bean of the test
 * context: {@code @Inject TestHttp http} in a {@code @MicronautTest}.
 */
@Singleton
public final class TestHttp {

    private final URI base;
    private final JsonMapper json;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestHttp(EmbeddedServer server, JsonMapper json) {
        this.base = server.getURI();
        this.json = json;
    }

    public Response get(String pathAndQuery) {
        return send("GET", pathAndQuery, HttpRequest.BodyPublishers.noBody());
    }

    public Response send(String method, String pathAndQuery, HttpRequest.BodyPublisher body) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).method(method, body));
    }

    /** A GET with the given header, e.g. a scraper's {@code Accept}. */
    public Response get(String pathAndQuery, String header, String value) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).header(header, value).GET());
    }

    private Response send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""), parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> parse(String body) {
        try {
            return json.readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Status, raw body, content type, and the body parsed as a JSON object (empty if it is not one). */
    public record Response(int status, String raw, String contentType, Map<String, Object> json) {

        public Object field(String name) {
            return json.get(name);
        }

        public long number(String name) {
            return ((Number) json.get(name)).longValue();
        }
    }
}
