package app.parley.channel.messenger;

import static app.parley.channel.messenger.MessengerWorld.*;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.testing.TestParley;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connecting pages (issue #13, point 1): admins only, the token checked with Graph's /me (the page's name and
 * picture shown), Graph's refusals as clear 422s, secrets never returned, several pages, disconnecting.
 */
class MessengerPagesApiTest {
    private static final String SECOND_PAGE = "200000000000001";
    private static MessengerWorld world;
    private static TestParley.Api agent;

    @BeforeAll
    static void start() throws Exception {
        world = new MessengerWorld();
        world.graph.page(SECOND_PAGE, "Teapot Corner Outlet", "token-second").page("300000000000001", "Expired Page", "token-expired");
        world.graph.expire("token-expired");
        agent = world.parley.createAgent("agent@shop.test", "Alice Agent", "agent-password-1", "agent");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Map<String, Object> connect(String pageId, String token) {
        Map<String, Object> m = new HashMap<>();
        m.put("app_id", PARLEY_APP_ID);
        m.put("app_secret", APP_SECRET);
        m.put("verify_token", VERIFY_TOKEN);
        m.put("page_id", pageId);
        m.put("page_access_token", token);
        return m;
    }

    @Test
    void thePageIsCheckedWithGraphAndShownWithoutItsSecrets() {
        JsonNode list = world.owner.expect(200, "GET", "/v2/channels/messenger", null);
        assertThat(list.path("webhook_url").asText()).isEqualTo(world.parley.baseUrl() + "/webhooks/messenger");
        JsonNode page = list.path("pages").get(0);
        assertThat(page.path("page_id").asText()).isEqualTo(PAGE);
        assertThat(page.path("name").asText()).isEqualTo("Teapot Corner");
        assertThat(page.path("picture_url").asText()).isEqualTo("/v2/channels/messenger/pages/" + PAGE + "/picture");
        assertThat(page.path("status").asText()).isEqualTo("connected");
        String text = Json.write(list);
        assertThat(text).doesNotContain(APP_SECRET).doesNotContain(TOKEN).doesNotContain(VERIFY_TOKEN);
        FakeGraph.Request me = world.graph.requests().stream().filter(r -> r.path().equals("/v19.0/me")).findFirst().orElseThrow();
        assertThat(me.token()).isEqualTo(TOKEN);
        // The token travels in the Authorization header, never in a URL a proxy could log.
        assertThat(me.query()).doesNotContain(TOKEN);
    }

    @Test
    void severalPagesMayBeConnectedAndOneDisconnected() {
        JsonNode second = world.owner.expect(201, "POST", "/v2/channels/messenger", connect(SECOND_PAGE, "token-second"));
        assertThat(second.path("name").asText()).isEqualTo("Teapot Corner Outlet");
        assertThat(Json.write(second)).doesNotContain(APP_SECRET).doesNotContain("token-second");
        assertThat(world.owner.get("/v2/channels/messenger").path("pages")).hasSize(2);
        world.owner.expect(204, "DELETE", "/v2/channels/messenger/" + SECOND_PAGE, null);
        assertThat(world.owner.get("/v2/channels/messenger").path("pages")).hasSize(1);
        JsonNode missing = world.owner.expect(404, "DELETE", "/v2/channels/messenger/" + SECOND_PAGE, null);
        assertThat(missing.path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void graphsRefusalsAreClearAndNothingIsStored() {
        JsonNode expired = world.owner.expect(422, "POST", "/v2/channels/messenger", connect("300000000000001", "token-expired"));
        assertThat(expired.path("error").path("code").asText()).isEqualTo("token_invalid");
        assertThat(expired.path("error").path("field").asText()).isEqualTo("page_access_token");
        JsonNode unknown = world.owner.expect(422, "POST", "/v2/channels/messenger", connect("300000000000001", "not-a-token"));
        assertThat(unknown.path("error").path("code").asText()).isEqualTo("token_invalid");
        JsonNode mismatch = world.owner.expect(422, "POST", "/v2/channels/messenger", connect("999999999999999", TOKEN));
        assertThat(mismatch.path("error").path("code").asText()).isEqualTo("page_mismatch");
        Map<String, Object> badId = connect("abc", TOKEN);
        assertThat(world.owner.expect(422, "POST", "/v2/channels/messenger", badId).path("error").path("field").asText()).isEqualTo("page_id");
        Map<String, Object> noSecret = connect(PAGE, TOKEN);
        noSecret.remove("app_secret");
        assertThat(world.owner.expect(422, "POST", "/v2/channels/messenger", noSecret).path("error").path("field").asText()).isEqualTo("app_secret");
        assertThat(world.owner.get("/v2/channels/messenger").path("pages")).extracting(p -> p.path("page_id").asText()).doesNotContain("300000000000001", "999999999999999");
    }

    @Test
    void onlyAdminsManagePages() {
        agent.expect(403, "GET", "/v2/channels/messenger", null);
        agent.expect(403, "POST", "/v2/channels/messenger", connect(SECOND_PAGE, "token-second"));
        agent.expect(403, "DELETE", "/v2/channels/messenger/" + PAGE, null);
        assertThat(world.get("/v2/channels/messenger").statusCode()).isEqualTo(401);
    }
}
