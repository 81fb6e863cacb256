package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.OffsetDateTime;

/**
 * One item of a conversation's thread (docs/PRODUCT.md §1.3): a {@code message} between visitor and agents, an
 * agent-only {@code note}, or a timeline {@code event}; {@code subType} says who wrote it. Text is already masked.
 */
public record Message(
        long id,
        @JsonIgnore long accountId,
        long conversationId,
        String clientId,
        String kind,
        String subType,
        String channel,
        String text,
        AgentRef agent,
        String eventType,
        @JsonRawValue String data,
        OffsetDateTime createdAt) {

    /** The agent who wrote a message, as visitors and agents see them. */
    public record AgentRef(long id, String name, String avatarUrl) {}

    public boolean visibleToVisitor() {
        return !"note".equals(kind);
    }

    public boolean fromContact() {
        return "contact".equals(subType) && "message".equals(kind);
    }

    @JsonIgnore
    public Long agentId() {
        return agent == null ? null : agent.id();
    }
}
