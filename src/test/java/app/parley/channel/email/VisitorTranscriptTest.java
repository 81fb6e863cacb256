package app.parley.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat box's "Email me this conversation" (issue #12, point 5) through the visitor socket and a real SMTP server
 * (GreenMail): one mail with the conversation's messages and none of its notes, once even when the chat box sends the
 * frame again, within the per-conversation limit, and a stable code for a bad address.
 */
class VisitorTranscriptTest {
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
    void aVisitorGetsOneTranscriptWithoutNotesAndCannotMailBomb() throws Exception {
        try (TestSocket v = TestSocket.visitor(world.app, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "message", "client_id", TestSocket.clientId(), "text", "Do you ship to Norway?"));
            long conversationId = v.await(f -> "ack".equals(f.path("type").asText())).path("message").path("conversation_id").asLong();
            world.owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                    Map.of("text", "Yes, in 3 days <b>by post</b>."));
            world.owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                    Map.of("type", "note", "text", "Internal: check the customs rules"));
            world.owner.expect(200, "POST", "/v2/conversations/" + conversationId + "/resolve", Map.of());

            v.send(Map.of("type", "transcript", "client_id", "t-bad", "email", "not an address"));
            JsonNode bad = v.await(f -> "error".equals(f.path("type").asText()) && "t-bad".equals(f.path("client_id").asText()));
            assertThat(bad.path("code").asText()).isEqualTo("invalid_email");
            assertThat(bad.path("field").asText()).isEqualTo("email");

            v.send(Map.of("type", "transcript", "client_id", "t-1", "email", "ola.nordmann@example.com"));
            JsonNode queued = v.await(f -> "transcript_queued".equals(f.path("type").asText()));
            assertThat(queued.path("client_id").asText()).isEqualTo("t-1");
            assertThat(queued.path("email").asText()).isEqualTo("ola.nordmann@example.com");
            // The chat box sends its frame again after a reconnect: the same request, not a second mail.
            v.send(Map.of("type", "transcript", "client_id", "t-1", "email", "ola.nordmann@example.com"));
            v.await(f -> "transcript_queued".equals(f.path("type").asText()) && "t-1".equals(f.path("client_id").asText()));

            MimeMessage m = MailWorld.await(() -> to("ola.nordmann@example.com").stream().findFirst().orElse(null));
            String text = (String) ((Multipart) m.getContent()).getBodyPart(0).getContent();
            String html = (String) ((Multipart) m.getContent()).getBodyPart(1).getContent();
            assertThat(m.getSubject()).startsWith("Your conversation with");
            assertThat(text).contains("Do you ship to Norway?").contains("Yes, in 3 days <b>by post</b>.")
                    .doesNotContain("customs rules");
            assertThat(html).contains("&lt;b&gt;by post&lt;/b&gt;").doesNotContain("<b>by post").doesNotContain("customs rules");
            MailWorld.await(() -> world.count("SELECT count(*) FROM jobs WHERE kind = ?", Transcripts.KIND) == 0 ? true : null);
            assertThat(to("ola.nordmann@example.com")).hasSize(1);

            // Three per conversation at most: two more pass, the fourth is refused with a stable code.
            for (String n : List.of("2", "3")) {
                v.send(Map.of("type", "transcript", "client_id", "t-" + n, "email", "copy" + n + "@example.com"));
                v.await(f -> "transcript_queued".equals(f.path("type").asText()) && ("t-" + n).equals(f.path("client_id").asText()));
            }
            v.send(Map.of("type", "transcript", "client_id", "t-4", "email", "victim@example.com"));
            JsonNode limited = v.await(f -> "error".equals(f.path("type").asText()) && "t-4".equals(f.path("client_id").asText()));
            assertThat(limited.path("code").asText()).isEqualTo("transcript_limit");
            MailWorld.await(() -> world.count("SELECT count(*) FROM jobs WHERE kind = ?", Transcripts.KIND) == 0 ? true : null);
            assertThat(to("victim@example.com")).isEmpty();
        }
    }

    @Test
    void aVisitorHasFiveTranscriptsADayOverAllTheirConversations() {
        long other;
        try (TestSocket someoneElse = TestSocket.visitor(world.app, null, null)) {
            other = conversation(someoneElse, "Another visitor");
        }
        try (TestSocket v = TestSocket.visitor(world.app, null, null)) {
            long mine = conversation(v, "Hello");
            long visitorId = world.owner.get("/v2/conversations/" + mine).path("visitor_id").asLong();
            // Five asked for yesterday, on an earlier conversation: they no longer count.
            earlierRequests(visitorId, other, "25 hours");
            v.send(Map.of("type", "transcript", "client_id", "d-1", "email", "day.one@example.com"));
            v.await(f -> "transcript_queued".equals(f.path("type").asText()) && "d-1".equals(f.path("client_id").asText()));
            // Four more within the day: the day's five are spent, whatever the conversation.
            earlierRequests(visitorId, other, "1 hour", 4);
            v.send(Map.of("type", "transcript", "client_id", "d-2", "email", "day.two@example.com"));
            JsonNode limited = v.await(f -> "error".equals(f.path("type").asText()) && "d-2".equals(f.path("client_id").asText()));
            assertThat(limited.path("code").asText()).isEqualTo("transcript_limit");
        }
    }

    private static long conversation(TestSocket v, String text) {
        v.await("welcome");
        String id = TestSocket.clientId();
        v.send(Map.of("type", "message", "client_id", id, "text", text));
        return v.await(f -> "ack".equals(f.path("type").asText()) && id.equals(f.path("client_id").asText()))
                .path("message").path("conversation_id").asLong();
    }

    private static void earlierRequests(long visitorId, long conversationId, String ago) {
        earlierRequests(visitorId, conversationId, ago, 5);
    }

    private static void earlierRequests(long visitorId, long conversationId, String ago, int n) {
        world.app.parley().database().jdbi().useHandle(h -> {
            for (int i = 0; i < n; i++) {
                h.createUpdate("""
                                INSERT INTO visitor_transcripts (account_id, conversation_id, visitor_id, client_id, address, requested_at)
                                SELECT account_id, id, :v, :k, 'earlier@example.com', now() - CAST(:ago AS interval)
                                FROM conversations WHERE id = :c""")
                        .bind("v", visitorId).bind("k", "earlier-" + ago + "-" + i).bind("ago", ago).bind("c", conversationId).execute();
            }
        });
    }

    @Test
    void aVisitorWithoutAConversationHasNothingToSend() {
        try (TestSocket v = TestSocket.visitor(world.app, null, null)) {
            v.await("welcome");
            v.send(Map.of("type", "transcript", "client_id", "t-none", "email", "someone@example.com"));
            assertThat(v.await("error").path("code").asText()).isEqualTo("no_conversation");
        }
    }

    private static List<MimeMessage> to(String address) {
        return Arrays.stream(world.mail.getReceivedMessages()).filter(x -> MailWorld.recipient(x).equals(address)).toList();
    }
}
