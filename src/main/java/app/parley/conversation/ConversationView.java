package app.parley.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A conversation as the API and the dashboard see it, in Smartsupp's v2 field names (docs/PRODUCT.md §9).
 * {@code unread}, {@code markedUnread} and {@code tabs} are the caller's own; the first two are null in events shared
 * by all agents, {@code tabs} is left out of the shared payload and added per agent on the way out (Client).
 */
public record ConversationView(
        long id,
        String status,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime finishedAt,
        Channel channel,
        Long contactId,
        long visitorId,
        List<Long> agentIds,
        List<Long> assignedIds,
        Long groupId,
        Integer ratingValue,
        String ratingText,
        boolean isOffline,
        boolean isServed,
        boolean important,
        Integer unread,
        Boolean markedUnread,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> tabs,
        @JsonRawValue String tags,
        String closeType,
        Long closedBy,
        VisitorRef visitor,
        LastMessage lastMessage,
        @JsonRawValue String variables,
        String domain,
        String referer,
        Location location,
        long visitorReadId,
        long agentReadId,
        // The visitor wrote by email at least once (an email conversation, or a chat they answered by mail): the
        // conversation list's envelope, decided here so every client shows the same.
        boolean hasEmail) {

    public record Channel(String type, String id) {}

    public record VisitorRef(long id, String name, String email, String phone) {}

    public record LastMessage(Long id, String text, String subType, OffsetDateTime createdAt) {}

    public record Location(String ip, String code, String country, String city) {}

    /** What the visitor's chat box may know of its own conversation. */
    public record ForVisitor(long id, String status, List<Message.AgentRef> assignees, Integer ratingValue,
                             String ratingText, String closeType, long visitorReadId, long agentReadId) {}
}
