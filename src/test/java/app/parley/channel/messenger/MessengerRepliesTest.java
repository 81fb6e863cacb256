package app.parley.channel.messenger;

import static app.parley.channel.messenger.MessengerWorld.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Replies (issue #13, point 4): the Send API's messaging types by the time since the customer's last message, the
 * closed window explained, Meta's errors (transient ones retried with back-off, refusals failing at once, 190
 * marking the page for reconnecting, told once), and typing / mark-seen sender actions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessengerRepliesTest {
    private static MessengerWorld world;

    @BeforeAll
    static void start() throws Exception {
        world = new MessengerWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** A customer who last wrote {@code ago} ago; their conversation's id. */
    private static long customer(String psid, Duration ago) {
        return world.customerWrote(psid, ago);
    }

    private static long reply(long conversation, String text) {
        return world.reply(conversation, text);
    }

    private static JsonNode state(long conversation, long messageId) {
        return world.owner.get("/v2/channels/messenger/conversations/" + conversation).path("messages").path(Long.toString(messageId));
    }

    private static void awaitStatus(long conversation, long messageId, String status) {
        await("message " + messageId + " " + status, () -> status.equals(state(conversation, messageId).path("status").asText()));
    }

    private static List<FakeGraph.Request> sendsTo(String psid) {
        return world.graph.sends().stream().filter(r -> psid.equals(r.body().path("recipient").path("id").asText())).toList();
    }

    @Test
    @Order(1)
    void after24HoursAPersonsReplyGoesOutTaggedHumanAgent() {
        long c = customer("1000000000000001", Duration.ofDays(2));
        JsonNode facts = world.owner.get("/v2/channels/messenger/conversations/" + c).path("reply");
        assertThat(facts.path("window").asText()).isEqualTo("human_agent");
        assertThat(facts.path("can_send").asBoolean()).isTrue();
        long m = reply(c, "Sorry for the wait: yes, it is back.");
        awaitStatus(c, m, "sent");
        JsonNode body = sendsTo("1000000000000001").getLast().body();
        assertThat(body.path("messaging_type").asText()).isEqualTo("MESSAGE_TAG");
        assertThat(body.path("tag").asText()).isEqualTo("HUMAN_AGENT");
        assertThat(world.graph.violations()).isEmpty();
    }

    /** Issue #13 point 4: an agent's image goes out as a Send API attachment uploaded in {@code filedata}. */
    @Test
    @Order(1)
    void anAgentsImageGoesOutAsAnAttachmentUploadedFromFile() throws Exception {
        long c = customer("1000000000000011", Duration.ofMinutes(5));
        byte[] png = world.graph.file("photo-of-the-teapot.png");
        JsonNode sent = world.owner.bytes("POST", "/v2/conversations/" + c + "/files?name=teapot.png", png);
        assertThat(world.owner.lastStatus).as(sent.toString()).isEqualTo(201);
        long m = sent.path("id").asLong();
        awaitStatus(c, m, "sent");
        JsonNode body = sendsTo("1000000000000011").getLast().body();
        assertThat(body.path("messaging_type").asText()).isEqualTo("RESPONSE");
        assertThat(body.path("message").path("attachment").path("type").asText()).isEqualTo("image");
        assertThat(body.path("message").has("text")).as("the file alone, not its name as text").isFalse();
        FakeGraph.Upload upload = world.graph.uploads().getLast();
        assertThat(upload.psid()).isEqualTo("1000000000000011");
        assertThat(upload.filename()).isEqualTo("teapot.png");
        assertThat(upload.contentType()).isEqualTo("image/png");
        assertThat(upload.content()).isEqualTo(png);
        assertThat(world.graph.violations()).isEmpty();
    }

    @Test
    @Order(2)
    void after7DaysTheComposerSaysWhyAndNothingIsSent() {
        long c = customer("1000000000000002", Duration.ofDays(8));
        JsonNode facts = world.owner.get("/v2/channels/messenger/conversations/" + c);
        assertThat(facts.path("reply").path("can_send").asBoolean()).isFalse();
        assertThat(facts.path("reply").path("window").asText()).isEqualTo("closed");
        assertThat(facts.path("reply").path("reason").asText()).contains("7 days").contains("Facebook");
        assertThat(facts.path("page").path("inbox_url").asText()).isEqualTo("https://www.facebook.com/" + PAGE + "/inbox");
        long m = reply(c, "Are you still there?");
        awaitStatus(c, m, "failed");
        assertThat(state(c, m).path("error_code").asText()).isEqualTo("outside_window");
        assertThat(sendsTo("1000000000000002")).isEmpty();
    }

    @Test
    @Order(3)
    void transientErrorsAndRateLimitsAreRetriedWithBackOff() {
        long c = customer("1000000000000003", Duration.ofMinutes(5));
        world.graph.failNext(400, 2, null, "An unexpected error has occurred. Please retry your request later.");
        world.graph.failNext(400, 613, null, "(#613) Calls to this api have exceeded the rate limit.");
        long m = reply(c, "Let me check.");
        awaitStatus(c, m, "sent");
        assertThat(sendsTo("1000000000000003")).hasSize(3);
        assertThat(sendsTo("1000000000000003").getLast().body().path("messaging_type").asText()).isEqualTo("RESPONSE");
    }

    @Test
    @Order(4)
    void aRecipientWhoCannotReceiveFailsAtOnceWithMetasErrorExplained() {
        long c = customer("1000000000000004", Duration.ofMinutes(5));
        world.graph.failNext(400, 551, 1545041, "(#551) This person isn't available right now.");
        long m = reply(c, "Hello again");
        awaitStatus(c, m, "failed");
        JsonNode s = state(c, m);
        assertThat(s.path("error_code").asText()).isEqualTo("recipient_unavailable");
        assertThat(s.path("error").asText()).contains("cannot receive").contains("(#551)");
        assertThat(sendsTo("1000000000000004")).hasSize(1);
    }

    @Test
    @Order(5)
    void typingAndMarkSeenAreSentAsSenderActions() {
        long c = customer("1000000000000005", Duration.ofMinutes(1));
        world.owner.expect(202, "POST", "/v2/channels/messenger/conversations/" + c + "/actions", Map.of("action", "typing_on"));
        world.owner.expect(202, "POST", "/v2/channels/messenger/conversations/" + c + "/actions", Map.of("action", "mark_seen"));
        await("both sender actions", () -> sendsTo("1000000000000005").stream().filter(r -> r.body().has("sender_action")).count() == 2);
        assertThat(sendsTo("1000000000000005")).extracting(r -> r.body().path("sender_action").asText())
                .containsExactlyInAnyOrder("typing_on", "mark_seen");
        JsonNode bad = world.owner.expect(422, "POST", "/v2/channels/messenger/conversations/" + c + "/actions", Map.of("action", "dance"));
        assertThat(bad.path("error").path("field").asText()).isEqualTo("action");
        assertThat(world.graph.violations()).isEmpty();
    }

    @Test
    @Order(6)
    void anExpiredTokenMarksThePageForReconnectingAndTheAdminsAreToldOnce() {
        long c = customer("1000000000000006", Duration.ofMinutes(5));
        world.graph.failNext(400, 190, 463, "Error validating access token: Session has expired on Friday, 20-Nov-26 14:00:00 PST.");
        long m = reply(c, "Here is your tracking number.");
        awaitStatus(c, m, "failed");
        assertThat(state(c, m).path("error_code").asText()).isEqualTo("token_invalid");
        JsonNode page = world.owner.get("/v2/channels/messenger").path("pages").get(0);
        assertThat(page.path("status").asText()).isEqualTo("reconnect");
        assertThat(page.path("needs_reconnect").asBoolean()).isTrue();
        assertThat(page.path("last_error").asText()).contains("reconnect");
        JsonNode reply = world.owner.get("/v2/channels/messenger/conversations/" + c).path("reply");
        assertThat(reply.path("can_send").asBoolean()).isFalse();
        assertThat(reply.path("reason").asText()).contains("reconnect");
        Instant told = world.jdbi().withHandle(h -> h.createQuery("SELECT admins_told_at FROM messenger_pages")
                .mapTo(java.sql.Timestamp.class).one()).toInstant();

        int sends = world.graph.sends().size();
        long again = reply(c, "Still there?");
        awaitStatus(c, again, "failed");
        assertThat(world.graph.sends()).hasSize(sends);
        assertThat(world.jdbi().withHandle(h -> h.createQuery("SELECT admins_told_at FROM messenger_pages")
                .mapTo(java.sql.Timestamp.class).one()).toInstant()).isEqualTo(told);

        world.owner.expect(201, "POST", "/v2/channels/messenger", Map.of("app_id", PARLEY_APP_ID, "app_secret", APP_SECRET,
                "verify_token", VERIFY_TOKEN, "page_id", PAGE, "page_access_token", TOKEN));
        assertThat(world.owner.get("/v2/channels/messenger").path("pages").get(0).path("status").asText()).isEqualTo("connected");
        long after = reply(c, "Back online.");
        awaitStatus(c, after, "sent");
    }
}
