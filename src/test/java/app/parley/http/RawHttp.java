package app.parley.http;

import app.parley.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** HTTP without the test client's session and CSRF header: what a stranger, a script or an integration sends. */
final class RawHttp {
    record Response(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("error").path("code").asText();
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RawHttp() {}

    static Response send(String baseUrl, String method, String path, Map<String, String> headers, String body) {
        return send(HTTP, baseUrl, method, path, headers, body);
    }

    static Response send(HttpClient client, String baseUrl, String method, String path, Map<String, String> headers,
                         String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String text = r.body();
            JsonNode json;
            try {
                json = text == null || text.isBlank() ? Json.object() : Json.MAPPER.readTree(text);
            } catch (IOException notJson) {
                json = Json.object().put("_text", text);
            }
            return new Response(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Response bearer(String baseUrl, String token, String method, String path, Object body) {
        return send(baseUrl, method, path, body == null ? Map.of("Authorization", "Bearer " + token)
                : Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                body == null ? null : Json.write(body));
    }
}
