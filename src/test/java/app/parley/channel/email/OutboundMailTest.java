package app.parley.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Agents' replies by email through a real SMTP server (GreenMail): the headers that keep a thread together in every
 * client, delivery status on the message, retries while the server is down (across a restart, one mail in the
 * end), a server that refuses the address, the account's own server in Settings, the test mail, and the IMAP door.
 */
class OutboundMailTest {
    static MailWorld world;

    @BeforeAll
    static void start() {
        world = new MailWorld(Map.of());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void aReplyCarriesTheThreadingHeadersBothPartsAndTheQuotedThread() throws Exception {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        MimeMessage first = sentMail(seed.outboundMessageId());
        byte[] reply = MailWorld.substituted("01-", "abc123", seed);
        String replyId = MailReader.messageId(MailReader.mime(reply), reply);
        world.deliver(reply, "reply+" + seed.token() + "@" + MailWorld.DOMAIN);
        world.processed(replyId);

        JsonNode sent = world.owner.expect(201, "POST", "/v2/conversations/" + seed.conversationId() + "/messages",
                Map.of("text", "Here is your invoice <img src=x onerror=alert(1)>", "channel", "email"));
        MimeMessage m = sentMail(sent.path("id").asLong());

        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo(MailWorld.SHOP);
        assertThat(from.getPersonal()).isEqualTo("Petra Novak (Test Shop)");
        assertThat(((InternetAddress) m.getReplyTo()[0]).getAddress()).isEqualTo("reply+" + seed.token() + "@" + MailWorld.DOMAIN);
        assertThat(m.getMessageID()).isEqualTo("<conversation/" + seed.token() + "/messages/" + sent.path("id").asLong()
                + "@" + MailWorld.DOMAIN + ">");
        assertThat(first.getHeader("In-Reply-To")).as("a first mail answers nothing").isNull();
        assertThat(m.getHeader("In-Reply-To", null)).isEqualTo(replyId);
        assertThat(MailReader.ids(m.getHeader("References", " "))).containsExactly(seed.messageId(), replyId);
        assertThat(m.getSubject()).isEqualTo("Re: " + first.getSubject());
        byte[] firstIndex = Base64.getDecoder().decode(first.getHeader("Thread-Index", null));
        byte[] index = Base64.getDecoder().decode(m.getHeader("Thread-Index", null));
        assertThat(firstIndex).hasSize(22);
        assertThat(index).hasSize(22 + 5 * 2);
        assertThat(Arrays.copyOf(index, 22)).isEqualTo(firstIndex);
        assertThat(m.getHeader("Return-Path", null)).contains("reply+" + seed.token() + "@" + MailWorld.DOMAIN);

        Multipart alternative = (Multipart) m.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        String plain = (String) alternative.getBodyPart(0).getContent();
        String html = (String) alternative.getBodyPart(1).getContent();
        assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(plain).contains("Here is your invoice").contains("> Hi Petra,");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
        assertThat(html).contains("<blockquote").contains("Could you also send me the invoice as a");

        assertThat(await(sent.path("id").asLong(), "sent").path("data").has("delivery_fail_reason")).isFalse();
    }

    /** Issue #12 / #18: an agent's file in an email conversation goes out as a MIME attachment of the reply. */
    @Test
    void anAgentsFileGoesOutAsAnAttachmentOfTheReplyMail() throws Exception {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String name = java.net.URLEncoder.encode("Faktura č. A 4242 4242 4242 4242.pdf", java.nio.charset.StandardCharsets.UTF_8);
        JsonNode sent = world.owner.bytes("POST", "/v2/conversations/" + seed.conversationId() + "/files?channel=email&name=" + name, pdf);
        assertThat(world.owner.lastStatus).as(sent.toString()).isEqualTo(201);
        assertThat(sent.path("channel").asText()).isEqualTo("email");
        assertThat(sent.path("data").path("delivery_status").asText()).isEqualTo("sending");
        MimeMessage m = sentMail(sent.path("id").asLong());

        Multipart mixed = (Multipart) m.getContent();
        assertThat(mixed.getContentType()).startsWith("multipart/mixed");
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(((Multipart) mixed.getBodyPart(0).getContent()).getContentType()).startsWith("multipart/alternative");
        var file = mixed.getBodyPart(1);
        assertThat(file.getDisposition()).isEqualToIgnoringCase("attachment");
        assertThat(file.getContentType()).startsWith("application/pdf");
        assertThat(file.getFileName()).isEqualTo("Faktura č. A **** **** **** 4242.pdf");
        assertThat(file.getInputStream().readAllBytes()).isEqualTo(pdf);
        assertThat(await(sent.path("id").asLong(), "sent").path("data").path("file").path("name").asText())
                .isEqualTo("Faktura č. A **** **** **** 4242.pdf");
    }

    @Test
    void whileTheServerIsDownTheMailWaitsAndGoesExactlyOnceAfterARestart() throws Exception {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        world.owner.put("/v2/account/email", Map.of("smtp_host", "127.0.0.1", "smtp_port", closed,
                "from_address", MailWorld.SHOP, "smtp_user", "shop", "smtp_password", "s3cret-pass"));
        try {
            JsonNode sent = world.owner.expect(201, "POST", "/v2/conversations/" + seed.conversationId() + "/messages",
                    Map.of("text", "A reply while the server is down", "channel", "email"));
            long id = sent.path("id").asLong();
            MailWorld.await(() -> world.count("SELECT count(*) FROM jobs WHERE kind = 'email.send' AND payload = ? AND last_error IS NOT NULL",
                    Long.toString(id)) > 0 ? true : null);
            assertThat(message(seed.conversationId(), id).path("data").path("delivery_status").asText()).isEqualTo("sending");

            world.app.restart();
            world.owner.put("/v2/account/email", Map.of("smtp_host", "", "from_address", MailWorld.SHOP));
            await(id, "sent");
            world.app.parley().jobs().drain();
            long copies = Arrays.stream(world.mail.getReceivedMessages())
                    .filter(m -> MailWorld.messageIdOf(m).contains("/messages/" + id + "@")).count();
            assertThat(copies).isEqualTo(1);
        } finally {
            world.owner.put("/v2/account/email", Map.of("smtp_host", "", "from_address", MailWorld.SHOP));
        }
    }

    @Test
    void aServerThatRefusesTheAddressFailsTheMessageWithItsReason() {
        SMTPServer refusing = SMTPServer.port(0).messageHandlerFactory(ctx -> new org.subethamail.smtp.MessageHandler() {
            public void from(String from) {}

            public void recipient(String r) throws RejectException {
                throw new RejectException(550, "5.1.1 <" + r + ">: Recipient address rejected: User unknown");
            }

            public String data(java.io.InputStream in) {
                return null;
            }

            public void done() {}
        }).build();
        refusing.start();
        try {
            world.owner.put("/v2/account/email", Map.of("smtp_host", "127.0.0.1", "smtp_port", refusing.getPortAllocated(),
                    "from_address", MailWorld.SHOP));
            MailWorld.Seed seed = seedWithoutWaiting("nobody@example.net");
            JsonNode failed = await(seed.outboundMessageId(), "failed");
            assertThat(failed.path("data").path("delivery_fail_reason").asText()).contains("550").contains("User unknown");

            JsonNode test = world.owner.expect(409, "POST", "/v2/account/email/test", Map.of("to", "nobody@example.net"));
            assertThat(test.path("error").path("code").asText()).isEqualTo("smtp_failed");
            assertThat(test.path("error").path("message").asText()).contains("550");
        } finally {
            refusing.stop();
            world.owner.put("/v2/account/email", Map.of("smtp_host", "", "from_address", MailWorld.SHOP));
        }
    }

    @Test
    void settingsNeverReturnThePasswordAndOnlyAdminsChangeThem() {
        JsonNode saved = world.owner.put("/v2/account/email", Map.of("smtp_host", "smtp.shop.example", "smtp_port", 587,
                "smtp_user", "shop", "smtp_password", "very-secret-password", "smtp_tls", true, "from_address", MailWorld.SHOP));
        assertThat(saved.path("password_set").asBoolean()).isTrue();
        assertThat(saved.toString()).doesNotContain("very-secret-password");
        assertThat(world.owner.get("/v2/account/email").toString()).doesNotContain("very-secret-password");
        world.owner.put("/v2/account/email", Map.of("smtp_host", "", "from_address", MailWorld.SHOP));
        assertThat(world.owner.get("/v2/account/email").path("source").asText()).isEqualTo("instance");

        var agent = world.app.createAgent("agent.mail@shop.test", "Agent Mail", "agent-password-1", "agent");
        agent.expect(403, "GET", "/v2/account/email", null);
        agent.expect(403, "PUT", "/v2/account/email", Map.of("smtp_host", "evil.example"));
        world.owner.expect(422, "PUT", "/v2/account/email", Map.of("smtp_host", "smtp.example", "from_address", "not an address"));
    }

    @Test
    void theTestMailGoesThroughTheServer() {
        int before = world.mail.getReceivedMessages().length;
        JsonNode answer = world.owner.expect(200, "POST", "/v2/account/email/test", Map.of("to", "owner-inbox@shop.test"));
        assertThat(answer.path("sent").asBoolean()).isTrue();
        MimeMessage m = MailWorld.await(() -> Arrays.stream(world.mail.getReceivedMessages()).skip(0)
                .filter(x -> MailWorld.recipient(x).equals("owner-inbox@shop.test")).findFirst().orElse(null));
        assertThat(world.mail.getReceivedMessages().length).isGreaterThan(before);
        assertThat(m).isNotNull();
    }

    @Test
    void emailNeedsAKnownAddressAndAKnownChannel() {
        long conversationId;
        try (var v = app.parley.testing.TestSocket.visitor(world.app, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "message", "client_id", app.parley.testing.TestSocket.clientId(), "text", "Hi"));
            conversationId = v.await(f -> "ack".equals(f.path("type").asText())).path("message").path("conversation_id").asLong();
        }
        JsonNode refused = world.owner.expect(422, "POST", "/v2/conversations/" + conversationId + "/messages",
                Map.of("text", "By mail", "channel", "email"));
        assertThat(refused.path("error").path("field").asText()).isEqualTo("channel");
        assertThat(world.owner.get("/v2/conversations/" + conversationId + "/email").path("can_email").asBoolean()).isFalse();
        world.owner.expect(422, "POST", "/v2/conversations/" + conversationId + "/messages",
                Map.of("text", "By pigeon", "channel", "pigeon"));
        assertThat(world.messages(conversationId).size()).as("nothing half-written").isEqualTo(1);
    }

    @Test
    void aMailInTheShopsMailboxIsReadByImap() {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        byte[] raw = MailWorld.substituted("07-", "abc123", seed);
        String messageId = MailReader.messageId(MailReader.mime(raw), raw);
        world.deliverToMailbox(raw);
        assertThat(world.processed(messageId)).isEqualTo("threaded");
        assertThat(world.count("SELECT count(*) FROM email_inbound WHERE message_id = ? AND via = 'imap'", messageId)).isEqualTo(1);
        List<JsonNode> mine = StreamSupport.stream(world.messages(seed.conversationId()).spliterator(), false)
                .filter(x -> "contact".equals(x.path("sub_type").asText())).toList();
        assertThat(mine.getLast().path("text").asText()).startsWith("Got it, thanks!");
    }

    @Test
    void anAgentSendsTheTranscriptWithoutNotes() throws Exception {
        MailWorld.Seed seed = world.seed("transcript.reader@example.com");
        world.owner.expect(201, "POST", "/v2/conversations/" + seed.conversationId() + "/messages",
                Map.of("type", "note", "text", "Internal: VIP customer"));
        JsonNode queued = world.owner.expect(202, "POST", "/v2/conversations/" + seed.conversationId() + "/transcript", Map.of());
        assertThat(queued.path("to").asText()).isEqualTo("transcript.reader@example.com");
        MimeMessage m = MailWorld.await(() -> Arrays.stream(world.mail.getReceivedMessages())
                .filter(x -> MailWorld.recipient(x).equals("transcript.reader@example.com"))
                .filter(x -> { try { return x.getSubject().startsWith("Your conversation with"); } catch (Exception e) { return false; } })
                .findFirst().orElse(null));
        String text = (String) ((Multipart) m.getContent()).getBodyPart(0).getContent();
        assertThat(text).contains("Where is my order?").contains("Hello, your order left our warehouse today.")
                .doesNotContain("VIP customer");

        long other;
        try (var v = app.parley.testing.TestSocket.visitor(world.app, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "message", "client_id", app.parley.testing.TestSocket.clientId(), "text", "No address"));
            other = v.await(f -> "ack".equals(f.path("type").asText())).path("message").path("conversation_id").asLong();
        }
        assertThat(world.owner.expect(422, "POST", "/v2/conversations/" + other + "/transcript", Map.of())
                .path("error").path("field").asText()).isEqualTo("email");
    }

    private MailWorld.Seed seedWithoutWaiting(String email) {
        long conversationId;
        try (var v = app.parley.testing.TestSocket.visitor(world.app, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "message", "client_id", app.parley.testing.TestSocket.clientId(), "text", "Hello"));
            conversationId = v.await(f -> "ack".equals(f.path("type").asText())).path("message").path("conversation_id").asLong();
        }
        world.owner.patch("/v2/visitors/" + world.owner.get("/v2/conversations/" + conversationId).path("visitor_id").asLong(),
                Map.of("email", email));
        JsonNode sent = world.owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                Map.of("text", "Your filter ships today", "channel", "email"));
        return new MailWorld.Seed(conversationId, null, null, sent.path("id").asLong());
    }

    private static MimeMessage sentMail(long messageId) {
        return MailWorld.await(() -> Arrays.stream(world.mail.getReceivedMessages())
                .filter(m -> MailWorld.messageIdOf(m).contains("/messages/" + messageId + "@")).findFirst().orElse(null));
    }

    private static JsonNode message(long conversationId, long id) {
        return StreamSupport.stream(world.messages(conversationId).spliterator(), false)
                .filter(m -> m.path("id").asLong() == id).findFirst().orElseThrow();
    }

    /** Waits for the message's delivery status, as the thread shows it. */
    private static JsonNode await(long messageId, String status) {
        long conversationId = world.count("SELECT conversation_id FROM messages WHERE id = ?", messageId);
        return MailWorld.await(() -> {
            JsonNode m = message(conversationId, messageId);
            return status.equals(m.path("data").path("delivery_status").asText()) ? m : null;
        });
    }
}
