package app.parley.ui.dashboard;

import static app.parley.channel.messenger.MessengerWorld.*;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.channel.messenger.MessengerWorld;
import app.parley.ui.Browsers;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Messenger in a real browser (issue #13, points 1, 4, 5): an admin connects the page in Settings → Channels →
 * Messenger; a Messenger conversation shows the blue icon on its row, in the thread and on the card with its page,
 * the customer's image, the reply typed in Facebook, the agent's reply going Sent → Seen with the customer's
 * reaction; a conversation past Meta's 7 days says why the composer cannot send and links to the page's inbox.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardMessengerTest {
    private static MessengerWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new MessengerWorld(false);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    @Order(1)
    void aShopConnectsItsPageAndAnswersOnMessenger() throws Exception {
        try (var s = DashboardSession.owner(world.parley)) {
            s.go("#/settings/messenger");
            assertThat(s.page.getByText("No page connected yet")).isVisible();
            assertThat(s.page.getByTestId("messenger-webhook-url")).hasText(world.parley.baseUrl() + "/webhooks/messenger");
            Locator form = s.page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Connect a Facebook page"));
            form.getByLabel("Meta app ID").fill(PARLEY_APP_ID);
            form.getByLabel("App secret").fill(APP_SECRET);
            form.getByLabel("Verify token").fill(VERIFY_TOKEN);
            form.getByLabel("Page ID").fill(PAGE);
            form.getByLabel("Page access token").fill("a-wrong-token");
            s.button("Connect page").click();
            assertThat(s.page.locator(".form-error")).containsText("not valid");
            form.getByLabel("Page access token").fill(TOKEN);
            s.button("Connect page").click();
            Locator page = s.page.locator(".messenger-page[data-page-id='" + PAGE + "']");
            assertThat(page).containsText("Teapot Corner");
            assertThat(page).containsText("Connected");
            assertThat(s.page.locator("body")).not().containsText(APP_SECRET);
            Browsers.screenshot(s.page, "dashboard-settings-messenger");

            // The customer writes: the README's payloads, then a question of today (inside the 24 h window).
            world.post(payload("text-message.json"));
            String image = new String(payload("image-attachment.json"), StandardCharsets.UTF_8)
                    .replace("https:\\/\\/scontent.xx.fbcdn.net\\/", world.graph.url().replace("/", "\\/") + "\\/cdn\\/");
            world.post(image.getBytes(StandardCharsets.UTF_8));
            world.post(payload("message-echo-page-inbox.json"));
            world.post(payload("postback.json"));
            long now = System.currentTimeMillis();
            world.graph.customerWrote(VISITOR_A, Instant.ofEpochMilli(now));
            world.post(entry(PAGE, text(VISITOR_A, "m_today", now, "\"Great! Is the blue one in stock? <img src=x onerror=alert(1)>\"")));
            world.processed();
            long conversation = world.conversationOf(VISITOR_A);

            s.go("#/conversations/all");
            assertThat(s.row(conversation).locator(".channel-messenger")).isVisible();
            s.open(conversation);
            assertThat(s.threadHeader().locator(".channel-messenger")).isVisible();
            assertThat(s.page.locator(".messenger-image")).isVisible();
            assertThat(s.page.getByText("Sent from Facebook")).isVisible();
            assertThat(s.page.locator(".msg-in").last()).containsText("<img src=x onerror=alert(1)>");
            assertThat(s.page.getByTestId("messenger-page")).containsText("Teapot Corner");

            world.graph.nextMessageId(M_AGENT);
            s.reply("Yes, the blue teapot is back. Shall I reserve one for you?");
            Locator status = s.page.getByTestId("messenger-status").last();
            assertThat(status).containsText("Sent");
            // Meta tells Parley the customer read it and loved it.
            String read = "{\"sender\":{\"id\":\"" + VISITOR_A + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
                    + System.currentTimeMillis() + ",\"read\":{\"watermark\":" + System.currentTimeMillis() + "}}";
            world.post(entry(PAGE, read));
            world.post(payload("reaction.json"));
            world.processed();
            assertThat(s.page.locator(".msg-out .seen").last()).containsText("Seen",
                    new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(15_000));
            assertThat(s.page.locator(".messenger-reaction")).hasText("❤️");
            Browsers.screenshot(s.page, "messenger-conversation");
        }
    }

    @Test
    @Order(2)
    void pastSevenDaysTheComposerSaysWhyAndLinksToThePagesInbox() throws Exception {
        try (var s = DashboardSession.owner(world.parley)) {
            if (world.owner.get("/v2/channels/messenger").path("pages").isEmpty()) world.connect();
            world.post(payload("batch.json"));
            world.processed();
            long conversation = world.conversationOf(VISITOR_B);
            s.go("#/conversations/all");
            s.open(conversation);
            Locator bar = s.page.getByTestId("messenger-reply-bar");
            assertThat(bar).containsText("7 days");
            assertThat(bar.getByRole(AriaRole.LINK)).hasAttribute("href", "https://www.facebook.com/" + PAGE + "/inbox");
            assertThat(s.page.getByLabel("Reply to the visitor")).isDisabled();
            Browsers.screenshot(s.page, "messenger-window-closed");
        }
    }
    @Test
    @Order(3)
    void anExpiredTokenShowsAdminsABannerOnEveryScreenThatLeadsToReconnecting() throws Exception {
        if (world.owner.get("/v2/channels/messenger").path("pages").isEmpty()) world.connect();
        world.post(payload("text-message.json"));
        world.processed();
        long conversation = world.conversationOf(VISITOR_A);
        world.graph.expire(TOKEN);
        world.owner.expect(201, "POST", "/v2/conversations/" + conversation + "/messages", java.util.Map.of("text", "Your parcel left today."));
        await("the page marked for reconnecting", () -> world.owner.get("/v2/channels/messenger").path("pages").get(0)
                .path("needs_reconnect").asBoolean());
        try (var s = DashboardSession.owner(world.parley)) {
            s.go("#/conversations/all");
            Locator banner = s.page.getByTestId("messenger-reconnect-banner");
            assertThat(banner).containsText("Teapot Corner");
            Browsers.screenshot(s.page, "messenger-reconnect-banner");
            banner.getByRole(AriaRole.LINK).click();
            assertThat(s.page.getByText("Needs reconnecting")).isVisible();
            assertThat(banner).isHidden();
        }
    }
}
