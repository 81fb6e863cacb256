package app.parley.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.core.Refusal;
import app.parley.testing.TestParley;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shortcuts over REST (issue #18, point 6): personal and team ones, names unique per owner, limits with stable codes. */
class ShortcutsApiTest {
    private static TestParley app;
    private static TestParley.Api owner;
    private static TestParley.Api agent;

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        agent = app.createAgent("gu@shop.test", "Gu", "gu-password-1", "agent");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String code(JsonNode r) {
        return r.path("error").path("code").asText();
    }

    @Test
    void personalAndTeamShortcutsWithNamesUniquePerOwner() {
        JsonNode team = owner.expect(201, "POST", "/v2/shortcuts", Map.of("name", "/hours", "text", "We answer 9–17.", "scope", "team"));
        assertThat(team.path("name").asText()).isEqualTo("hours");
        assertThat(team.path("scope").asText()).isEqualTo("team");
        // The same name is another owner's: allowed; the same owner twice, whatever the case: 409.
        agent.expect(201, "POST", "/v2/shortcuts", Map.of("name", "hours", "text", "My hours: 10–14."));
        JsonNode twice = agent.send("POST", "/v2/shortcuts", Map.of("name", "HOURS", "text", "again"));
        assertThat(agent.lastStatus).isEqualTo(409);
        assertThat(code(twice)).isEqualTo("shortcut_name_taken");

        JsonNode agentSees = agent.get("/v2/shortcuts").path("items");
        assertThat(agentSees).hasSize(2);
        assertThat(owner.get("/v2/shortcuts").path("items")).as("the owner does not see the agent's own").hasSize(1);

        // Team shortcuts are the admins'.
        assertThat(code(agent.send("POST", "/v2/shortcuts", Map.of("name", "x", "text", "y", "scope", "team"))))
                .isEqualTo("team_shortcuts_admin_only");
        assertThat(agent.lastStatus).isEqualTo(403);
        agent.send("PATCH", "/v2/shortcuts/" + team.path("id").asLong(), Map.of("text", "hijacked"));
        assertThat(agent.lastStatus).isEqualTo(403);
        long mine = agentSees.findValues("id").stream().mapToLong(JsonNode::asLong).filter(id -> id != team.path("id").asLong())
                .findFirst().orElseThrow();
        owner.send("DELETE", "/v2/shortcuts/" + mine, null);
        assertThat(owner.lastStatus).as("another agent's shortcut is not found, even for the owner").isEqualTo(404);
        agent.expect(200, "PATCH", "/v2/shortcuts/" + mine, Map.of("text", "My hours: 10–15."));
        agent.expect(204, "DELETE", "/v2/shortcuts/" + mine, null);
    }

    @Test
    void limitsAreRefusedWithStableCodes() {
        assertThat(code(owner.send("POST", "/v2/shortcuts", Map.of("name", "n".repeat(51), "text", "t")))).isEqualTo("shortcut_name_too_long");
        assertThat(owner.lastStatus).isEqualTo(422);
        owner.expect(201, "POST", "/v2/shortcuts", Map.of("name", "n".repeat(50), "text", "t"));
        assertThat(code(owner.send("POST", "/v2/shortcuts", Map.of("name", "two words", "text", "t")))).isEqualTo("shortcut_name_invalid");
        assertThat(code(owner.send("POST", "/v2/shortcuts", Map.of("name", "ok", "text", "  ")))).isEqualTo("shortcut_text_missing");
        assertThat(code(owner.send("POST", "/v2/shortcuts", Map.of("name", "ok", "text", "t", "scope", "everyone")))).isEqualTo("validation_failed");
        // A 65,536-character text does not fit the API's 64 KiB body: refused before it is read, nothing stored.
        assertThat(code(owner.send("POST", "/v2/shortcuts", Map.of("name", "long", "text", "a".repeat(65_536))))).isEqualTo("payload_too_large");
        assertThat(owner.lastStatus).isEqualTo(413);
        JsonNode big = owner.expect(201, "POST", "/v2/shortcuts", Map.of("name", "big", "text", "a".repeat(65_000)));
        assertThat(big.path("text").asText()).hasSize(65_000);
        assertThat(owner.get("/v2/shortcuts").toString()).doesNotContain("\"long\"");
    }

    @Test
    void theRuleItselfAllows65535CharactersAndNoMore() {
        assertThat(Shortcuts.text("a".repeat(65_535))).hasSize(65_535);
        assertThatThrownBy(() -> Shortcuts.text("a".repeat(65_536))).isInstanceOfSatisfying(Refusal.class,
                e -> assertThat(e.code()).isEqualTo("shortcut_text_too_long"));
        assertThat(Shortcuts.name(".thanks")).isEqualTo("thanks");
        assertThat(Shortcuts.name("děkuji")).isEqualTo("děkuji");
    }
}
