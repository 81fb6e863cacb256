package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files both ways in two browsers (issue #18 point 7): a shopper sends a photo from the chat box, the agent sees its
 * preview live and answers with a picture and a PDF, the shopper sees them; and (issue #12) once the shopper has
 * left, the composer offers Email by default for a visitor whose address is known.
 */
class DashboardFilesTest {
    static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void shopperAndAgentExchangeImagesWithPreviewsAndTheComposerTurnsToEmailOnceTheShopperLeft() throws Exception {
        try (DashboardSession agent = DashboardSession.owner(parley);
             BrowserContext shopperContext = Browsers.newContext()) {
            agent.online(parley.owner());
            agent.go("#/conversations/all");

            Page shop = shopperContext.newPage();
            shop.navigate(parley.baseUrl() + "/demo/shop.html?key=" + parley.accountKey());
            shop.locator("parley-chat .launcher").click();
            // Live chat, not the contact form: the agent's status reached the chat box.
            assertThat(shop.locator("parley-chat .status.on")).isVisible();
            Locator composer = shop.locator("parley-chat textarea.input");
            composer.fill("Hi! The teapot I got is cracked, here is a photo.");
            composer.press("Enter");
            assertThat(shop.locator("parley-chat .row.me.pending")).hasCount(0);

            // The shopper attaches a photo: it shows as a picture in their thread.
            Locator attach = shop.locator("parley-chat button.attach");
            assertThat(attach).isVisible();
            shop.locator("parley-chat input[type=file]").setInputFiles(
                    new FilePayload("cracked-teapot.png", "image/png", picture("Cracked lid", new Color(0xE8590C), 1600, 1200)));
            Locator myPicture = shop.locator("parley-chat .row.me .fimg");
            assertThat(myPicture).hasAttribute("src", java.util.regex.Pattern.compile("^data:image/jpeg"));

            // The agent sees it live, as a thumbnail that opens the full picture.
            Locator row = agent.page.locator(".conv-row").first();
            long id = Long.parseLong(row.getAttribute("data-conversation-id"));
            agent.open(id);
            Locator inPicture = agent.page.locator(".msg-in .file-image img");
            assertThat(inPicture).isVisible();
            agent.page.waitForFunction("img => img.complete && img.naturalWidth === 320", inPicture.elementHandle());
            assertThat(agent.page.locator(".msg-in .file-image")).hasAttribute("href",
                    java.util.regex.Pattern.compile("^/v2/files/[A-Za-z0-9_-]+$"));
            // The shopper is on the site: a reply goes by chat, even for a visitor whose address is known.
            long visitorId = parley.owner().get("/v2/conversations/" + id).path("visitor_id").asLong();
            parley.owner().expect(200, "PATCH", "/v2/visitors/" + visitorId, Map.of("email", "jana@example.com"));
            assertThat(parley.owner().get("/v2/visitors/" + visitorId).path("online").asBoolean()).isTrue();
            agent.go("#/visitors");
            agent.go("#/conversations/all/" + id);
            assertThat(agent.page.locator(".email-hint")).hasCount(0);
            assertThat(agent.page.locator(".composer-via .via-email")).isEnabled();
            assertThat(agent.page.locator(".composer-via .via-chat")).hasAttribute("aria-checked", "true");

            // The agent answers with a picture and a PDF; the shopper sees both.
            Locator agentFile = agent.page.locator(".composer input[type=file]");
            agentFile.setInputFiles(new FilePayload("replacement-lid.png", "image/png", picture("New lid", new Color(0x2F9E44), 900, 900)));
            assertThat(agent.page.locator(".msg-out .file-image img")).isVisible();
            agentFile.setInputFiles(new FilePayload("Return label <b>.pdf", "application/pdf",
                    "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(agent.page.locator(".msg-out .file-card .file-name")).hasText("Return label <b>.pdf");
            Locator theirPicture = shop.locator("parley-chat .row.them .fimg");
            assertThat(theirPicture).hasAttribute("src", java.util.regex.Pattern.compile("^data:image/jpeg"));
            assertThat(shop.locator("parley-chat .row.them .ffile.doc .fname")).hasText("Return label <b>.pdf");
            agent.reply("A new lid is on its way. Please print the return label for the cracked one.");
            assertThat(shop.locator("parley-chat .row.them .bub").last()).hasText("A new lid is on its way. Please print the return label for the cracked one.");
            shop.locator("parley-chat .scroll").evaluate("s => s.scrollTop = s.scrollHeight");
            agent.page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("docs/screenshots/dashboard-files.png")));
            shop.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("docs/screenshots/chatbox-files.png")));

            // A type the chat box may not send is refused with the server's words, and nothing is added.
            shop.locator("parley-chat input[type=file]").setInputFiles(new FilePayload("page.html", "text/html",
                    "<html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8)));
            assertThat(shop.locator("parley-chat .uperr")).containsText("cannot be sent");
            Browsers.screenshot(shop, "chatbox-file-refused");
            assertThat(shop.locator("parley-chat .row.me .ffile")).hasCount(1);

            // The shopper leaves; their address is known (the agent typed it into the card above).
            shop.close();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (parley.owner().get("/v2/visitors/" + visitorId).path("online").asBoolean(true)) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("The visitor never showed as gone");
                Thread.sleep(100);
            }
            // Opened afresh, as an agent who comes back to it later (the composer decides when a conversation opens).
            agent.page.reload();
            assertThat(agent.threadHeader()).isVisible();
            assertThat(agent.page.locator(".composer-via .via-email")).hasAttribute("aria-checked", "true");
            assertThat(agent.page.locator(".email-hint")).hasText("to jana@example.com");
            agent.page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("docs/screenshots/dashboard-files-email-default.png")));
            JsonNode sent = parley.owner().get("/v2/conversations/" + id + "/messages");
            assertThat(sent.toString()).contains("cracked-teapot.png").contains("replacement-lid.png");
            assertThat(agent.errors).isEmpty();
        }
    }

    /** A photo-like picture with a caption, so the screenshots read like a shop's day. */
    static byte[] picture(String caption, Color colour, int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, colour.brighter(), w, h, colour.darker()));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(255, 255, 255, 220));
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(24, w / 14)));
        var m = g.getFontMetrics();
        g.drawString(caption, (w - m.stringWidth(caption)) / 2, h / 2 + m.getAscent() / 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
