package app.parley.conversation;

import app.parley.account.Agent;
import app.parley.account.Agents;
import app.parley.account.Viewer;
import app.parley.core.Refusal;
import app.parley.store.EventLog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What an agent reads of the conversations they may see: lists by tab with the tab counts, one
 * conversation and its messages, and the state a dashboard socket starts from. The read side of this feature,
 * for routes and sockets, which run no SQL themselves.
 */
public final class Inbox {
    /** A page of a tab's list and the agent's tab counts, read together. */
    public record Listing(ConversationQueries.Page page, Map<String, Object> tabs) {}

    /** Whom an agent's typing is shown to: the conversation's visitor and the agents who see its group. */
    public record TypingTarget(long visitorId, Long groupId) {}

    /**
     * A dashboard socket's start, as of one sequence {@code asOf}: the tab counts, and what it missed after the
     * sequence it resumes from ({@code backlog}, null for a fresh start).
     */
    public record AgentStart(long asOf, Map<String, Object> tabs, EventLog.Backlog backlog) {}

    private final Jdbi jdbi;

    public Inbox(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Map<String, Object> tabs(Agent agent) {
        return jdbi.withHandle(h -> AgentActions.tabs(h, agent));
    }

    /** The tab counts of the agent as they are now (role, groups), or empty when the agent is gone. */
    public Optional<Map<String, Object>> tabsOf(long agentId) {
        return jdbi.withHandle(h -> Agents.byId(h, agentId).map(a -> AgentActions.tabs(h, a)));
    }

    public Listing list(Agent agent, ConversationTab tab, String after, int limit) {
        return jdbi.withHandle(h -> new Listing(ConversationQueries.list(h, agent.viewer(), tab, after, limit),
                AgentActions.tabs(h, agent)));
    }

    public ConversationView conversation(Viewer viewer, long conversationId) {
        return jdbi.withHandle(h -> ConversationQueries.byId(h, viewer.accountId(), conversationId, viewer))
                .orElseThrow(() -> Refusal.notFound("The conversation"));
    }

    /** A page of a conversation's messages (notes included), newest last; not found unless the agent sees it. */
    public List<Message> messages(Viewer viewer, long conversationId, Long before, int limit) {
        return jdbi.withHandle(h -> {
            ConversationQueries.byId(h, viewer.accountId(), conversationId, viewer)
                    .orElseThrow(() -> Refusal.notFound("The conversation"));
            return Messages.page(h, conversationId, before, limit, true);
        });
    }

    public Optional<TypingTarget> typingTarget(long accountId, long conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT visitor_id, group_id FROM conversations WHERE id = :id AND account_id = :a")
                .bind("id", conversationId).bind("a", accountId)
                .map((rs, ctx) -> new TypingTarget(rs.getLong(1), (Long) rs.getObject(2))).findOne());
    }

    /** Reads the tab counts and the backlog after {@code after} (none when negative) in one snapshot. */
    public AgentStart agentStart(Agent agent, long after) {
        return EventLog.asOf(jdbi, agent.accountId(), (h, asOf) -> new AgentStart(asOf, AgentActions.tabs(h, agent),
                after >= 0 ? EventLog.since(h, asOf, after, agent.accountId(), null) : null));
    }
}
