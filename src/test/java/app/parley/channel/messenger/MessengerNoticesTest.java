package app.parley.channel.messenger;

import static app.parley.channel.messenger.MessengerWorld.APP_SECRET;
import static app.parley.channel.messenger.MessengerWorld.PAGE;
import static app.parley.channel.messenger.MessengerWorld.PARLEY_APP_ID;
import static app.parley.channel.messenger.MessengerWorld.VERIFY_TOKEN;
import static app.parley.channel.messenger.MessengerWorld.await;
import static app.parley.channel.messenger.MessengerWorld.entry;
import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #13 points 1 and 4, what people are told: the admins' one mail when a page's token stops working (through a
 * real SMTP server), and a reply's Messenger delivery state reaching an agent's socket live as it moves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessengerNoticesTest {
    private static final String SHOP = "support@teapot.example";
    private static GreenMail mail;
    private static MessengerWorld world;

    @BeforeAll
    static void start() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        world = new MessengerWorld(true, Map.of("PARLEY_SMTP_HOST", "127.0.0.1",
                "PARLEY_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                "PARLEY_SMTP_FROM", "Teapot Corner <" + SHOP + ">"));
        world.parley.createAgent("ada@teapot.example", "Ada Admin", "ada-password-1", "admin");
        world.parley.createAgent("bob@teapot.example", "Bob Agent", "bob-password-1", "agent");
    }

    @AfterAll
    static void stop() {
        world.close();
        mail.stop();
    }

    private static long customer(String psid) {
        return world.customerWrote(psid, Duration.ofMinutes(2));
    }

    private static long reply(long conversation, String text) {
        return world.reply(conversation, text);
    }

    private static String status(long conversation, long messageId) {
        return world.owner.get("/v2/channels/messenger/conversations/" + conversation).path("messages")
                .path(Long.toString(messageId)).path("status").asText();
    }

    private static boolean noticesPending() {
        return world.jdbi().withHandle(h -> h.createQuery("SELECT count(*) > 0 FROM jobs WHERE kind = :k")
                .bind("k", ReconnectNotice.KIND).mapTo(Boolean.class).one());
    }

    private static List<String> recipients() {
        return Arrays.stream(mail.getReceivedMessages()).map(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString).findFirst().orElse("");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).sorted().toList();
    }

    /** The text/plain part of a notice (notices are multipart: text and HTML). */
    private static String plainText(jakarta.mail.Part part) throws Exception {
        if (part.isMimeType("text/plain")) return (String) part.getContent();
        if (part.getContent() instanceof jakarta.mail.Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                String t = plainText(mp.getBodyPart(i));
                if (t != null) return t;
            }
        }
        return null;
    }

    private static JsonNode deliveryFrame(TestSocket socket, long messageId, String status) {
        return socket.await(f -> "message.updated".equals(f.path("type").asText())
                && f.path("data").path("id").asLong() == messageId
                && status.equals(f.path("data").path("data").path("delivery_status").asText()), Duration.ofSeconds(15));
    }

    @Test
    @Order(1)
    void aReplysDeliveryStateReachesTheAgentsSocketAsItMoves() {
        String psid = "2000000000000001";
        long c = customer(psid);
        try (TestSocket agent = TestSocket.agent(world.parley, world.owner, null)) {
            agent.await("welcome");
            String mid = "m_live_delivery_" + System.nanoTime();
            world.graph.nextMessageId(mid);
            long m = reply(c, "Your teapot ships today.");
            JsonNode sent = deliveryFrame(agent, m, "sent");
            assertThat(sent.path("conversation_id").asLong()).isEqualTo(c);
            assertThat(sent.path("data").path("text").asText()).isEqualTo("Your teapot ships today.");

            long now = System.currentTimeMillis();
            world.post(entry(PAGE, "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
                    + now + ",\"delivery\":{\"mids\":[\"" + mid + "\"],\"watermark\":" + now + "}}"));
            deliveryFrame(agent, m, "delivered");
            world.post(entry(PAGE, "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
                    + (now + 1) + ",\"read\":{\"watermark\":" + (now + 1) + "}}"));
            deliveryFrame(agent, m, "seen");
            assertThat(status(c, m)).isEqualTo("seen");

            // The customer's reaction reaches the thread the same way, and so does taking it back.
            String reaction = "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
                    + (now + 2) + ",\"reaction\":{\"reaction\":\"love\",\"emoji\":\"\u2764\ufe0f\",\"action\":\"%s\",\"mid\":\"" + mid + "\"}}";
            world.post(entry(PAGE, reaction.formatted("react")));
            JsonNode loved = agent.await(f -> "message.updated".equals(f.path("type").asText()) && f.path("data").path("id").asLong() == m
                    && f.path("data").path("data").path("messenger_reaction").has("emoji"), Duration.ofSeconds(15));
            assertThat(loved.path("data").path("data").path("messenger_reaction").path("emoji").asText()).isEqualTo("\u2764\ufe0f");
            assertThat(loved.path("data").path("data").path("delivery_status").asText()).isEqualTo("seen");
            world.post(entry(PAGE, reaction.formatted("unreact")));
            agent.await(f -> "message.updated".equals(f.path("type").asText()) && f.path("data").path("id").asLong() == m
                    && f.path("data").path("data").path("messenger_reaction").isNull(), Duration.ofSeconds(15));

            world.graph.failNext(400, 551, 1545041, "(#551) This person isn't available right now.");
            long refused = reply(c, "Are you still there?");
            JsonNode failed = deliveryFrame(agent, refused, "failed");
            assertThat(failed.path("data").path("data").path("delivery_fail_reason").asText()).isNotBlank();
            assertThat(status(c, refused)).isEqualTo("failed");
        }
    }

    @Test
    @Order(2)
    void anExpiredTokenMailsEachOwnerAndAdminOnceWithTheWayToReconnect() throws Exception {
        long c = customer("2000000000000002");
        world.graph.expire(MessengerWorld.TOKEN);
        long first = reply(c, "Here is your tracking number.");
        await("the reply failed", () -> "failed".equals(status(c, first)));
        await("two notices", () -> mail.getReceivedMessages().length >= 2);
        // More failures on the same dead token: replies, and a new customer's profile fetch.
        long second = reply(c, "Still there?");
        await("the second reply failed", () -> "failed".equals(status(c, second)));
        customer("2000000000000003");
        await("no notice job left", () -> !noticesPending());

        assertThat(recipients()).containsExactly("ada@teapot.example", TestParley.OWNER_EMAIL);
        MimeMessage notice = mail.getReceivedMessages()[0];
        assertThat(notice.getSubject()).contains("Teapot Corner");
        String body = plainText(notice);
        assertThat(body).contains("Teapot Corner").contains(PAGE).contains(":" + world.parley.port() + "/app/#/settings/messenger")
                .contains("Settings → Channels → Messenger").contains("Session has expired");

        // Reconnected with a fresh token, then that one fails too: a new failure, told once again.
        String fresh = "EAAGpageTokenTeapotCornerFresh";
        world.graph.page(PAGE, "Teapot Corner", fresh);
        world.owner.expect(201, "POST", "/v2/channels/messenger", Map.of("app_id", PARLEY_APP_ID, "app_secret", APP_SECRET,
                "verify_token", VERIFY_TOKEN, "page_id", PAGE, "page_access_token", fresh));
        world.graph.expire(fresh);
        long third = reply(c, "Back again.");
        await("the third reply failed", () -> "failed".equals(status(c, third)));
        await("two more notices", () -> mail.getReceivedMessages().length >= 4);
        await("no notice job left", () -> !noticesPending());
        assertThat(mail.getReceivedMessages()).hasSize(4);
    }
}
