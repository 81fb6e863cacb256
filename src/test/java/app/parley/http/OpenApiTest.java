package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /openapi.json is an OpenAPI 3.1 document that matches the server: every route of Routes.java is documented,
 * every documented operation exists, request bodies refuse unknown fields, and the documented fields of the main
 * resources are exactly those Parley answers.
 */
class OpenApiTest {
    private static final Path ROUTES_SOURCE = Path.of("src/main/java/app/parley/http/Routes.java");
    private static final Pattern ROUTE = Pattern.compile("r\\.(get|post|patch|put|delete)\\(\"([^\"]+)\"");
    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete", "head", "options", "trace");
    private static final String NO_SUCH_ROUTE = "/openapi-test/no-such-route";

    static TestParley app;
    static JsonNode doc;
    static final HttpClient http = HttpClient.newHttpClient(); // never follows redirects

    @BeforeAll
    static void start() throws Exception {
        app = TestParley.start();
        HttpResponse<String> r = send("GET", "/openapi.json");
        assertThat(r.statusCode()).as("GET /openapi.json").isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        doc = Json.MAPPER.readTree(r.body());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void isAnOpenApi31Document() {
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
        assertThat(doc.path("paths").size()).isPositive();
        for (String name : List.of("Agent", "Conversation", "Message", "Visitor", "Tag", "Group", "Error", "Tabs")) {
            assertThat(doc.at("/components/schemas/" + name).isObject()).as("schema " + name).isTrue();
        }
    }

    @Test
    void everyRouteInRoutesJavaIsDocumentedAndNothingElse() throws IOException {
        Set<String> registered = new TreeSet<>();
        Matcher m = ROUTE.matcher(Files.readString(ROUTES_SOURCE));
        while (m.find()) registered.add(m.group(1).toUpperCase() + " " + m.group(2));
        // Features register their routes in their own classes beside Routes.java (VisitorRoutes, …).
        try (var others = Files.list(ROUTES_SOURCE.getParent())) {
            for (Path source : others.filter(f -> f.getFileName().toString().matches("[A-Z]\\w+Routes\\.java")).toList()) {
                Matcher o = ROUTE.matcher(Files.readString(source));
                while (o.find()) registered.add(o.group(1).toUpperCase() + " " + o.group(2));
            }
        }
        assertThat(registered).as("routes found in " + ROUTES_SOURCE).hasSizeGreaterThan(30);

        Set<String> documented = new TreeSet<>(operations());
        assertThat(documented).as("documented in openapi.json").containsAll(registered);
        assertThat(registered).as("registered in Routes.java").containsAll(documented);
    }

    @Test
    void everyDocumentedOperationExistsOnTheServer() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String operation : operations()) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[^}/]+}", "1");
            // What Parley answers for a path that is no route at all, with this method and this path in it.
            HttpResponse<String> none = send(method, NO_SUCH_ROUTE);
            assertThat(none.statusCode()).isEqualTo(404);
            String noRouteMessage = error(none).path("message").asText().replace(NO_SUCH_ROUTE, path);

            HttpResponse<String> r = send(method, path);
            JsonNode error = error(r);
            boolean routeMissing = r.statusCode() == 404 && "not_found".equals(error.path("code").asText())
                    && noRouteMessage.equals(error.path("message").asText());
            if (routeMissing || r.statusCode() == 405) missing.add(operation + " -> " + r.statusCode() + " " + r.body());
            assertThat(r.statusCode()).as(operation).isIn(200, 204, 302, 400, 401, 403, 404, 415, 422);
        }
        assertThat(missing).as("documented operations the server does not have").isEmpty();
    }

    @Test
    void authenticationIsDescribed() {
        JsonNode schemes = doc.at("/components/securitySchemes");
        assertThat(schemes.path("session").path("type").asText()).isEqualTo("apiKey");
        assertThat(schemes.path("session").path("in").asText()).isEqualTo("cookie");
        assertThat(schemes.path("session").path("name").asText()).isEqualTo(Http.SESSION_COOKIE);
        assertThat(schemes.path("csrf").path("in").asText()).isEqualTo("header");
        assertThat(schemes.path("csrf").path("name").asText()).isEqualTo("X-CSRF-Token");
        assertThat(schemes.path("bearer").path("type").asText()).isEqualTo("http");
        assertThat(schemes.path("bearer").path("scheme").asText()).isEqualTo("bearer");

        for (String operation : operations()) {
            JsonNode op = operation(operation);
            boolean read = operation.startsWith("GET ");
            JsonNode security = op.has("security") ? op.get("security") : doc.path("security");
            if (security.isEmpty()) continue; // public
            if (security.toString().contains("instanceSecret")) { // the instance administrator's API: its own secret only
                assertThat(op.path("responses").has("401")).as(operation + " documents 401").isTrue();
                continue;
            }
            boolean withCsrf = false;
            boolean withBearer = false;
            for (JsonNode alternative : security) {
                if (alternative.has("session")) withCsrf = alternative.has("csrf");
                if (alternative.has("bearer")) withBearer = true;
            }
            assertThat(withBearer).as(operation + " accepts API tokens").isTrue();
            assertThat(withCsrf).as(operation + ": the session needs X-CSRF-Token exactly on writes").isEqualTo(!read);
            assertThat(op.path("responses").has("401")).as(operation + " documents 401").isTrue();
        }
    }

    @Test
    void requestBodiesRefuseUnknownFieldsAndErrorsHaveOneShape() {
        for (String operation : operations()) {
            JsonNode op = operation(operation);
            JsonNode body = op.at("/requestBody/content/application~1json/schema");
            if (!body.isMissingNode()) {
                assertThat(resolve(body).path("additionalProperties").isBoolean()
                        && !resolve(body).path("additionalProperties").asBoolean())
                        .as(operation + " request body has additionalProperties: false").isTrue();
                assertThat(op.path("responses").has("400")).as(operation + " documents 400").isTrue();
                assertThat(op.path("responses").has("415")).as(operation + " documents 415").isTrue();
                assertThat(op.path("responses").has("422")).as(operation + " documents 422").isTrue();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                    JsonNode schema = resolve(e.getValue()).at("/content/application~1json/schema");
                    assertThat(schema.toString()).as(operation + " " + e.getKey()).contains("#/components/schemas/Error");
                }
            }
        }
        JsonNode error = doc.at("/components/schemas/Error/properties/error");
        assertThat(fieldNames(error.path("properties"))).containsExactlyInAnyOrder("code", "message", "field");
        assertThat(error.path("required").toString()).contains("code").contains("message").doesNotContain("field");
    }

    @Test
    void webSocketsPointToTheProtocol() {
        assertThat(doc.path("x-websockets").has("/ws/visitor")).isTrue();
        assertThat(doc.path("x-websockets").has("/ws/agent")).isTrue();
        assertThat(doc.path("info").path("description").asText()).contains("/ws/visitor", "/ws/agent", "docs/PROTOCOL.md");
    }

    @Test
    void documentedFieldsAreTheFieldsParleyAnswers() {
        TestParley.Api owner = app.owner();
        JsonNode me = owner.get("/auth/me");
        assertFields("Session", me);
        assertFields("Agent", me.get("agent"));
        assertFields("Account", owner.get("/v2/account"));
        assertFields("Tag", owner.expect(201, "POST", "/v2/tags", Map.of("name", "OpenAPI")));
        assertFields("Group", owner.expect(201, "POST", "/v2/groups", Map.of("name", "OpenAPI")));
        assertTabs(owner.get("/v2/conversations/tabs"));

        long conversationId;
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            visitor.await("welcome");
            visitor.send(Map.of("type", "message", "client_id", "openapi-1", "text", "Hello"));
            JsonNode ack = visitor.await("ack");
            assertFields("Message", ack.get("message"));
            conversationId = ack.path("message").path("conversation_id").asLong();
        }
        JsonNode conversation = owner.get("/v2/conversations/" + conversationId);
        assertFields("Conversation", conversation);
        assertFields("Message", owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages", Map.of("text", "Hi")));
        JsonNode messages = owner.get("/v2/conversations/" + conversationId + "/messages");
        assertFields("MessagePage", messages);
        for (JsonNode m : messages.get("items")) assertFields("Message", m);
        JsonNode page = owner.get("/v2/conversations");
        assertFields("ConversationPage", page);
        assertTabs(page.get("tabs"));
        assertFields("VisitorCard", owner.get("/v2/visitors/" + conversation.path("visitor_id").asLong()));
        JsonNode visitors = owner.get("/v2/visitors");
        assertFields("VisitorPage", visitors);
    }

    @Test
    void theMailRoutesAnswerTheirDocumentedFields() {
        TestParley.Api owner = app.owner();
        assertFields("EmailSettings", owner.get("/v2/account/email"));
        assertFields("NotificationChoices", owner.get("/v2/me/notifications"));
        long conversationId;
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            visitor.await("welcome");
            visitor.send(Map.of("type", "message", "client_id", "openapi-mail-1", "text", "Hello"));
            conversationId = visitor.await("ack").path("message").path("conversation_id").asLong();
        }
        assertFields("EmailReach", owner.get("/v2/conversations/" + conversationId + "/email"));
        assertFields("TranscriptQueued", owner.expect(202, "POST", "/v2/conversations/" + conversationId + "/transcript",
                Map.of("email", "reader@example.com")));
    }

    private static void assertFields(String schema, JsonNode answer) {
        JsonNode properties = doc.at("/components/schemas/" + schema + "/properties");
        assertThat(answer.isObject()).as(schema + ": " + answer).isTrue();
        assertThat(fieldNames(answer)).as("fields of a " + schema + " answer vs. openapi.json")
                .containsExactlyInAnyOrderElementsOf(fieldNames(properties));
    }

    private static void assertTabs(JsonNode tabs) {
        JsonNode schema = doc.at("/components/schemas/Tabs");
        assertThat(fieldNames(schema.path("properties"))).containsAll(fieldNames(tabs));
        for (JsonNode required : schema.path("required")) assertThat(tabs.has(required.asText())).isTrue();
    }

    /** "METHOD /path" for every documented operation. */
    private static List<String> operations() {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : fieldNames(path.getValue())) {
                if (HTTP_METHODS.contains(method)) out.add(method.toUpperCase() + " " + path.getKey());
            }
        }
        return out;
    }

    private static JsonNode operation(String operation) {
        int space = operation.indexOf(' ');
        return doc.path("paths").path(operation.substring(space + 1)).path(operation.substring(0, space).toLowerCase());
    }

    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) node = doc.at(node.get("$ref").asText().substring(1));
        return node;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode error(HttpResponse<String> r) {
        try {
            return r.body() == null || r.body().isBlank() ? Json.object() : Json.MAPPER.readTree(r.body()).path("error");
        } catch (IOException e) {
            return Json.object();
        }
    }

    /** No cookie, no token, no body. */
    private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
