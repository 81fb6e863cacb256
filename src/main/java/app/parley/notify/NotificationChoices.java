package app.parley.notify;

import org.jdbi.v3.core.Jdbi;

/** Each agent's own choice of notification mails (issue #12, point 4); both are on until the agent turns one off. */
public final class NotificationChoices {
    /** What "My notifications" shows and saves. */
    public record Choices(boolean offlineMessage, boolean missedConversation) {}

    private final Jdbi jdbi;

    public NotificationChoices(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Choices get(long agentId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT offline_message, missed_conversation FROM agent_notifications WHERE agent_id = :a")
                .bind("a", agentId).map((rs, ctx) -> new Choices(rs.getBoolean(1), rs.getBoolean(2)))
                .findOne().orElse(new Choices(true, true)));
    }

    /** Changes what is given (null keeps it). */
    public Choices update(long agentId, Boolean offlineMessage, Boolean missedConversation) {
        Choices now = get(agentId);
        Choices next = new Choices(offlineMessage == null ? now.offlineMessage() : offlineMessage,
                missedConversation == null ? now.missedConversation() : missedConversation);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO agent_notifications (agent_id, offline_message, missed_conversation) VALUES (:a, :o, :m)
                        ON CONFLICT (agent_id) DO UPDATE SET offline_message = :o, missed_conversation = :m""")
                .bind("a", agentId).bind("o", next.offlineMessage()).bind("m", next.missedConversation()).execute());
        return next;
    }
}
