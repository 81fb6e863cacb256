package app.parley.settings;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Account settings, chat box settings and "My profile" over real HTTP on real PostgreSQL (issue #18, points 1–3). */
class SettingsApiTest {
    /** A 1×1 PNG, as the dashboard's cropper sends it. */
    static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private static TestParley app;
    private static TestParley.Api owner;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theShopsNameLogoLanguageAndTimezoneReachTheChatBox() {
        JsonNode s = owner.expect(200, "PATCH", "/v2/account/settings",
                Map.of("name", "Tea & Co", "language", "cs", "timezone", "Europe/Prague"));
        assertThat(s.path("name").asText()).isEqualTo("Tea & Co");
        assertThat(s.path("timezone").asText()).isEqualTo("Europe/Prague");
        JsonNode logo = owner.expect(200, "PUT", "/v2/account/logo", Map.of("image", PNG));
        String url = logo.path("logo_url").asText();
        assertThat(url).startsWith(app.baseUrl() + "/images/");

        JsonNode config = widgetConfig();
        assertThat(config.path("account_name").asText()).isEqualTo("Tea & Co");
        assertThat(config.path("logo_url").asText()).isEqualTo(url);
        assertThat(config.path("language").asText()).isEqualTo("cs");
        try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
            assertThat(visitor.await("welcome").path("account").path("name").asText()).isEqualTo("Tea & Co");
        }
    }

    @Test
    void anImageIsServedOnlyAsTheRasterTypeItsBytesAre() throws Exception {
        String url = owner.expect(200, "PUT", "/v2/me/avatar", Map.of("image", PNG)).path("avatar_url").asText();
        HttpResponse<byte[]> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(got.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(got.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");

        // An SVG or HTML page named as a PNG is refused, whatever the data URL claims.
        String svg = "data:image/png;base64," + Base64.getEncoder().encodeToString(
                "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".getBytes());
        JsonNode refused = owner.send("PUT", "/v2/me/avatar", Map.of("image", svg));
        assertThat(owner.lastStatus).isEqualTo(415);
        assertThat(refused.path("error").path("code").asText()).isEqualTo("unsupported_image");
        owner.send("PUT", "/v2/account/logo", Map.of("image", "not a data url"));
        assertThat(owner.lastStatus).isEqualTo(422);
        // Removing the avatar removes the stored image too: initials show again.
        assertThat(owner.expect(200, "DELETE", "/v2/me/avatar", null).path("avatar_url").isNull()).isTrue();
        assertThat(status(url)).isEqualTo(404);
    }

    @Test
    void chatBoxSettingsHaveDefaultsAreCheckedAndReachTheChatBox() {
        JsonNode defaults = owner.expect(200, "GET", "/v2/account/chat-box", null);
        assertThat(defaults.path("rating_enabled").asBoolean()).isTrue();
        assertThat(defaults.path("pre_chat_form").path("enabled").asBoolean()).isFalse();
        assertThat(widgetConfig().path("rating_enabled").asBoolean()).isTrue();

        owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales"));
        owner.expect(201, "POST", "/v2/groups", Map.of("name", "Internal", "key", "internal"));
        Map<String, Object> body = new HashMap<>();
        body.put("color", "#E67700");
        body.put("position", "left");
        body.put("offset_x", 40);
        body.put("offset_y", 10);
        body.put("greetings", Map.of("en", "Ahoy!", "cs", "Dobrý den!"));
        body.put("offline_texts", Map.of("en", "Back at nine."));
        body.put("rating_enabled", false);
        body.put("pre_chat_form", Map.of("enabled", true, "ask_name", true, "ask_email", true, "email_required", true));
        body.put("show_on_mobile", false);
        body.put("group_keys", List.of("sales"));
        JsonNode saved = owner.expect(200, "PUT", "/v2/account/chat-box", body);
        assertThat(saved.path("color").asText()).isEqualTo("#e67700");

        JsonNode config = widgetConfig();
        assertThat(config.path("position").asText()).isEqualTo("left");
        assertThat(config.path("offset_x").asInt()).isEqualTo(40);
        assertThat(config.path("greetings").path("cs").asText()).isEqualTo("Dobrý den!");
        assertThat(config.path("offline_texts").path("en").asText()).isEqualTo("Back at nine.");
        assertThat(config.path("rating_enabled").asBoolean()).isFalse();
        assertThat(config.path("pre_chat_form").path("email_required").asBoolean()).isTrue();
        assertThat(config.path("show_on_mobile").asBoolean()).isFalse();
        assertThat(config.path("groups")).hasSize(1);
        assertThat(config.path("groups").get(0).path("key").asText()).isEqualTo("sales");

        // Bad fields are refused by name, and nothing of the request is kept.
        body.put("color", "red; background:url(x)");
        assertThat(owner.send("PUT", "/v2/account/chat-box", body).path("error").path("field").asText()).isEqualTo("color");
        assertThat(owner.lastStatus).isEqualTo(422);
        body.put("color", "#000000");
        body.put("offset_x", 5000);
        assertThat(owner.send("PUT", "/v2/account/chat-box", body).path("error").path("field").asText()).isEqualTo("offset_x");
        body.put("offset_x", 0);
        body.put("greetings", Map.of("<script>", "x"));
        assertThat(owner.send("PUT", "/v2/account/chat-box", body).path("error").path("field").asText()).isEqualTo("greetings");
        assertThat(owner.get("/v2/account/chat-box").path("color").asText()).isEqualTo("#e67700");
    }

    @Test
    void onlyOwnersAndAdminsChangeTheAccountAndEveryAgentTheirOwnProfile() {
        TestParley.Api agent = app.createAgent("ada@shop.test", "Ada", "ada-password-1", "agent");
        agent.send("PATCH", "/v2/account/settings", Map.of("name", "Mine now"));
        assertThat(agent.lastStatus).isEqualTo(403);
        agent.send("PUT", "/v2/account/chat-box", Map.of("color", "#000000"));
        assertThat(agent.lastStatus).isEqualTo(403);
        agent.send("PUT", "/v2/account/logo", Map.of("image", PNG));
        assertThat(agent.lastStatus).isEqualTo(403);
        assertThat(agent.expect(200, "PATCH", "/v2/me/preferences", Map.of("sound", false)).path("sound").asBoolean()).isFalse();
        assertThat(owner.get("/v2/me/preferences").path("sound").asBoolean()).isTrue();
        owner.send("PATCH", "/v2/account/settings", Map.of("timezone", "+02:00"));
        assertThat(owner.lastStatus).isEqualTo(422);
        owner.send("PATCH", "/v2/account/settings", Map.of("away_after_seconds", 600, "offline_after_seconds", 60));
        assertThat(owner.lastStatus).isEqualTo(422);
    }

    @Test
    void aPasswordChangeNeedsTheCurrentOneAndSignsOutEveryOtherSession() {
        app.createAgent("bo@shop.test", "Bo", "bo-password-1", "agent");
        TestParley.Api here = app.login("bo@shop.test", "bo-password-1");
        TestParley.Api elsewhere = app.login("bo@shop.test", "bo-password-1");
        try (TestSocket otherTab = TestSocket.agent(app, elsewhere, null)) {
            otherTab.await("welcome");
            JsonNode wrong = here.send("POST", "/v2/me/password",
                    Map.of("current_password", "not-it-at-all", "new_password", "bo-password-2"));
            assertThat(here.lastStatus).isEqualTo(422);
            assertThat(wrong.path("error").path("code").asText()).isEqualTo("wrong_password");
            here.send("POST", "/v2/me/password", Map.of("current_password", "bo-password-1", "new_password", "short"));
            assertThat(here.lastStatus).isEqualTo(422);

            here.expect(204, "POST", "/v2/me/password",
                    Map.of("current_password", "bo-password-1", "new_password", "bo-password-2"));
            assertThat(otherTab.closeCode(Duration.ofSeconds(10))).isEqualTo(4401);
        }
        here.expect(200, "GET", "/auth/me", null);
        elsewhere.send("GET", "/auth/me", null);
        assertThat(elsewhere.lastStatus).isEqualTo(401);
        app.login("bo@shop.test", "bo-password-2");
    }

    private JsonNode widgetConfig() {
        return owner.get("/widget/config?key=" + app.accountKey());
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
