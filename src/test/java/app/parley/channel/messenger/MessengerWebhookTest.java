package app.parley.channel.messenger;

import static app.parley.channel.messenger.MessengerWorld.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import app.parley.core.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Meta's webhook (issue #13, point 2): the subscription check, signatures on the raw bytes, and each payload of
 * /work/shared/testdata/messenger with the effect its README states. The payloads build on each other (the README's
 * world: visitor A writes, the shop answers, Meta reports delivery and reading), so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessengerWebhookTest {
    private static MessengerWorld world;

    record Row(long id, String text, String subType, String clientId, OffsetDateTime createdAt, String data, long conversationId) {}

    @BeforeAll
    static void start() throws Exception {
        world = new MessengerWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static List<Row> messages(String psid) {
        return world.jdbi().withHandle(h -> h.createQuery("""
                        SELECT m.id, m.text, m.sub_type, m.client_id, m.created_at, m.data::text, m.conversation_id
                        FROM messages m JOIN conversations c ON c.id = m.conversation_id
                        JOIN messenger_contacts mc ON mc.visitor_id = c.visitor_id
                        WHERE mc.psid = :p AND m.kind = 'message' ORDER BY m.id""")
                .bind("p", psid)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class), rs.getString(6), rs.getLong(7))).list());
    }

    private static Row byMid(String mid) {
        return world.jdbi().withHandle(h -> h.createQuery("""
                        SELECT m.id, m.text, m.sub_type, m.client_id, m.created_at, m.data::text, m.conversation_id
                        FROM messages m JOIN messenger_messages mm ON mm.message_id = m.id WHERE mm.mid = :mid""")
                .bind("mid", mid)
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class), rs.getString(6), rs.getLong(7))).one());
    }

    private static int count(String sql, Object... binds) {
        return world.jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < binds.length; i++) q.bind(i, binds[i]);
            return q.mapTo(Integer.class).one();
        });
    }

    @Test
    @Order(1)
    void subscriptionIsVerifiedWithTheConfiguredToken() {
        HttpResponse<String> ok = world.get("/webhooks/messenger?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=1158201444");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(world.get("/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444").statusCode()).isEqualTo(403);
        assertThat(world.get("/webhooks/messenger?hub.mode=unsubscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=1").statusCode()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void unsignedWronglySignedOrSha1OnlyBodiesAreRefusedAndNothingIsStored() throws Exception {
        byte[] body = payload("text-message.json");
        // The README's worked example: the signature is over these exact bytes.
        assertThat(sign(body)).isEqualTo("sha256=7bef8c62f9d92c0df61ac76005588ce1b6d7a3f35f945f725b3c8670241fd8df");
        assertThat(world.post(body, "X-Hub-Signature-256", null).statusCode()).isEqualTo(401);
        assertThat(world.post(body, "X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567").statusCode()).isEqualTo(401);
        assertThat(world.post(body, "X-Hub-Signature-256", "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(403);
        assertThat(world.post(body, "X-Hub-Signature-256", "sha256=nothex").statusCode()).isEqualTo(403);
        // Re-serialised JSON (the \/ and \\u escapes gone) no longer matches the signature Meta made over the bytes.
        byte[] reserialised = Json.write(Json.tree(new String(body, StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        assertThat(world.post(reserialised, "X-Hub-Signature-256", sign(body)).statusCode()).isEqualTo(403);
        HttpResponse<String> refused = world.post(body, "X-Hub-Signature-256", "sha256=" + "0".repeat(64));
        assertThat(Json.tree(refused.body()).path("error").path("code").asText()).isEqualTo("signature_invalid");
        assertThat(count("SELECT count(*) FROM messenger_inbox")).isZero();
        assertThat(count("SELECT count(*) FROM messages")).isZero();
    }

    @Test
    @Order(3)
    void textMessageOpensAFacebookConversationWithTheExactTextTimeAndMid() throws Exception {
        HttpResponse<String> r = world.post(payload("text-message.json"));
        assertThat(r.statusCode()).isEqualTo(200);
        // Stored before the answer: the body is in the table once Meta has its 200.
        assertThat(count("SELECT count(*) FROM messenger_inbox")).isEqualTo(1);
        world.processed();
        List<Row> rows = messages(VISITOR_A);
        assertThat(rows).hasSize(1);
        Row m = rows.getFirst();
        assertThat(m.text()).isEqualTo("Hi! Do you ship to Slovakia? I’d need the teapot by Friday 🚚");
        assertThat(m.subType()).isEqualTo("contact");
        assertThat(m.clientId()).isEqualTo(byMid(m.clientId()).clientId()).startsWith("m_");
        assertThat(m.createdAt().toInstant()).isEqualTo(Instant.parse("2026-11-20T14:40:03.118Z"));
        JsonNode conversation = world.owner.get("/v2/conversations/" + m.conversationId());
        assertThat(conversation.path("channel").path("type").asText()).isEqualTo("facebook");
        assertThat(conversation.path("status").asText()).isEqualTo("open");
        JsonNode api = world.owner.get("/v2/conversations/" + m.conversationId() + "/messages").path("items");
        assertThat(api.get(0).path("channel").asText()).isEqualTo("facebook");
        assertThat(api.get(0).path("text").asText()).isEqualTo(m.text());
    }

    @Test
    @Order(4)
    void theVisitorIsNamedFromTheGraphApiAndTheirPictureIsKept() {
        await("the profile fetched", () -> world.jdbi().withHandle(h -> h.createQuery(
                "SELECT profile_fetched_at IS NOT NULL FROM messenger_contacts WHERE psid = :p").bind("p", VISITOR_A).mapTo(Boolean.class).one()));
        long conversation = world.conversationOf(VISITOR_A);
        await("the visitor's name", () -> "Jana Nováková".equals(world.owner.get("/v2/conversations/" + conversation).path("visitor").path("name").asText()));
        byte[] picture = world.jdbi().withHandle(h -> h.createQuery("SELECT picture FROM messenger_contacts WHERE psid = :p")
                .bind("p", VISITOR_A).mapTo(byte[].class).one());
        assertThat(picture).isEqualTo(world.graph.file("profile-" + VISITOR_A + ".png"));
        // The sender id is an identifier: stored whole, never masked, although it is 16 digits long.
        assertThat(count("SELECT count(*) FROM messenger_contacts WHERE psid = ?", VISITOR_A)).isEqualTo(1);
        JsonNode facts = world.owner.get("/v2/channels/messenger/conversations/" + conversation);
        assertThat(facts.path("page").path("name").asText()).isEqualTo("Teapot Corner");
        assertThat(facts.path("contact").path("picture_url").asText()).isNotEmpty();
        assertThat(world.graph.violations()).isEmpty();
    }

    @Test
    @Order(5)
    void aRedeliveredMessageIsStoredOnceAndNotAnnouncedAgain() throws Exception {
        long conversation = world.conversationOf(VISITOR_A);
        int events = count("SELECT count(*) FROM events WHERE type = 'message.created' AND conversation_id = ?", conversation);
        HttpResponse<String> r = world.post(payload("duplicate-of-text-message.json"));
        assertThat(r.statusCode()).isEqualTo(200);
        world.processed();
        assertThat(messages(VISITOR_A)).hasSize(1);
        assertThat(count("SELECT count(*) FROM events WHERE type = 'message.created' AND conversation_id = ?", conversation)).isEqualTo(events);
    }

    @Test
    @Order(6)
    void aResolvedConversationReopensAndCardNumbersAreMaskedButIdsAreNot() {
        long conversation = world.conversationOf(VISITOR_A);
        world.owner.expect(200, "POST", "/v2/conversations/" + conversation + "/resolve", null);
        long now = System.currentTimeMillis();
        world.post(entry(PAGE, text(VISITOR_A, "m_4111111111111111cardlikemid", now,
                "\"My card 4111 1111 1111 1111 was charged twice <img src=x onerror=alert(1)>\"")));
        world.processed();
        Row m = messages(VISITOR_A).getLast();
        assertThat(m.text()).doesNotContain("4111 1111 1111 1111").contains("1111").contains("<img src=x onerror=alert(1)>");
        assertThat(m.clientId()).isEqualTo("m_4111111111111111cardlikemid");
        assertThat(world.owner.get("/v2/conversations/" + conversation).path("status").asText()).isEqualTo("open");
        assertThat(world.conversationOf(VISITOR_A)).isEqualTo(conversation);
    }

    @Test
    @Order(7)
    void anImageIsFetchedFromTheCdnAndKept() throws Exception {
        // The CDN is out of reach: its host is rewritten to the fake server's, and the body signed again.
        String body = new String(payload("image-attachment.json"), StandardCharsets.UTF_8)
                .replace("https:\\/\\/scontent.xx.fbcdn.net\\/", world.graph.url().replace("/", "\\/") + "\\/cdn\\/");
        assertThat(world.post(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        world.processed();
        Row m = messages(VISITOR_A).getLast();
        assertThat(m.text()).isNull();
        assertThat(Json.tree(m.data()).path("messenger").path("attachments").get(0).path("type").asText()).isEqualTo("image");
        await("the image stored", () -> count("SELECT count(*) FROM files WHERE message_id = ? AND source = 'messenger'", m.id()) == 1);
        HttpResponse<byte[]> file = world.owner.client().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(world.parley.baseUrl() + "/v2/channels/messenger/messages/" + m.id() + "/attachments/0")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(file.body()).isEqualTo(FakeImages.teapot());
        // Not for strangers: the file is behind the agents' sign-in.
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(world.parley.baseUrl() + "/v2/channels/messenger/messages/" + m.id() + "/attachments/0")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(world.owner.get("/v2/conversations/" + m.conversationId()).path("last_message").path("text").asText()).isEqualTo("📷 Image");
    }

    @Test
    @Order(8)
    void aQuickReplyKeepsItsPayload() throws Exception {
        world.post(payload("quick-reply.json"));
        world.processed();
        Row m = messages(VISITOR_A).getLast();
        assertThat(m.text()).isEqualTo("Track my order");
        assertThat(Json.tree(m.data()).path("messenger").path("quick_reply").asText()).isEqualTo("TRACK_ORDER");
    }

    @Test
    @Order(8)
    void aReplyToAMessageKeepsWhatItRepliesTo() {
        String mid = byMid("m_4111111111111111cardlikemid").clientId();
        String reply = "{\"sender\":{\"id\":\"" + VISITOR_A + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
                + System.currentTimeMillis() + ",\"message\":{\"mid\":\"m_replying\",\"text\":\"That one, yes\",\"reply_to\":{\"mid\":\"" + mid + "\"}}}";
        world.post(entry(PAGE, reply));
        world.processed();
        Row m = messages(VISITOR_A).getLast();
        assertThat(m.text()).isEqualTo("That one, yes");
        assertThat(Json.tree(m.data()).path("messenger").path("reply_to").asText()).isEqualTo(mid);
    }

    @Test
    @Order(9)
    void aPostbackShowsTheButtonTitleOnce() throws Exception {
        world.post(payload("postback.json"));
        world.post(payload("postback.json"));
        world.processed();
        List<Row> rows = messages(VISITOR_A).stream().filter(r -> "Talk to a person".equals(r.text())).toList();
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().subType()).isEqualTo("contact");
        assertThat(Json.tree(rows.getFirst().data()).path("messenger").path("postback").asText()).isEqualTo("HUMAN_AGENT");
    }

    @Test
    @Order(10)
    void anAdminsReplyTypedInFacebookIsStoredOnceAsAnAgentMessageWithoutReopening() throws Exception {
        long conversation = world.conversationOf(VISITOR_A);
        world.owner.expect(200, "POST", "/v2/conversations/" + conversation + "/resolve", null);
        int fromContact = count("SELECT contact_message_count FROM conversations WHERE id = ?", conversation);
        world.post(payload("message-echo-page-inbox.json"));
        world.post(payload("message-echo-page-inbox.json"));
        world.processed();
        List<Row> echoes = messages(VISITOR_A).stream().filter(r -> r.text() != null && r.text().startsWith("Hi, yes")).toList();
        assertThat(echoes).hasSize(1);
        Row echo = echoes.getFirst();
        assertThat(echo.text()).isEqualTo("Hi, yes – we ship to Slovakia, delivery takes 2–3 working days.");
        assertThat(echo.subType()).isEqualTo("agent");
        assertThat(Json.tree(echo.data()).path("messenger").path("sent_outside_parley").asBoolean()).isTrue();
        assertThat(Json.tree(echo.data()).path("messenger").path("app_id").asText()).isEqualTo(PAGE_INBOX_APP_ID);
        assertThat(world.owner.get("/v2/conversations/" + conversation).path("status").asText()).isEqualTo("closed");
        assertThat(count("SELECT contact_message_count FROM conversations WHERE id = ?", conversation)).isEqualTo(fromContact);
        // Nothing goes back to Messenger: it came from there.
        assertThat(world.graph.sends()).isEmpty();
    }

    @Test
    @Order(11)
    void parleysOwnReplyIsSentOnceAndItsEchoIsNotStoredAgain() {
        long now = System.currentTimeMillis();
        world.graph.customerWrote(VISITOR_A, Instant.ofEpochMilli(now));
        world.post(entry(PAGE, text(VISITOR_A, "m_recentquestion", now, "\"Is it in stock?\"")));
        world.processed();
        long conversation = world.conversationOf(VISITOR_A);
        world.graph.nextMessageId(M_AGENT);
        JsonNode sent = world.owner.expect(201, "POST", "/v2/conversations/" + conversation + "/messages",
                Map.of("text", "Yes, we ship to Slovakia."));
        long messageId = sent.path("id").asLong();
        await("the reply sent", () -> "sent".equals(status(messageId)));
        FakeGraph.Request send = world.graph.sends().getLast();
        assertThat(send.body().path("messaging_type").asText()).isEqualTo("RESPONSE");
        assertThat(send.body().has("tag")).isFalse();
        assertThat(send.body().path("recipient").path("id").asText()).isEqualTo(VISITOR_A);
        assertThat(send.body().path("message").path("text").asText()).isEqualTo("Yes, we ship to Slovakia.");
        assertThat(send.token()).isEqualTo(TOKEN);
        assertThat(world.graph.violations()).isEmpty();

        int before = messages(VISITOR_A).size();
        String echo = "{\"sender\":{\"id\":\"" + PAGE + "\"},\"recipient\":{\"id\":\"" + VISITOR_A + "\"},\"timestamp\":" + now
                + ",\"message\":{\"is_echo\":true,\"app_id\":" + PARLEY_APP_ID + ",\"mid\":\"" + M_AGENT + "\",\"text\":\"Yes, we ship to Slovakia.\"}}";
        world.post(entry(PAGE, echo));
        world.processed();
        assertThat(messages(VISITOR_A)).hasSize(before);
        assertThat(world.graph.sends()).hasSize(1);
        // The README's world: Meta's answer came at 14:43:30 on 20 November; the watermarks below are measured from it.
        world.jdbi().useHandle(h -> h.execute("UPDATE messenger_messages SET sent_at = '2026-11-20T14:43:30Z' WHERE mid = ?", M_AGENT));
    }

    private static String status(long messageId) {
        return world.jdbi().withHandle(h -> h.createQuery("SELECT delivery_status FROM messenger_messages WHERE message_id = :m")
                .bind("m", messageId).mapTo(String.class).findOne().orElse(null));
    }

    @Test
    @Order(12)
    void aDeliveryMarksTheReplyDeliveredAtTheWatermark() throws Exception {
        world.post(payload("delivery.json"));
        world.processed();
        var row = world.jdbi().withHandle(h -> h.createQuery("SELECT delivery_status, delivered_at FROM messenger_messages WHERE mid = :m")
                .bind("m", M_AGENT).mapToMap().one());
        assertThat(row.get("delivery_status")).isEqualTo("delivered");
        assertThat(((java.sql.Timestamp) row.get("delivered_at")).toInstant()).isEqualTo(Instant.parse("2026-11-20T14:44:07.024Z"));
    }

    @Test
    @Order(13)
    void aReadMarksTheRepliesBeforeTheWatermarkSeen() throws Exception {
        long messageId = byMid(M_AGENT).id();
        long conversation = world.conversationOf(VISITOR_A);
        world.post(payload("read.json"));
        world.processed();
        assertThat(status(messageId)).isEqualTo("seen");
        JsonNode facts = world.owner.get("/v2/channels/messenger/conversations/" + conversation);
        assertThat(facts.path("messages").path(Long.toString(messageId)).path("status").asText()).isEqualTo("seen");
        // The thread's "Seen" is the journal's visitor read mark, as for the chat box.
        await("the visitor read mark", () -> world.owner.get("/v2/conversations/" + conversation).path("visitor_read_id").asLong() == messageId);
    }

    @Test
    @Order(14)
    void aReactionIsRecordedOnTheReplyAndRemovedByUnreact() throws Exception {
        long messageId = byMid(M_AGENT).id();
        long conversation = world.conversationOf(VISITOR_A);
        int before = messages(VISITOR_A).size();
        world.post(payload("reaction.json"));
        world.processed();
        JsonNode state = world.owner.get("/v2/channels/messenger/conversations/" + conversation).path("messages").path(Long.toString(messageId));
        assertThat(state.path("reaction").asText()).isEqualTo("love");
        assertThat(state.path("reaction_emoji").asText()).isEqualTo("❤️");
        assertThat(state.path("status").asText()).isEqualTo("seen");
        assertThat(messages(VISITOR_A)).hasSize(before);
        String unreact = "{\"sender\":{\"id\":\"" + VISITOR_A + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":"
                + System.currentTimeMillis() + ",\"reaction\":{\"reaction\":\"love\",\"emoji\":\"\\u2764\\ufe0f\",\"action\":\"unreact\",\"mid\":\"" + M_AGENT + "\"}}";
        world.post(entry(PAGE, unreact));
        world.processed();
        state = world.owner.get("/v2/channels/messenger/conversations/" + conversation).path("messages").path(Long.toString(messageId));
        assertThat(state.path("reaction").isNull()).isTrue();
    }

    @Test
    @Order(15)
    void aBatchOfEntriesIsProcessedInOrderAndTheUnknownPageIgnored() throws Exception {
        HttpResponse<String> r = world.post(payload("batch.json"));
        assertThat(r.statusCode()).isEqualTo(200);
        world.processed();
        List<String> a = messages(VISITOR_A).stream().map(Row::text).toList();
        assertThat(a.subList(a.size() - 2, a.size())).containsExactly("Is the blue teapot back in stock?", "And in green?");
        assertThat(messages(VISITOR_B)).extracting(Row::text).containsExactly("Dobrý den, máte prodejnu v Brně?");
        assertThat(world.owner.get("/v2/conversations/" + world.conversationOf(VISITOR_B)).path("channel").path("type").asText()).isEqualTo("facebook");
        assertThat(count("SELECT count(*) FROM messenger_contacts WHERE psid = ?", VISITOR_UNKNOWN_PAGE)).isZero();
        assertThat(count("SELECT count(*) FROM messenger_messages WHERE page_id = ?", UNKNOWN_PAGE)).isZero();
    }

    @Test
    @Order(16)
    void manyNewCustomersInOneBodyAreNamedBeforeTheirFirstMessageAndKeepTheirOrder() {
        // Twelve people write for the first time in one body, interleaved: their contacts are made together and their
        // profiles looked up side by side, yet each is named by the time their first message is stored, each is looked
        // up once, and each one's messages keep their order.
        int people = 12;
        long t = Instant.now().minusSeconds(30).toEpochMilli();
        List<String> items = new java.util.ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < people; i++) {
                String psid = "81000000000000" + (10 + i);
                if (round == 0) world.graph.person(psid, "First" + i, "Customer");
                items.add(MessengerWorld.text(psid, "m_many_" + i + "_" + round, t++, "\"Message " + round + " of person " + i + "\""));
            }
        }
        assertThat(world.post(MessengerWorld.entry(PAGE, items.toArray(String[]::new))).statusCode()).isEqualTo(200);
        world.processed();
        for (int i = 0; i < people; i++) {
            String psid = "81000000000000" + (10 + i);
            assertThat(messages(psid)).extracting(Row::text).containsExactly("Message 0 of person " + i, "Message 1 of person " + i);
            // No waiting: the name was stored before the messages were (the inbox row is marked after they commit).
            String name = world.jdbi().withHandle(h -> h.createQuery("""
                            SELECT v.name FROM visitors v JOIN messenger_contacts mc ON mc.visitor_id = v.id WHERE mc.psid = :p""")
                    .bind("p", psid).mapTo(String.class).one());
            assertThat(name).isEqualTo("First" + i + " Customer");
            assertThat(world.graph.requests().stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/" + psid)).count())
                    .as("profile look-ups of " + psid).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM messenger_contacts WHERE psid = ?", psid)).isEqualTo(1);
            // Looked up at once: the safety-net job queued with the contact is gone.
            assertThat(count("SELECT count(*) FROM jobs WHERE kind = 'messenger.profile' AND payload = ?", PAGE + ":" + psid)).isZero();
        }
        // A look-up that does not work (Graph knows no such user) leaves its job, to try again later.
        String unlucky = "8100000000000099";
        assertThat(world.post(MessengerWorld.entry(PAGE, MessengerWorld.text(unlucky, "m_many_unlucky", t, "\"Hello?\""))).statusCode())
                .isEqualTo(200);
        world.processed();
        assertThat(messages(unlucky)).extracting(Row::text).containsExactly("Hello?");
        assertThat(count("SELECT count(*) FROM jobs WHERE kind = 'messenger.profile' AND state = 'pending' AND payload = ?",
                PAGE + ":" + unlucky)).isEqualTo(1);
        assertThat(world.graph.violations()).isEmpty();
    }
}
