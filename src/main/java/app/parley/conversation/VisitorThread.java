package app.parley.conversation;

import java.util.List;
import org.jdbi.v3.core.Handle;

/** What the chat box shows when it connects: the visitor's latest conversation and its last messages. */
public final class VisitorThread {
    public record State(ConversationView.ForVisitor conversation, Long groupId) {
        public List<Message> messages(Handle h, int limit) {
            return Messages.page(h, conversation.id(), null, limit, false);
        }
    }

    private VisitorThread() {}

    /** Null when the visitor has never written. */
    public static State latest(Handle h, long visitorId) {
        return h.createQuery("SELECT * FROM conversations WHERE visitor_id = :v ORDER BY id DESC LIMIT 1")
                .bind("v", visitorId).map((rs, ctx) -> ConversationRow.map(rs)).findOne()
                .map(c -> new State(Timeline.forVisitor(h, c), c.groupId)).orElse(null);
    }
}
