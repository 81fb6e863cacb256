package app.parley.notify;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.Await;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline-message and missed-conversation mails (issue #12, point 4) through a real SMTP server: one mail per
 * burst with the visitor's messages, the card and a link; none when the agent came online, read it, turned it
 * off, or (missed) someone joined; and a restart inside the delay still sends it. The delay is 1.5 s here.
 */
class NotificationMailTest {
    static GreenMail mail;
    static TestParley app;
    static TestParley.Api owner;

    @BeforeAll
    static void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        app = TestParley.start(Map.of("PARLEY_SMTP_HOST", "127.0.0.1", "PARLEY_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                "PARLEY_SMTP_FROM", "Test Shop <support@shop.example>", "PARLEY_NOTIFY_DELAY_MILLIS", "1500",
                "PARLEY_BACKBONE_POLL_MS", "300", "PARLEY_PUBLIC_URL", "https://chat.shop.example"));
        owner = app.owner();
    }

    @AfterAll
    static void stop() {
        app.close();
        mail.stop();
    }

    @Test
    void anOfflineMessageMailsOncePerBurstEvenAcrossARestart() throws Exception {
        status("offline");
        long conversationId = visitorWrites("Jane", "Do you ship to Norway?", "And how long does it take? <img src=x onerror=alert(1)>");
        app.restart();
        owner = app.owner();
        MimeMessage m = awaitMail(conversationId);
        settled(conversationId);
        assertThat(mailsAbout(conversationId)).as("one mail for the burst").hasSize(1);
        assertThat(m.getSubject()).isEqualTo("New message from Jane while you were offline");
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        Multipart parts = (Multipart) m.getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(text).contains("Do you ship to Norway?", "And how long does it take?", "Name: Jane",
                "https://chat.shop.example/app/#/conversations/all/" + conversationId);
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
    }

    @Test
    void noMailWhenTheAgentCameOnlineMeanwhile() {
        status("offline");
        long conversationId = visitorWrites("Kim", "Hello?");
        status("online");
        settled(conversationId);
        assertThat(mailsAbout(conversationId)).isEmpty();
        status("offline");
    }

    @Test
    void noMailWhenTheAgentReadIt() {
        status("offline");
        long conversationId = visitorWrites("Lee", "Is anyone there?");
        owner.post("/v2/conversations/" + conversationId + "/read", Map.of());
        settled(conversationId);
        assertThat(mailsAbout(conversationId)).isEmpty();
    }

    @Test
    void noMailWhenTheAgentTurnedItOff() {
        status("offline");
        JsonNode off = owner.put("/v2/me/notifications", Map.of("offline_message", false));
        assertThat(off.path("offline_message").asBoolean()).isFalse();
        assertThat(off.path("missed_conversation").asBoolean()).isTrue();
        try {
            long conversationId = visitorWrites("Max", "Hi there");
            settled(conversationId);
            assertThat(mailsAbout(conversationId)).isEmpty();
        } finally {
            owner.put("/v2/me/notifications", Map.of("offline_message", true));
        }
    }

    @Test
    void aMissedConversationMailsUnlessSomeoneJoined() {
        status("online");
        try {
            long missed = visitorWrites("Noa", "Quick question about sizes");
            long joined = visitorWrites("Ola", "Another question");
            owner.post("/v2/conversations/" + joined + "/join", Map.of());
            MimeMessage m = awaitMail(missed);
            settled(joined);
            assertThat(subject(m)).isEqualTo("Missed conversation with Noa");
            assertThat(mailsAbout(joined)).isEmpty();
        } finally {
            status("offline");
        }
    }

    private static void status(String s) {
        owner.patch("/auth/me", Map.of("status", s));
    }

    /** A new visitor gives their name and writes; the conversation's id. */
    private static long visitorWrites(String name, String... texts) {
        try (TestSocket v = TestSocket.visitor(app, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "identify", "name", name));
            long id = 0;
            for (String t : texts) {
                String clientId = TestSocket.clientId();
                v.send(Map.of("type", "message", "client_id", clientId, "text", t));
                id = v.await(f -> "ack".equals(f.path("type").asText()) && clientId.equals(f.path("client_id").asText()))
                        .path("message").path("conversation_id").asLong();
            }
            return id;
        }
    }

    /** Waits until the conversation's burst is checked and its mails are handed over (nothing left to do). */
    private static void settled(long conversationId) {
        await(() -> app.parley().database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT NOT EXISTS (SELECT 1 FROM notification_bursts WHERE conversation_id = :c)
                           AND NOT EXISTS (SELECT 1 FROM jobs WHERE kind LIKE 'notify.%' AND state <> 'dead')""")
                .bind("c", conversationId).mapTo(Boolean.class).one()) ? true : null);
    }

    private static List<MimeMessage> mailsAbout(long conversationId) {
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("/app/#/conversations/all/" + conversationId + "\\s");
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> link.matcher(body(m)).find()).toList();
    }

    private static MimeMessage awaitMail(long conversationId) {
        return await(() -> mailsAbout(conversationId).stream().findFirst().orElse(null));
    }

    private static String body(MimeMessage m) {
        try {
            return (String) ((Multipart) m.getContent()).getBodyPart(0).getContent();
        } catch (Exception e) {
            return "";
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(Supplier<T> probe) {
        return Await.value(probe);
    }
}
