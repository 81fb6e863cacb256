package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Settings as the owner uses them: tags, groups, the chat-box snippet, API tokens, and server refusals shown. */
class DashboardSettingsTest {
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    private static Locator form(DashboardSession s, String name) {
        return s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName(name));
    }

    @Test
    void tagsWithColoursAndAClashExplainedByTheServer() {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/tags");
            form(s, "New tag").getByLabel("Name").fill("VIP");
            form(s, "New tag").getByLabel("Colour").fill("#e67700");
            form(s, "New tag").getByLabel("Description").fill("Customers with 5+ orders");
            form(s, "New tag").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add tag")).click();
            assertThat(s.page.locator("table .tag-chip")).hasText("VIP");
            JsonNode tag = parley.owner().get("/v2/tags").get(0);
            assertThat(tag.path("color").asText()).isEqualToIgnoringCase("#e67700");

            s.page.getByLabel("Colour of VIP").fill("#2b8a3e");
            assertThat(s.page.getByLabel("Colour of VIP")).hasValue("#2b8a3e");
            waitFor(() -> parley.owner().get("/v2/tags").get(0).path("color").asText().equalsIgnoreCase("#2b8a3e"));

            form(s, "New tag").getByLabel("Name").fill("vip");
            form(s, "New tag").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add tag")).click();
            assertThat(s.page.getByRole(AriaRole.ALERT)).hasText("A tag with this name already exists.");
            Browsers.screenshot(s.page, "dashboard-settings-tags");
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void groupsAreCreatedAndRenamed() {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/groups");
            form(s, "New group").getByLabel("Name").fill("Sales");
            form(s, "New group").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add group")).click();
            Locator name = s.page.getByLabel("Group name");
            assertThat(name).hasValue("Sales");
            name.fill("Sales team");
            name.press("Enter");
            assertThat(s.page.locator(".toast").last()).hasText("Group renamed");
            assertThat(parley.owner().get("/v2/groups").get(0).path("name").asText()).isEqualTo("Sales team");
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void chatBoxSnippetCarriesTheAccountKeyAndCopies() {
        try (var s = DashboardSession.owner(parley)) {
            s.context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
            s.go("#/settings/install");
            assertThat(s.page.getByTestId("account-key")).hasText(parley.accountKey());
            Locator snippet = s.page.getByTestId("install-snippet");
            assertThat(snippet).containsText("_smartsupp.key = '" + parley.accountKey() + "'");
            assertThat(snippet).containsText("/chat.js");
            s.button("Copy code").click();
            assertThat(s.page.locator(".toast").last()).hasText("Copied to clipboard");
            assertThat(s.page.evaluate("() => navigator.clipboard.readText()").toString()).isEqualTo(snippet.textContent());
            Browsers.screenshot(s.page, "dashboard-settings-install");
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void apiTokenIsShownOnceWorksAndCanBeRevoked() throws Exception {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/tokens");
            form(s, "New API token").getByLabel("Token name").fill("Shop backend");
            form(s, "New API token").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create token")).click();
            String secret = s.page.getByTestId("token-secret").textContent().trim();
            assertThat(secret).isNotBlank();
            assertThat(s.page.locator("table")).containsText("Shop backend");
            Browsers.screenshot(s.page, "dashboard-settings-tokens");
            assertThat(withToken(secret)).isEqualTo(200);

            s.button("Done").click();
            assertThat(s.page.getByTestId("token-secret")).hasCount(0);
            s.button("Revoke token Shop backend").click();
            s.button("Revoke").click();
            assertThat(s.page.locator(".toast").last()).hasText("Token revoked");
            assertThat(s.page.getByText("No API tokens")).isVisible();
            assertThat(withToken(secret)).isEqualTo(401);
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void invitingAnExistingEmailShowsTheServersMessage() {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/agents");
            s.button("Invite agent").click();
            Locator invite = form(s, "Invite agent");
            invite.getByLabel("Name").fill("Someone");
            invite.getByLabel("Email").fill(TestParley.OWNER_EMAIL);
            invite.getByLabel("Password").fill("some-password-1");
            invite.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Invite")).click();
            assertThat(invite.getByRole(AriaRole.ALERT)).hasText("An agent with this email already exists.");
            assertThat(s.errors).isEmpty();
        }
    }

    @Test
    void aRefusedAgentChangeIsPutBackWithTheServersMessage() {
        var owner = parley.owner();
        owner.expect(201, "POST", "/v2/agents", java.util.Map.of("name", "Eva Novak", "email", "eva@shop.test",
                "password", "eva-password-1", "role", "agent"));
        long group = owner.expect(201, "POST", "/v2/groups", java.util.Map.of("name", "Returns")).path("id").asLong();
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/agents");
            s.page.getByTitle("Groups of Eva Novak").click();
            Locator returns = s.page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("Returns"));
            assertThat(returns).not().isChecked();
            // Another admin deletes the group while this one still has the picker open.
            owner.expect(204, "DELETE", "/v2/groups/" + group, null);
            returns.click();
            assertThat(s.page.locator(".toast").last()).hasText("One of the groups does not exist.");
            assertThat(returns).not().isChecked();
            assertThat(s.page.locator("tr[data-agent-email='eva@shop.test']")).containsText("No group");
            assertThat(s.errors).isEmpty();
        }
    }

    private static int withToken(String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(parley.baseUrl() + "/v2/agents"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("condition not met in 10 s");
            VisitorSocketClient.sleep(100);
        }
    }
}
