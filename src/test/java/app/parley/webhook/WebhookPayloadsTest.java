package app.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.store.Event;
import app.parley.store.LoggedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which committed event becomes which Smartsupp webhook event, and the envelope it is sent in. */
class WebhookPayloadsTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:15:30.123Z");

    @ParameterizedTest(name = "{0}/{1}/{2} -> {3}")
    @CsvSource({
            "message, contact, , conversation.contact_replied",
            "message, agent, , conversation.agent_replied",
            "event, system, chat_reopen, conversation.opened",
            "event, agent, agent_join, conversation.agent_joined",
            "event, agent, agent_leave, conversation.agent_left",
            "event, agent, agent_assign, conversation.agent_assigned",
            "event, agent, agent_unassign, conversation.agent_unassigned",
            "event, system, chat_rated, conversation.rated",
    })
    void timelineItemsMapToSmartsuppNames(String kind, String subType, String eventType, String expected) {
        Optional<WebhookPayloads.Outgoing> out = WebhookPayloads.of(message(kind, subType, eventType, "{}"));
        assertThat(out).isPresent();
        assertThat(out.get().event().wire()).isEqualTo(expected);
        assertThat(out.get().conversationId()).isEqualTo(42L);
        JsonNode body = Json.tree(out.get().body());
        assertThat(body.path("type").asText()).isEqualTo("event_callback");
        assertThat(body.path("event").asText()).isEqualTo(expected);
        assertThat(body.path("timestamp").asText()).isEqualTo("2026-12-01T10:15:30.123Z");
        assertThat(body.path("account_id").asLong()).isEqualTo(7);
        assertThat(body.path("data").path("conversation_id").asLong()).isEqualTo(42);
        assertThat(body.path("data").path("message").path("kind").asText()).isEqualTo(kind);
    }

    @Test
    void closingSaysWhoClosed() {
        assertThat(WebhookPayloads.of(message("event", "agent", "chat_close", "{\"close_type\":\"agent_close\"}"))
                .orElseThrow().event()).isEqualTo(WebhookEvent.CONVERSATION_CLOSED);
        assertThat(WebhookPayloads.of(message("event", "system", "chat_close", "{\"close_type\":\"visitor_close\"}"))
                .orElseThrow().event()).isEqualTo(WebhookEvent.CONVERSATION_CLOSED_BY_CONTACT);
    }

    @Test
    void notesAndEventsWithoutAWebhookNameAreNotSent() {
        assertThat(WebhookPayloads.of(message("note", "agent", null, "null"))).isEmpty();
        assertThat(WebhookPayloads.of(message("event", "agent", "tags_changed", "{}"))).isEmpty();
        assertThat(WebhookPayloads.of(logged("visitor.updated", null, "{\"id\":3}"))).isEmpty();
        assertThat(WebhookPayloads.of(logged("conversation.read", 42L, "{}"))).isEmpty();
        assertThat(WebhookPayloads.of(logged("agent.updated", null, "{\"id\":1}"))).isEmpty();
    }

    @Test
    void aNewConversationIsOpenedAndAContactChangeIsContactUpdated() {
        WebhookPayloads.Outgoing opened = WebhookPayloads.of(logged("conversation.created", 42L, "{\"id\":42,\"status\":\"open\"}")).orElseThrow();
        assertThat(opened.event()).isEqualTo(WebhookEvent.CONVERSATION_OPENED);
        assertThat(Json.tree(opened.body()).path("data").path("conversation").path("status").asText()).isEqualTo("open");
        WebhookPayloads.Outgoing contact = WebhookPayloads.of(logged("contact.updated", null, "{\"id\":5,\"name\":\"Jana\"}")).orElseThrow();
        assertThat(contact.event()).isEqualTo(WebhookEvent.CONTACT_UPDATED);
        assertThat(contact.conversationId()).isNull();
        assertThat(Json.tree(contact.body()).path("data").path("contact").path("name").asText()).isEqualTo("Jana");
    }

    /** The sender renders the body as text around the stored payload: the same bytes as writing the envelope's tree. */
    @Test
    void theRenderedBodyIsTheEnvelopeWrittenAsATree() {
        String message = "{\"id\":9001,\"conversation_id\":42,\"kind\":\"message\",\"sub_type\":\"contact\",\"text\":\"quote \\\" ünï 🚀\"}";
        for (LoggedEvent e : List.of(logged("message.created", 42L, message), logged("conversation.created", 42L, "{\"id\":42}"),
                logged("contact.created", null, "{\"id\":5,\"name\":\"Jana\"}"))) {
            WebhookPayloads.Outgoing out = WebhookPayloads.of(e).orElseThrow();
            String member = switch (e.event().type()) {
                case "message.created" -> "message";
                case "conversation.created" -> "conversation";
                default -> "contact";
            };
            var data = Json.object();
            if (out.conversationId() != null) data.put("conversation_id", out.conversationId());
            data.set(member, Json.tree(e.event().agentPayload()));
            assertThat(out.body()).isEqualTo(WebhookPayloads.envelope(out.event().wire(), AT, 7, data));
        }
    }

    private static LoggedEvent message(String kind, String subType, String eventType, String data) {
        String json = "{\"id\":9001,\"conversation_id\":42,\"kind\":\"" + kind + "\",\"sub_type\":\"" + subType + "\","
                + "\"text\":" + ("message".equals(kind) ? "\"Hello\"" : "null") + ","
                + "\"event_type\":" + (eventType == null ? "null" : "\"" + eventType + "\"") + ",\"data\":" + data + "}";
        return logged("message.created", 42L, json);
    }

    private static LoggedEvent logged(String type, Long conversationId, String agentPayload) {
        return new LoggedEvent(new Event(100, 7, type, conversationId, null, 3L, agentPayload, null), AT);
    }
}
