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
        MessageKind kind,
        MessageSubType subType,
        Channel channel,
        String text,
        AgentRef agent,
        TimelineEvent eventType,
        @JsonRawValue String data,
        OffsetDateTime createdAt) {

    /** The agent who wrote a message, as visitors and agents see them. */
    public record AgentRef(long id, String name, String avatarUrl) {}

    public boolean visibleToVisitor() {
        return kind != MessageKind.NOTE;
    }

    public boolean fromContact() {
        return subType == MessageSubType.CONTACT && kind == MessageKind.MESSAGE;
    }

    @JsonIgnore
    public Long agentId() {
        return agent == null ? null : agent.id();
    }
}
