package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import app.parley.webhook.Signature;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Settings → Webhooks as an admin uses it: create (secret once), send a test event, see a failure, resend, delete. */
class DashboardWebhooksTest {
    private static TestParley parley;

    @BeforeAll
    static void start() {
        // One attempt: a failing delivery is a dead letter at once, so the test need not wait for retries.
        parley = TestParley.start(Map.of("PARLEY_WEBHOOK_MAX_ATTEMPTS", "1", "PARLEY_BACKBONE_POLL_MS", "200"));
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void aWebhookIsCreatedTestedResentAndDeleted() throws IOException {
        List<String> signedBodies = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(500);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/hook", exchange -> {
            signedBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            signatures.add(exchange.getRequestHeaders().getFirst("X-Parley-Signature"));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/settings/webhooks");
            Locator form = s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("New webhook"));
            form.getByLabel("Endpoint URL").fill(url);
            form.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("Agent replied")).check();
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add webhook")).click();
            String secret = s.page.getByTestId("webhook-secret").textContent().trim();
            assertThat(secret).startsWith("whsec_");
            assertThat(parley.owner().get("/v2/webhooks").get(0).path("events").toString())
                    .contains("conversation.agent_replied").contains("conversation.contact_replied");
            Browsers.screenshot(s.page, "dashboard-settings-webhooks");
            s.button("Done").click();
            assertThat(s.page.getByTestId("webhook-secret")).hasCount(0);

            // The endpoint fails: with one attempt allowed, the test event is a dead letter the log shows.
            s.button("Edit and log").click();
            s.button("Send test event").click();
            assertThat(s.page.locator(".toast").last()).hasText("Test event queued");
            Locator row = s.page.locator(".webhook-log tr[data-state]").first();
            assertThat(row).hasAttribute("data-state", "dead");
            assertThat(row).containsText("HTTP 500");
            assertThat(row).containsText("webhook.test");
            assertThat(signatures.getFirst()).isEqualTo(Signature.of(secret, signedBodies.getFirst()));

            status.set(200);
            row.getByRole(AriaRole.BUTTON).click();
            assertThat(s.page.locator(".toast").last()).hasText("Delivery queued again");
            assertThat(s.page.locator(".webhook-log tr[data-state]").first()).hasAttribute("data-state", "delivered");
            assertThat(signedBodies).hasSize(2);
            assertThat(signedBodies.get(1)).isEqualTo(signedBodies.getFirst());

            s.button("Delete webhook " + url).click();
            s.page.locator(".webhook .confirm").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
            assertThat(s.page.getByText("No webhooks yet")).isVisible();
            assertThat(parley.owner().get("/v2/webhooks").size()).isZero();
            assertThat(s.errors).isEmpty();
        } finally {
            receiver.stop(0);
        }
    }
}
