package app.parley.channel.messenger;

import app.parley.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Meta's Graph API as Parley uses it: the page behind a token ({@code /me}), a customer's profile, the Send API,
 * and downloads from Meta's CDN. The page token goes in the Authorization header, never in a URL that could be
 * logged. {@code PARLEY_GRAPH_API_URL} points it at another base (the tests' fake Graph server).
 */
public final class GraphApi {
    /** The Graph API version Parley is written against (Meta keeps each version two years). */
    public static final String VERSION = "v19.0";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_DOWNLOAD = 25 * 1024 * 1024;

    /** What Graph answered: a body, an error in Meta's shape, or nothing (a network failure). */
    public sealed interface Answer {
        record Ok(JsonNode body) implements Answer {}

        record Failed(GraphError error) implements Answer {}

        record Unreachable(String why) implements Answer {}
    }

    /** A downloaded file. */
    public record Download(byte[] content, String contentType) {}

    private final String base;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public GraphApi(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The page a page access token belongs to: id, name, picture. */
    public Answer me(String token) {
        return get("/me?fields=id,name,picture", token);
    }

    /** A customer's public profile as the page sees it (Messenger Platform User Profile API). */
    public Answer profile(String psid, String token) {
        return get("/" + URLEncoder.encode(psid, StandardCharsets.UTF_8) + "?fields=first_name,last_name,profile_pic", token);
    }

    /** The Send API: a message or a sender action, in Meta's JSON shape. */
    public Answer send(String token, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + VERSION + "/me/messages"))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        return call(request);
    }

    /**
     * The Send API with a file uploaded in the request (Meta's "upload from file": multipart/form-data with the
     * {@code recipient}, {@code messaging_type}, {@code tag} and {@code message} fields as JSON strings and the bytes
     * in {@code filedata}). Parley's files are not on a public URL, so they are uploaded, not linked.
     */
    public Answer sendFile(String token, JsonNode fields, String filename, String contentType, byte[] content) {
        String boundary = "parley-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(content.length + 1024);
        var names = fields.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode v = fields.get(name);
            String text = v.isTextual() ? v.asText() : Json.write(v);
            write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + text + "\r\n");
        }
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"filedata\"; filename=\""
                + filename.replaceAll("[\"\\\\\r\n]", "_") + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        out.writeBytes(content);
        write(out, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + VERSION + "/me/messages"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
                .build();
        return call(request);
    }

    private static void write(java.io.ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A file from Meta's CDN (an attachment, a profile picture); null when it cannot be had. */
    public Download download(String url) throws IOException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) throw new IOException("Meta's CDN answered " + r.statusCode());
            if (r.body().length > MAX_DOWNLOAD) throw new IOException("The file is larger than 25 MB");
            return new Download(r.body(), r.headers().firstValue("Content-Type").orElse("application/octet-stream"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("Not a URL Parley can fetch", e);
        }
    }

    private Answer get(String pathAndQuery, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + VERSION + pathAndQuery))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return call(request);
    }

    private Answer call(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode body = parse(r.body());
            if (r.statusCode() / 100 == 2 && body != null && !body.has("error")) return new Answer.Ok(body);
            return new Answer.Failed(GraphError.of(r.statusCode(), body));
        } catch (IOException e) {
            return new Answer.Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.Unreachable("Parley stopped during the call");
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
