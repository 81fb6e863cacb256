package app.parley.channel.messenger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake of Meta's Graph API for tests: a real HTTP server that checks each request as Meta's documentation says
 * (the API version in the path, a page access token in {@code Authorization: Bearer} or {@code access_token},
 * the Send API's JSON: {@code recipient.id}, {@code messaging_type} and the tag rules, text ≤ 2,000 characters, a
 * message or a sender action, never both) and answers with Meta's real shapes: {@code {"recipient_id","message_id"}}
 * and {@code {"error":{"message","type","code","error_subcode","fbtrace_id"}}} (docs: Send API reference, Messenger
 * error codes, Graph API error handling). It also serves "CDN" files for attachments and profile pictures.
 *
 * <p>What a request got wrong is answered as Meta would (a 400 with an error) and recorded in {@link #violations()}:
 * tests assert that list stays empty, so Parley's requests are checked, not only its reactions.
 */
public final class FakeGraph implements AutoCloseable {
    public static final String VERSION = "v19.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private static final Set<String> TAGS = Set.of("HUMAN_AGENT", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE");

    /** One request as it came. */
    public record Request(String method, String path, String query, String token, JsonNode body) {}

    private final HttpServer server;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();   // token -> page id
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final Map<String, String> pageNames = new ConcurrentHashMap<>();
    private final Map<String, String[]> profiles = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastCustomerMessage = new ConcurrentHashMap<>();
    private final Deque<ObjectNode> scriptedErrors = new ArrayDeque<>();
    private final Deque<String> nextMids = new ArrayDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong mids = new AtomicLong();

    public FakeGraph() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String cdn(String name) {
        return url() + "/cdn/" + name;
    }

    /**
     * The PNG the "CDN" serves at {@code /cdn/<name>}: a person's or a page's picture with initials, else a photo of
     * a teapot, so screenshots look like a shop's day.
     */
    public byte[] file(String name) {
        return files.computeIfAbsent(name, n -> {
            if (n.startsWith("profile-")) {
                String[] p = profiles.getOrDefault(n.substring(8, n.length() - 4), new String[] {"?", "?"});
                return FakeImages.initials("" + p[0].charAt(0) + p[1].charAt(0), new java.awt.Color(0x7048e8));
            }
            if (n.startsWith("page-")) return FakeImages.initials("TC", new java.awt.Color(0x0866ff));
            return FakeImages.teapot();
        });
    }

    public FakeGraph page(String pageId, String name, String token) {
        pageNames.put(pageId, name);
        tokens.put(token, pageId);
        return this;
    }

    /** The token stops working as Meta's do when they expire (error 190, subcode 463). */
    public void expire(String token) {
        expired.add(token);
    }

    public FakeGraph person(String psid, String first, String last) {
        profiles.put(psid, new String[] {first, last});
        return this;
    }

    /** When the person last wrote to the page: the Send API's window rules are checked against it. */
    public void customerWrote(String psid, Instant at) {
        lastCustomerMessage.put(psid, at);
    }

    /** The next Send API calls fail with these errors (in Meta's shape), one each. */
    public synchronized void failNext(int httpStatus, int code, Integer subcode, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("status", httpStatus);
        ObjectNode error = e.putObject("error");
        error.put("message", message);
        error.put("type", code == 190 ? "OAuthException" : "OAuthException");
        error.put("code", code);
        if (subcode != null) error.put("error_subcode", subcode);
        error.put("fbtrace_id", "AbCdEfGh123");
        scriptedErrors.add(e);
    }

    /** The message_id the next successful send answers with. */
    public synchronized void nextMessageId(String mid) {
        nextMids.add(mid);
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> sends() {
        return requests().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/messages")).toList();
    }

    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            if (path.startsWith("/cdn/")) {
                byte[] png = file(path.substring(5));
                ex.getResponseHeaders().add("Content-Type", "image/png");
                ex.sendResponseHeaders(200, png.length);
                ex.getResponseBody().write(png);
                return;
            }
            byte[] raw = ex.getRequestBody().readAllBytes();
            Map<String, String> params = params(query);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : params.get("access_token");
            JsonNode body = null;
            String requestType = ex.getRequestHeaders().getFirst("Content-Type");
            if (raw.length > 0 && requestType != null && requestType.startsWith("multipart/form-data")) {
                body = multipart(requestType, raw);
            } else if (raw.length > 0) {
                try {
                    body = JSON.readTree(raw);
                } catch (IOException e) {
                    body = null;
                }
            }
            requests.add(new Request(ex.getRequestMethod(), path, query, token, body));
            if (!path.startsWith("/" + VERSION + "/")) {
                error(ex, 400, violation("path without the API version " + VERSION + ": " + path), "OAuthException", 2500, null);
                return;
            }
            if (token == null) {
                error(ex, 400, violation("no access token on " + path), "OAuthException", 2500, null);
                return;
            }
            if (expired.contains(token)) {
                error(ex, 400, "Error validating access token: Session has expired on Friday, 20-Nov-26 14:00:00 PST.", "OAuthException", 190, 463);
                return;
            }
            String pageId = tokens.get(token);
            if (pageId == null) {
                error(ex, 400, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190, null);
                return;
            }
            String rest = path.substring(VERSION.length() + 2);
            switch (ex.getRequestMethod()) {
                case "GET" -> get(ex, pageId, rest, params);
                case "POST" -> {
                    if (rest.equals("me/messages") || rest.equals(pageId + "/messages")) send(ex, pageId, ex.getRequestHeaders().getFirst("Content-Type"), body);
                    else error(ex, 400, violation("POST to an unknown path " + path), "GraphMethodException", 100, null);
                }
                default -> error(ex, 400, violation("method " + ex.getRequestMethod()), "GraphMethodException", 100, null);
            }
        }
    }

    private void get(HttpExchange ex, String pageId, String rest, Map<String, String> params) throws IOException {
        if (rest.equals("me")) {
            ObjectNode me = JSON.createObjectNode();
            me.put("id", pageId);
            me.put("name", pageNames.get(pageId));
            ObjectNode data = me.putObject("picture").putObject("data");
            data.put("height", 50).put("is_silhouette", false).put("url", cdn("page-" + pageId + ".png")).put("width", 50);
            ok(ex, me);
            return;
        }
        String[] profile = profiles.get(rest);
        if (profile == null) {
            error(ex, 400, "(#100) No matching user found", "OAuthException", 100, 2018001);
            return;
        }
        String fields = params.getOrDefault("fields", "");
        if (!fields.contains("first_name")) violation("profile asked without fields=first_name…: " + fields);
        ObjectNode p = JSON.createObjectNode();
        p.put("first_name", profile[0]).put("last_name", profile[1]).put("profile_pic", cdn("profile-" + rest + ".png")).put("id", rest);
        ok(ex, p);
    }

    /** A file an upload-from-file Send API call carried in {@code filedata}. */
    public record Upload(String psid, String attachmentType, String filename, String contentType, byte[] content) {}

    private final List<Upload> uploads = Collections.synchronizedList(new ArrayList<>());

    public List<Upload> uploads() {
        synchronized (uploads) {
            return List.copyOf(uploads);
        }
    }

    /**
     * Meta's "upload from file" (Send API reference, Attachment Upload): multipart/form-data whose {@code recipient},
     * {@code message} (and {@code messaging_type}, {@code tag}) fields are JSON or plain strings and whose file is the
     * {@code filedata} part with a file name and a Content-Type. Read into the same JSON shape as a JSON call, so the
     * same rules apply; the file is kept in {@link #uploads()}.
     */
    private JsonNode multipart(String contentType, byte[] raw) {
        try {
            var parts = new jakarta.mail.internet.MimeMultipart(new jakarta.mail.util.ByteArrayDataSource(raw, contentType));
            ObjectNode body = JSON.createObjectNode();
            jakarta.mail.BodyPart file = null;
            for (int i = 0; i < parts.getCount(); i++) {
                var part = parts.getBodyPart(i);
                String disposition = part.getHeader("Content-Disposition")[0];
                String name = new jakarta.mail.internet.ContentDisposition(disposition).getParameter("name");
                if ("filedata".equals(name)) {
                    file = part;
                    continue;
                }
                String value = new String(part.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                body.set(name, value.startsWith("{") ? JSON.readTree(value) : JSON.getNodeFactory().textNode(value));
            }
            body.put("_multipart", true);
            if (file == null) {
                body.put("_violation", "(#100) multipart Send API call without filedata");
                return body;
            }
            String type = file.getContentType();
            if (file.getFileName() == null || type == null || type.isBlank()) {
                body.put("_violation", "(#100) filedata needs a file name and a Content-Type");
            }
            JsonNode attachment = body.path("message").path("attachment");
            if (attachment.path("payload").has("url")) body.put("_violation", "(#100) filedata and payload.url together");
            uploads.add(new Upload(body.path("recipient").path("id").asText(), attachment.path("type").asText(),
                    file.getFileName(), type, file.getInputStream().readAllBytes()));
            return body;
        } catch (jakarta.mail.MessagingException | IOException e) {
            return null;
        }
    }

    private void send(HttpExchange ex, String pageId, String contentType, JsonNode body) throws IOException {
        if (body != null && body.has("_multipart")) {
            if (body.has("_violation")) {
                error(ex, 400, violation(body.get("_violation").asText()), "OAuthException", 100, null);
                return;
            }
            JsonNode attachment = body.path("message").path("attachment");
            if (!Set.of("image", "video", "audio", "file").contains(attachment.path("type").asText())) {
                error(ex, 400, violation("(#100) attachment type is image, video, audio or file: " + attachment), "OAuthException", 100, null);
                return;
            }
            contentType = "application/json";
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            error(ex, 400, violation("Send API without Content-Type: application/json"), "OAuthException", 100, null);
            return;
        }
        if (body == null || !body.isObject()) {
            error(ex, 400, violation("Send API body is not a JSON object"), "OAuthException", 100, null);
            return;
        }
        String psid = body.path("recipient").path("id").asText("");
        if (psid.isEmpty()) {
            error(ex, 400, violation("(#100) param recipient must be non-empty."), "OAuthException", 100, null);
            return;
        }
        boolean hasMessage = body.has("message");
        boolean hasAction = body.has("sender_action");
        if (hasMessage == hasAction) {
            error(ex, 400, violation("(#100) Exactly one of message and sender_action"), "OAuthException", 100, null);
            return;
        }
        if (hasAction) {
            String a = body.get("sender_action").asText();
            if (!Set.of("typing_on", "typing_off", "mark_seen").contains(a) || body.has("messaging_type")) {
                error(ex, 400, violation("bad sender_action request: " + body), "OAuthException", 100, null);
                return;
            }
            ok(ex, JSON.createObjectNode().put("recipient_id", psid));
            return;
        }
        String type = body.path("messaging_type").asText("");
        if (!Set.of("RESPONSE", "UPDATE", "MESSAGE_TAG").contains(type)) {
            error(ex, 400, violation("(#100) messaging_type is required: " + type), "OAuthException", 100, null);
            return;
        }
        if (type.equals("MESSAGE_TAG") != body.has("tag") || (body.has("tag") && !TAGS.contains(body.get("tag").asText()))) {
            error(ex, 400, violation("(#100) tag goes with MESSAGE_TAG and only then: " + body), "OAuthException", 100, null);
            return;
        }
        JsonNode message = body.get("message");
        if (message.has("text") == message.has("attachment")) {
            error(ex, 400, violation("(#100) message has text or attachment, one of them"), "OAuthException", 100, null);
            return;
        }
        if (message.has("text") && message.get("text").asText().codePointCount(0, message.get("text").asText().length()) > 2000) {
            error(ex, 400, violation("(#100) Length of param message[text] must be less than or equal to 2000"), "OAuthException", 100, null);
            return;
        }
        ObjectNode scripted;
        synchronized (this) {
            scripted = scriptedErrors.poll();
        }
        if (scripted != null) {
            JsonNode e = scripted.get("error");
            error(ex, scripted.get("status").asInt(), e.get("message").asText(), e.get("type").asText(), e.get("code").asInt(),
                    e.has("error_subcode") ? e.get("error_subcode").asInt() : null);
            return;
        }
        Instant last = lastCustomerMessage.get(psid);
        Instant at = Instant.now();
        if (last != null) {
            Duration since = Duration.between(last, at);
            boolean allowed = type.equals("RESPONSE") ? since.compareTo(Duration.ofHours(24)) <= 0
                    : !type.equals("MESSAGE_TAG") || !body.get("tag").asText().equals("HUMAN_AGENT") || since.compareTo(Duration.ofDays(7)) <= 0;
            if (!allowed) {
                error(ex, 400, "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview",
                        "OAuthException", 10, 2018278);
                return;
            }
            if (type.equals("MESSAGE_TAG") && since.compareTo(Duration.ofHours(24)) <= 0) {
                violation("MESSAGE_TAG used inside the 24 h window, where RESPONSE is the rule");
            }
        }
        String mid;
        synchronized (this) {
            mid = nextMids.poll();
        }
        if (mid == null) mid = "m_fake" + mids.incrementAndGet();
        ok(ex, JSON.createObjectNode().put("recipient_id", psid).put("message_id", mid));
    }

    private String violation(String what) {
        violations.add(what);
        return what;
    }

    private static void ok(HttpExchange ex, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
    }

    private static void error(HttpExchange ex, int status, String message, String type, int code, Integer subcode) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode e = body.putObject("error");
        e.put("message", message).put("type", type).put("code", code);
        if (subcode != null) e.put("error_subcode", subcode);
        e.put("fbtrace_id", "AbCdEfGh123");
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null) return out;
        for (String pair : query.split("&")) {
            int i = pair.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? pair : pair.substring(0, i), StandardCharsets.UTF_8);
            out.put(k, i < 0 ? "" : URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
