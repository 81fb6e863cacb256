package app.parley.conversation;

import app.parley.account.Team;
import app.parley.store.EventLog;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** What the chat box shows when it connects: the visitor's latest conversation and its last messages. */
public final class VisitorThread {
    public record State(ConversationView.ForVisitor conversation, Long groupId) {
        List<Message> messages(Handle h, int limit) {
            return Messages.page(h, conversation.id(), null, limit, false);
        }
    }

    /**
     * A chat box's start, as of one sequence {@code asOf}: the latest conversation ({@code state}, null when the
     * visitor never wrote) with its last messages unless it resumes, what it missed ({@code backlog}, null for a
     * fresh start), and the group whose agents answer it ({@code groupId}).
     */
    public record Opening(long asOf, State state, List<Message> messages, EventLog.Backlog backlog, Long groupId) {
        public boolean resync() {
            return backlog != null && backlog.resync();
        }
    }

    private final Jdbi jdbi;

    public VisitorThread(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Reads the visitor's start in one snapshot; {@code after} is the sequence the chat box resumes from (none when
     * negative), {@code groupKey} the group the page routed the visitor to, for a visitor with no conversation yet.
     */
    public Opening open(long accountId, long visitorId, String groupKey, long after, int messageCount) {
        return EventLog.asOf(jdbi, accountId, (h, asOf) -> {
            State state = latest(h, visitorId);
            EventLog.Backlog backlog = after >= 0 ? EventLog.since(h, asOf, after, accountId, visitorId) : null;
            boolean resync = backlog != null && backlog.resync();
            List<Message> messages = state == null ? List.of()
                    : (after >= 0 && !resync) ? List.of() : state.messages(h, messageCount);
            Long groupId = state != null ? state.groupId() : groupKey == null ? null : Team.groupId(h, accountId, groupKey);
            return new Opening(asOf, state, messages, backlog, groupId);
        });
    }

    /** Null when the visitor has never written. */
    static State latest(Handle h, long visitorId) {
        return h.createQuery("SELECT * FROM conversations WHERE visitor_id = :v ORDER BY id DESC LIMIT 1")
                .bind("v", visitorId).map((rs, ctx) -> ConversationRow.map(rs)).findOne()
                .map(c -> new State(Timeline.forVisitor(h, c), c.groupId)).orElse(null);
    }
}
