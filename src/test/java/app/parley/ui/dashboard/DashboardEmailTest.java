package app.parley.ui.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.Await;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import app.parley.ui.Browsers;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import jakarta.mail.Address;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An email conversation as an agent works it in a real browser (issue #12): a forwarded mail arrives as a new
 * conversation with the red envelope in the list and the thread, the reply goes by email (the default there) and
 * shows "Sent by email", a hostile mail's markup stays text; and the notification mail as it renders.
 */
class DashboardEmailTest {
    private static final String DOMAIN = "inbound.parley.example";
    private static GreenMail mail;
    private static TestParley parley;

    @BeforeAll
    static void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        parley = TestParley.start(Map.of("PARLEY_SMTP_HOST", "127.0.0.1", "PARLEY_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                "PARLEY_SMTP_FROM", "Example Shop <support@shop.example>", "PARLEY_INBOUND_SMTP_PORT", "0",
                "PARLEY_INBOUND_DOMAIN", DOMAIN, "PARLEY_NOTIFY_DELAY_MILLIS", "300", "PARLEY_BACKBONE_POLL_MS", "200"));
        parley.owner().patch("/auth/me", Map.of("name", "Petra Novak"));
    }

    @AfterAll
    static void stop() {
        parley.close();
        mail.stop();
    }

    @Test
    void anEmailConversationIsAnsweredByEmail() throws Exception {
        deliver(Files.readAllBytes(Path.of("/work/shared/testdata/mail/13-forwarded-to-public-address.eml")), "support@shop.example");
        long conversationId = await(() -> parley.parley().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT conversation_id FROM email_inbound WHERE state = 'threaded' AND 'support@shop.example' = ANY(envelope_to)").mapTo(Long.class).findOne().orElse(null)));
        String hostile = """
                From: Eve <eve@example.org>\r
                To: reply+%s@%s\r
                Subject: Re: invoice <b>bold</b>\r
                Message-ID: <hostile-1@example.org>\r
                Content-Type: text/html; charset=UTF-8\r
                \r
                <p>Also: <img src=x onerror="document.body.dataset.pwned=1"> thanks</p>\r
                """.formatted(token(conversationId), DOMAIN);
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/conversations/all");
            Locator row = s.row(conversationId);
            assertThat(row.locator(".channel-email")).isVisible();
            s.open(conversationId);
            assertThat(s.threadHeader().locator(".channel-email")).isVisible();
            assertThat(s.page.locator(".msg-in .bubble").first()).containsText("I'm Jane's colleague");
            assertThat(s.page.locator(".email-subject").first()).hasText("Fwd: Fwd: Your question about order #1042");

            Locator email = s.page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Email"));
            assertThat(email).hasAttribute("aria-checked", "true");
            assertThat(s.page.locator(".email-hint")).hasText("to mark.lee@example.org");
            s.reply("Hello Mark, the invoice for Cooper & Lee Ltd is on its way.");
            assertThat(s.page.locator(".msg-out .delivery").last()).hasText("Sent by email", new com.microsoft.playwright.assertions
                    .LocatorAssertions.HasTextOptions().setTimeout(15000));
            assertThat(Arrays.stream(mail.getReceivedMessages()).anyMatch(m -> recipient(m).equals("mark.lee@example.org"))).isTrue();

            deliver(hostile.getBytes(StandardCharsets.UTF_8), "reply+" + token(conversationId) + "@" + DOMAIN);
            assertThat(s.page.locator(".msg-in .bubble").last()).containsText("Also:");
            assertThat(s.page.locator(".thread img")).hasCount(0);
            assertThat(s.page.locator("body")).not().hasAttribute("data-pwned", "1");
            Browsers.screenshot(s.page, "dashboard-email-conversation");
            copy("dashboard-email-conversation");

            s.go("#/settings/email");
            assertThat(s.page.getByLabel("Shop's address (replies come from it)")).isVisible();
            s.button("Send test email").click();
            assertThat(s.page.locator(".form-ok")).containsText("Test email sent to owner@shop.test");
            Browsers.screenshot(s.page, "dashboard-settings-email");
            copy("dashboard-settings-email");
        }
    }

    @Test
    void aChatTheVisitorAnsweredByEmailGetsTheEnvelopeFromTheServer() throws Exception {
        long conversationId;
        try (TestSocket v = TestSocket.visitor(parley, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "identify", "email", "olga.berg@example.com"));
            String id = TestSocket.clientId();
            v.send(Map.of("type", "message", "client_id", id, "text", "Is the cast-iron kettle back in stock?"));
            conversationId = v.await(f -> "ack".equals(f.path("type").asText()) && id.equals(f.path("client_id").asText()))
                    .path("message").path("conversation_id").asLong();
        }
        var owner = parley.owner();
        assertThat(owner.get("/v2/conversations/" + conversationId).path("has_email").asBoolean()).isFalse();
        owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                Map.of("text", "Not yet: I will write when it is.", "channel", "email"));
        await(() -> Arrays.stream(mail.getReceivedMessages()).anyMatch(m -> recipient(m).equals("olga.berg@example.com")) ? true : null);
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/conversations/all");
            assertThat(s.row(conversationId)).isVisible();
            assertThat(s.row(conversationId).locator(".channel-email")).hasCount(0);

            deliver(("From: Olga Berg <olga.berg@example.com>\r\nTo: reply+" + token(conversationId) + "@" + DOMAIN + "\r\n"
                    + "Subject: Re: kettle\r\nMessage-ID: <olga-1@example.com>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                    + "Thanks, please do!\r\n").getBytes(StandardCharsets.UTF_8), "reply+" + token(conversationId) + "@" + DOMAIN);
            assertThat(s.row(conversationId).locator(".channel-email")).isVisible();
            // The server says so too: after a reload, and in the API, while the conversation stays a chat.
            s.page.reload();
            assertThat(s.row(conversationId).locator(".channel-email")).isVisible();
            var summary = owner.get("/v2/conversations/" + conversationId);
            assertThat(summary.path("has_email").asBoolean()).isTrue();
            assertThat(summary.path("channel").path("type").asText()).isEqualTo("chat");
            Browsers.screenshot(s.page, "dashboard-list-email-reply");
        }
    }

    @Test
    void theNotificationMailReads() throws Exception {
        parley.owner().patch("/auth/me", Map.of("status", "offline"));
        long conversationId;
        try (TestSocket v = TestSocket.visitor(parley, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "identify", "name", "Jane Cooper", "email", "jane.cooper@example.com"));
            for (String text : new String[] {"Hello, is the Morning Mist teapot dishwasher safe?", "And does it come with a strainer?"}) {
                String id = TestSocket.clientId();
                v.send(Map.of("type", "message", "client_id", id, "text", text));
                v.await(f -> "ack".equals(f.path("type").asText()) && id.equals(f.path("client_id").asText()));
            }
            conversationId = parley.owner().get("/v2/conversations?tab=all").path("items").get(0).path("id").asLong();
        }
        String link = "/app/#/conversations/all/" + conversationId;
        MimeMessage m = await(() -> Arrays.stream(mail.getReceivedMessages())
                .filter(x -> recipient(x).equals(TestParley.OWNER_EMAIL) && html(x).contains(link)).findFirst().orElse(null));
        try (var context = Browsers.newContext()) {
            Page page = context.newPage();
            page.setViewportSize(720, 760);
            page.setContent(html(m));
            assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open the conversation"))).isVisible();
            assertThat(page.locator("body")).containsText("And does it come with a strainer?");
            Browsers.screenshot(page, "notification-mail");
            copy("notification-mail");
        }
    }

    private static String token(long conversationId) {
        return parley.parley().database().jdbi().withHandle(h -> h.createQuery("SELECT token FROM email_threads WHERE conversation_id = :c")
                .bind("c", conversationId).mapTo(String.class).one());
    }

    private static void deliver(byte[] raw, String to) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(parley.parley().email().inboundPort()));
        Session s = Session.getInstance(p);
        try (Transport t = s.getTransport("smtp")) {
            t.connect();
            t.sendMessage(new MimeMessage(s, new ByteArrayInputStream(raw)), new Address[] {new InternetAddress(to)});
        }
    }

    private static void copy(String name) throws Exception {
        Path docs = Path.of("docs/screenshots");
        Files.createDirectories(docs);
        Files.copy(Path.of("target/screenshots", name + ".png"), docs.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String recipient(MimeMessage m) {
        try {
            return ((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress();
        } catch (Exception e) {
            return "";
        }
    }

    private static String html(MimeMessage m) {
        try {
            return (String) ((Multipart) m.getContent()).getBodyPart(1).getContent();
        } catch (Exception e) {
            return "";
        }
    }

    private static <T> T await(java.util.function.Supplier<T> probe) {
        return Await.value(probe);
    }
}
