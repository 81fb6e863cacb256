package app.parley.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every shared mail fixture (../shared/testdata/mail/README.md) through Parley's own SMTP listener, from a
 * conversation whose first mail Parley really sent through GreenMail, with the generated token and Message-ID
 * substituted: the README's outcome for each, and the visible text the agent reads.
 */
class InboundMailTest {
    static MailWorld world;

    @BeforeAll
    static void start() {
        world = new MailWorld(Map.of());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @ParameterizedTest(name = "{0} threads into its conversation")
    @CsvSource(delimiter = '|', textBlock = """
            01 | abc123 | jane.cooper@example.com | Hi Petra, Thanks, the tracking link works now. Could you also send me the invoice as a PDF? I need it for my expense report. Jane |
            02 | abc123 | jane.cooper@example.com | Hi Petra, Thanks a lot. The parcel arrived this morning, but the lid of the teapot is cracked. Could you send me a replacement lid, or should I return the whole teapot? Best regards, Jane |
            03 | abc123 | jane.cooper@example.com | Hello again, I forgot to ask: will the replacement lid also be sent for free, or do I have to pay for shipping this time? Jane |
            04 | abc123 | jane.cooper@example.com | One more thing: if I'm not at home, could the courier leave the parcel with my neighbour at no. 12? Thanks, Jane |
            05 | abc123 | jane.cooper@example.com | Thanks Petra – that’s great news! I’ll keep an eye on the tracking page. Jane |
            06 | abc123 | jane.cooper@example.com | Perfect, thank you! I will be at home on Monday, so the courier can deliver it any time. | -- Jane Cooper +44 20 7946 0958
            07 | abc123 | jane.cooper@example.com | Got it, thanks! Will the courier call me before the delivery? | Sent from my iPhone
            08 | q7f3zt | camille.martin@example.net | Bonjour Petra, Merci beaucoup ! Je préfère la livraison en point relais, au Relais Colis de la rue Oberkampf si possible. Cordialement, Camille |
            09 | m2x9ke | lucia.fernandez@example.org | Hola, Petra: A un punto de recogida, por favor. El de la calle Alcalá 120 me viene perfecto. Gracias, Lucía |
            10 | abc123 | jane.cooper@example.com | The parcel is here, but one of the two blue mugs is missing. Can you send it separately? Jane | Get Outlook for Android
            11 | abc123 | jane.cooper@example.com | Here is a photo of the cracked lid, as you asked. Jane |
            12 | abc123 | jane.cooper@example.com | Hi Petra, Different topic: do you offer gift wrapping? I would like to order the green teapot as a present for my sister next week. Jane |
            """)
    void aReplyThreadsIntoItsConversationReopensItAndShowsOnlyWhatWasWritten(String fixture, String readmeToken,
                                                                             String visitor, String expected, String mayEndWith) {
        MailWorld.Seed seed = world.seed(visitor);
        world.owner.expect(200, "POST", "/v2/conversations/" + seed.conversationId() + "/resolve", Map.of());
        byte[] raw = MailWorld.substituted(fixture + "-", readmeToken, seed);
        String messageId = MailReader.messageId(MailReader.mime(raw), raw);
        world.deliver(raw, deliveredTo(raw));
        assertThat(world.processed(messageId)).isEqualTo("threaded");

        JsonNode last = lastContactMessage(seed.conversationId());
        assertThat(last.path("channel").asText()).isEqualTo("email");
        MailWorld.assertVisible(last.path("text").asText(), expected, mayEndWith);
        assertThat(world.owner.get("/v2/conversations/" + seed.conversationId()).path("status").asText())
                .as("a reply reopens a resolved conversation").isEqualTo("open");
    }

    @Test
    void theSameMessageIdIsStoredOnce() {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        byte[] raw = MailWorld.substituted("01-", "abc123", seed);
        String messageId = MailReader.messageId(MailReader.mime(raw), raw);
        world.deliver(raw, deliveredTo(raw));
        world.processed(messageId);
        world.deliver(raw, deliveredTo(raw));
        world.app.parley().jobs().drain();
        assertThat(contactMessages(seed.conversationId())).hasSize(2); // the chat message and the mail
        assertThat(world.count("SELECT count(*) FROM email_inbound WHERE message_id = ?", messageId)).isEqualTo(1);
    }

    @Test
    void attachmentIsStoredAndServed_11() throws Exception {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        byte[] raw = MailWorld.substituted("11-", "abc123", seed);
        String messageId = MailReader.messageId(MailReader.mime(raw), raw);
        world.deliver(raw, deliveredTo(raw));
        world.processed(messageId);
        JsonNode last = lastContactMessage(seed.conversationId());
        JsonNode file = last.path("data").path("email").path("attachments").get(0);
        assertThat(file.path("name").asText()).isEqualTo("cracked-lid.png");
        assertThat(file.path("content_type").asText()).isEqualTo("image/png");
        assertThat(file.path("size").asInt()).isEqualTo(177);
        var response = world.owner.client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(world.app.baseUrl()
                        + "/v2/conversations/" + seed.conversationId() + "/messages/" + last.path("id").asLong() + "/attachments/0"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(response.body())))
                .isEqualTo("32fcdb49a387df51fc3ae4cf4f3edfd2086160fe15107a4360a56c82b63c4281");
    }

    @Test
    void aForwardToThePublicAddressStartsANewConversation_13() {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        int before = contactMessages(seed.conversationId()).size();
        byte[] raw = MailWorld.substituted("13-", "abc123", seed);
        String messageId = MailReader.messageId(MailReader.mime(raw), raw);
        world.deliver(raw, MailWorld.SHOP);
        assertThat(world.processed(messageId)).isEqualTo("threaded");
        long conversationId = world.count("SELECT conversation_id FROM email_inbound WHERE message_id = ?", messageId);
        assertThat(conversationId).isNotEqualTo(seed.conversationId());
        JsonNode c = world.owner.get("/v2/conversations/" + conversationId);
        assertThat(c.path("channel").path("type").asText()).isEqualTo("email");
        assertThat(c.path("visitor").path("name").asText()).isEqualTo("Mark Lee");
        assertThat(c.path("visitor").path("email").asText()).isEqualTo("mark.lee@example.org");
        assertThat(lastContactMessage(conversationId).path("data").path("email").path("subject").asText())
                .isEqualTo("Fwd: Fwd: Your question about order #1042");
        assertThat(MailFixtures.visible(lastContactMessage(conversationId).path("text").asText())).startsWith(
                "Hello, I'm Jane's colleague and I handle the invoices for our office. Could you issue the invoice for "
                        + "order #1042 to our company, Cooper & Lee Ltd, VAT number GB123456789? Jane forwarded me your "
                        + "message, see below. Thanks, Mark Lee");
        assertThat(contactMessages(seed.conversationId())).as("abc123 unchanged").hasSize(before);
    }

    @ParameterizedTest(name = "{0} is ignored")
    @CsvSource({"14", "15"})
    void anAutoReplyNeitherThreadsNorReopens(String fixture) {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        world.owner.expect(200, "POST", "/v2/conversations/" + seed.conversationId() + "/resolve", Map.of());
        long conversations = world.count("SELECT count(*) FROM conversations");
        int before = contactMessages(seed.conversationId()).size();
        int sent = world.mail.getReceivedMessages().length;
        byte[] raw = MailWorld.substituted(fixture + "-", "abc123", seed);
        String messageId = MailReader.messageId(MailReader.mime(raw), raw);
        world.deliver(raw, deliveredTo(raw));
        assertThat(world.processed(messageId)).isEqualTo("ignored");
        assertThat(contactMessages(seed.conversationId())).hasSize(before);
        assertThat(world.count("SELECT count(*) FROM conversations")).isEqualTo(conversations);
        assertThat(world.owner.get("/v2/conversations/" + seed.conversationId()).path("status").asText()).isEqualTo("closed");
        assertThat(world.mail.getReceivedMessages()).as("nothing sent back").hasSize(sent);
    }

    @Test
    void aBounceMarksTheMailFailedWithTheReasonAndNeverReopens_16() {
        world.owner.expect(201, "POST", "/v2/webhooks", Map.of("url", "http://127.0.0.1:9/hook",
                "events", List.of("conversation.message_delivery_failed")));
        MailWorld.Seed seed = world.seed("petr.svoboda@example.net");
        world.owner.expect(200, "POST", "/v2/conversations/" + seed.conversationId() + "/resolve", Map.of());
        int before = contactMessages(seed.conversationId()).size();
        byte[] raw = MailWorld.substituted("16-", "t5u8vb", seed);
        String messageId = MailReader.messageId(MailReader.mime(raw), raw);
        world.deliver(raw, deliveredTo(raw));
        assertThat(world.processed(messageId)).isEqualTo("bounce");
        JsonNode sent = StreamSupport.stream(world.messages(seed.conversationId()).spliterator(), false)
                .filter(m -> m.path("id").asLong() == seed.outboundMessageId()).findFirst().orElseThrow();
        assertThat(sent.path("data").path("delivery_status").asText()).isEqualTo("failed");
        assertThat(sent.path("data").path("delivery_fail_reason").asText()).contains("5.1.1").containsIgnoringCase("user unknown");
        assertThat(contactMessages(seed.conversationId())).hasSize(before);
        assertThat(world.owner.get("/v2/conversations/" + seed.conversationId()).path("status").asText()).isEqualTo("closed");
        MailWorld.await(() -> world.count("SELECT count(*) FROM webhook_deliveries WHERE event = 'conversation.message_delivery_failed'"
                + " AND conversation_id = ?", seed.conversationId()) == 1 ? true : null);
    }

    @Test
    void cardNumbersAreMaskedInSubjectTextAttachmentNameAndRawSource() {
        MailWorld.Seed seed = world.seed("jane.cooper@example.com");
        String card = "4111 1111 1111 1111";
        String mail = """
                From: Jane Cooper <jane.cooper@example.com>\r
                To: reply+%s@%s\r
                Subject: Card %s\r
                Message-ID: <card-test-%s@example.com>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b"\r
                \r
                --b\r
                Content-Type: text/html; charset=UTF-8\r
                \r
                <p>My card is %s <img src=x onerror=alert(1)></p>\r
                --b\r
                Content-Type: application/pdf; name="card-%s.pdf"\r
                Content-Disposition: attachment; filename="card-%s.pdf"\r
                Content-Transfer-Encoding: base64\r
                \r
                JVBERi0xLjQK\r
                --b--\r
                """.formatted(seed.token(), MailWorld.DOMAIN, card, seed.token(), card, card.replace(" ", ""), card.replace(" ", ""));
        byte[] raw = mail.getBytes(StandardCharsets.UTF_8);
        world.deliver(raw, "reply+" + seed.token() + "@" + MailWorld.DOMAIN);
        assertThat(world.processed("<card-test-" + seed.token() + "@example.com>")).isEqualTo("threaded");
        JsonNode last = lastContactMessage(seed.conversationId());
        assertThat(last.path("text").asText()).contains("**** **** **** 1111").doesNotContain("4111 1111 1111 1111")
                .doesNotContain("<img");
        assertThat(last.path("data").path("email").path("subject").asText()).doesNotContain("4111 1111 1111 1111");
        assertThat(last.path("data").path("email").path("attachments").get(0).path("name").asText()).doesNotContain("4111111111111111");
        String stored = world.app.parley().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT convert_from(raw, 'LATIN1') FROM email_inbound WHERE message_id = :m")
                .bind("m", "<card-test-" + seed.token() + "@example.com>").mapTo(String.class).one());
        assertThat(stored).doesNotContain("4111 1111 1111 1111").doesNotContain("4111111111111111");
        assertThat(world.count("SELECT count(*) FROM files WHERE filename LIKE '%4111111111111111%'")).isZero();
    }

    /**
     * Issue #11 §5: a shopper the shop verified by email, who also writes by mail from that address, sees the mail in
     * their card's history, linked (a From header proves nothing, so it is not merged into their contact, and a
     * visitor who only typed that address gets nothing of it).
     */
    @Test
    void aMailFromAVerifiedShoppersAddressIsLinkedInTheirCardsHistoryNotMerged() throws Exception {
        String email = "dana.linked@example.com";
        String hash = world.app.identityHash(email);
        long verified = chatVisitorWho(Map.of("type", "identify", "email", email, "hash", hash), "Asked in the chat");
        long typed = chatVisitorWho(Map.of("type", "identify", "email", email), "Typed her address");

        String messageId = "<linked-1@example.com>";
        byte[] raw = ("From: Dana <" + email + ">\r\nTo: " + MailWorld.SHOP + "\r\nSubject: My order\r\nMessage-ID: "
                + messageId + "\r\nDate: Mon, 7 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Writing by mail this time.\r\n").getBytes(StandardCharsets.UTF_8);
        world.deliver(raw, MailWorld.SHOP);
        world.processed(messageId);
        long mailConversation = world.count("SELECT conversation_id FROM email_inbound WHERE message_id = ?", messageId);

        JsonNode card = world.owner.get("/v2/visitors/" + verified);
        JsonNode linked = StreamSupport.stream(card.path("conversations").spliterator(), false)
                .filter(c -> c.path("id").asLong() == mailConversation).findFirst().orElseThrow();
        assertThat(linked.path("channel").asText()).isEqualTo("email");
        assertThat(linked.path("sender_verified").asBoolean()).isFalse();
        assertThat(card.path("conversations")).hasSize(2);
        long mailVisitor = world.owner.get("/v2/conversations/" + mailConversation).path("visitor_id").asLong();
        assertThat(world.owner.get("/v2/visitors/" + mailVisitor).path("contact_id").asLong())
                .as("not merged").isNotEqualTo(card.path("contact_id").asLong());
        JsonNode typedCard = world.owner.get("/v2/visitors/" + typed);
        assertThat(typedCard.path("conversations")).hasSize(1);
    }

    private static long chatVisitorWho(Map<String, Object> identify, String text) {
        try (app.parley.testing.TestSocket v = app.parley.testing.TestSocket.visitor(world.app, null, null)) {
            v.await("welcome");
            v.send(identify);
            String clientId = app.parley.testing.TestSocket.clientId();
            v.send(Map.of("type", "message", "client_id", clientId, "text", text));
            long conversationId = v.await(f -> "ack".equals(f.path("type").asText()) && clientId.equals(f.path("client_id").asText()))
                    .path("message").path("conversation_id").asLong();
            return world.owner.get("/v2/conversations/" + conversationId).path("visitor_id").asLong();
        }
    }

    @Test
    void theListenerRefusesAddressesThatReachNoAccount() {
        byte[] raw = MailFixtures.raw("01-");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world.deliver(raw, "someone@elsewhere.example"))
                .hasStackTraceContaining("550 5.1.1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world.deliver(raw, "reply+zzzzzzzzzz@" + MailWorld.DOMAIN))
                .hasStackTraceContaining("550 5.1.1");
    }

    static String deliveredTo(byte[] raw) {
        try {
            return MailReader.mime(raw).getHeader("Delivered-To", null).strip();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<JsonNode> contactMessages(long conversationId) {
        return StreamSupport.stream(world.messages(conversationId).spliterator(), false)
                .filter(m -> "contact".equals(m.path("sub_type").asText()) && "message".equals(m.path("kind").asText()))
                .toList();
    }

    static JsonNode lastContactMessage(long conversationId) {
        return contactMessages(conversationId).getLast();
    }
}
