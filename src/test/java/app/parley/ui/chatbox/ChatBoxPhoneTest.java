package app.parley.ui.chatbox;

import static app.parley.ui.chatbox.ChatBox.expect;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A phone-sized screen, used with the keyboard only, read through its accessibility roles and names. */
class ChatBoxPhoneTest {
    TestParley app;
    BrowserContext phone;

    @BeforeEach
    void start() {
        app = TestParley.start();
        app.owner().patch("/auth/me", Map.of("status", "online"));
        phone = Browsers.browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true)
                .setLocale("en-US").setTimezoneId("UTC"));
    }

    @AfterEach
    void stop() {
        phone.close();
        app.close();
    }

    @Test
    void fullScreenOnAPhoneAndUsableWithTheKeyboardAlone() {
        ChatBox box = ChatBox.open(phone, app, "");
        Page page = box.page;
        Locator open = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat"));
        expect(open).hasAttribute("aria-expanded", "false");
        box.screenshot("phone-closed");

        // Tab through the shop's page until the launcher has focus (it comes last), then open with Enter.
        for (int i = 0; i < 40 && !"button.launcher".equals(box.focused()); i++) page.keyboard().press("Tab");
        assertThat(box.focused()).isEqualTo("button.launcher");
        page.keyboard().press("Enter");

        Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Chat with Test Shop"));
        expect(dialog).isVisible();
        var bounds = box.panel().boundingBox();
        assertThat(new double[] {bounds.x, bounds.y, bounds.width, bounds.height}).containsExactly(0, 0, 390, 844);
        expect(box.launcher()).isHidden(); // the panel's own close button takes over
        expect(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true))).isFocused();
        expect(page.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Messages"))).hasAttribute("aria-live", "polite");
        expect(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send"))).isVisible();
        expect(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close chat")).first()).isVisible();

        // Enter sends, Shift+Enter starts a new line.
        page.keyboard().type("Do you deliver to Brno?");
        page.keyboard().press("Enter");
        page.keyboard().type("Line one");
        page.keyboard().press("Shift+Enter");
        page.keyboard().type("line two");
        page.keyboard().press("Enter");
        box.awaitAllAcked();
        expect(box.mine()).hasText(new String[] {"Do you deliver to Brno?", "Line one\nline two"});
        long id = ChatBox.onlyConversation(app.owner()).path("id").asLong();
        assertThat(ChatBox.texts(app.owner(), id, "contact")).containsExactly("Do you deliver to Brno?", "Line one\nline two");
        ChatBox.reply(app.owner(), id, "Yes, in two days. Shipping is free over €40.");
        expect(box.theirs()).hasText(new String[] {"Yes, in two days. Shipping is free over €40."});
        box.screenshot("phone-open");

        // The full-screen panel is modal: Tab cycles inside it rather than wandering onto the hidden page.
        expect(dialog).hasAttribute("aria-modal", "true");
        for (int i = 0; i < 8; i++) {
            page.keyboard().press("Tab");
            assertThat(box.focused()).as("focus after %d tabs", i + 1).isNotNull().doesNotStartWith("button.launcher");
        }

        // Escape closes and gives focus back to the launcher.
        page.keyboard().press("Escape");
        expect(box.panel()).isHidden();
        expect(open).isVisible();
        assertThat(box.focused()).isEqualTo("button.launcher");
        expect(open).hasAttribute("aria-expanded", "false");
    }

    @Test
    void hideMobileWidgetHidesTheLauncherOnPhonesButTheApiStillOpensTheBox() {
        ChatBox box = ChatBox.open(phone, app, "&hideMobileWidget=true", false);
        expect(box.launcher()).isHidden();
        box.page.evaluate("() => smartsupp('chat:open')");
        expect(box.panel()).isVisible();
        expect(box.composer()).isVisible();
    }
}
