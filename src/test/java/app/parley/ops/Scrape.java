package app.parley.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads Prometheus text: the value of the series of a name whose labels include the given ones. */
record Scrape(String text) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        return send("GET", url, headers);
    }

    static HttpResponse<String> send(String method, String url, Map<String, String> headers) throws Exception {
        return send(method, url, headers, null);
    }

    static HttpResponse<String> send(String method, String url, Map<String, String> headers, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    OptionalDouble value(String name, String... labels) {
        return lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }

    double sum(String name) {
        return lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    List<String> series(String name) {
        return lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).toList();
    }

    private java.util.stream.Stream<String> lines() {
        return text.lines().filter(l -> !l.startsWith("#"));
    }
}
