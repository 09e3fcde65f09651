package dev.ringmaster.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

/** The catalog's REST API over HTTP: JSON in, JSON out, problems turned into {@link ApiException}. */
public final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String server;
    private final String token;
    private final HttpClient http;

    public Api(String server, String token) {
        this.server = server.replaceAll("/+$", "");
        this.token = token;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String server() {
        return server;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public void delete(String path) {
        send("DELETE", path, null);
    }

    /** The lines of a server-sent event stream, as they arrive. */
    public Stream<String> stream(String path) {
        HttpRequest request =
                base(path).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() >= 300) {
                String body = String.join("\n", r.body().toList());
                throw ApiException.fromResponse(r.statusCode(), parse(body));
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.ERROR, "interrupted");
        }
    }

    /** A path segment, encoded. */
    public static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder b = base(path).timeout(Duration.ofSeconds(30));
        try {
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else if (method.equals("POST")) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String text;
            try (InputStream in = r.body()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (r.statusCode() >= 300) {
                throw ApiException.fromResponse(r.statusCode(), parse(text));
            }
            return text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ApiException(ExitCodes.ERROR, "the server's answer is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.ERROR, "interrupted");
        }
    }

    private HttpRequest.Builder base(String path) {
        URI uri;
        try {
            uri = URI.create(server + "/api/v1" + path);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ExitCodes.USAGE, "not a valid server URL: " + server);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Accept", "application/json")
                .header("User-Agent", "ringctl/" + Ringctl.VERSION);
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private ApiException unreachable(IOException e) {
        String why = e instanceof ConnectException
                ? "connection refused"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new ApiException(
                ExitCodes.ERROR,
                "cannot reach the catalog at " + server + " (" + why + "); set --server or RINGCTL_SERVER");
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
