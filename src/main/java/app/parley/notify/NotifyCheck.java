package app.parley.notify;

import app.parley.account.Agent;
import app.parley.account.Agents;
import app.parley.core.Json;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The check about two minutes after a visitor wrote (issue #12, point 4). An offline message mails the agents who
 * may see the conversation unless, meanwhile, one of them came online or an agent answered; a missed conversation
 * (an agent was online when it began) mails them unless someone joined or answered. An agent who read it, or who
 * turned that mail off, gets none. One mail per agent for the whole burst; each is its own job, so a failing
 * server retries one mail, never sends the others twice.
 */
public final class NotifyCheck implements Jobs.Handler {
    public static final String KIND = "notify.check";

    /** Which notification. */
    public enum Kind { OFFLINE_MESSAGE, MISSED_CONVERSATION }

    record Conversation(long id, long accountId, Long groupId, boolean offline, boolean assigned, int contactMessages,
                        String visitorName, String visitorEmail, String phone, String page, String pageTitle, String ip,
                        String shop) {}

    record Line(String text, OffsetDateTime at) {}

    /**
     * A notification decided for these agents (the ones a mail goes to), told to other ways of reaching them (Web
     * Push) in the transaction that closes the burst, so they follow the same rules and choices as the mail.
     */
    public record Decided(Kind kind, long accountId, long conversationId, String visitorName, String lastText, List<Long> agentIds) {}

    /** Hears each decided notification; filled by the composition root (a later feature may not be imported here). */
    @FunctionalInterface
    public interface Listener {
        void decided(Handle h, Decided decided);
    }

    private record Decision(List<String> mails, Decided decided) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final Supplier<String> baseUrl;
    private volatile Listener listener = (h, d) -> {};

    public NotifyCheck(Jdbi jdbi, Jobs.Gate gate, Supplier<String> baseUrl) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.baseUrl = baseUrl;
    }

    /** Also tells {@code listener} of every notification decided. */
    public NotifyCheck alsoTell(Listener listener) {
        this.listener = listener;
        return this;
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        long conversationId = Long.parseLong(job.payload());
        Decision decision = gate.call(() -> jdbi.withHandle(h -> decide(h, conversationId)));
        return new Jobs.Outcome.Done(h -> {
            h.createUpdate("DELETE FROM notification_bursts WHERE conversation_id = :c").bind("c", conversationId).execute();
            for (String m : decision.mails()) Jobs.enqueue(h, NotifySend.KIND, null, m, null);
            if (decision.decided() != null) listener.decided(h, decision.decided());
        });
    }

    private static final Decision NONE = new Decision(List.of(), null);

    /** The mails to send (as job payloads), none when the burst needs no one. */
    private Decision decide(Handle h, long conversationId) {
        Long since = h.createQuery("SELECT since_message_id FROM notification_bursts WHERE conversation_id = :c")
                .bind("c", conversationId).mapTo(Long.class).findOne().orElse(null);
        if (since == null) return NONE;
        Conversation c = h.createQuery("""
                        SELECT c.id, c.account_id, c.group_id, c.is_offline, cardinality(c.assignee_ids) > 0, c.contact_message_count,
                               coalesce(ct.name, v.name), coalesce(nullif(ct.email, ''), v.email), coalesce(ct.phone, v.phone),
                               coalesce(va.current_url, v.current_url), CASE WHEN va.current_url IS NULL THEN v.current_title
                               ELSE va.current_title END, v.ip, a.name
                        FROM conversations c JOIN visitors v ON v.id = c.visitor_id JOIN accounts a ON a.id = c.account_id
                        LEFT JOIN visitor_activity va ON va.visitor_id = v.id
                        LEFT JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = :c""")
                .bind("c", conversationId)
                .map((rs, ctx) -> new Conversation(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getString(12), rs.getString(13)))
                .findOne().orElse(null);
        if (c == null) return NONE;
        boolean answered = h.createQuery("""
                        SELECT count(*) > 0 FROM messages WHERE conversation_id = :c AND id >= :since
                          AND sub_type = 'agent' AND kind = 'message'""")
                .bind("c", conversationId).bind("since", since).mapTo(Boolean.class).one();
        if (answered || c.assigned()) return NONE;
        Kind kind = c.offline() ? Kind.OFFLINE_MESSAGE : Kind.MISSED_CONVERSATION;
        List<Agent> team = Agents.ofAccount(h, c.accountId()).stream()
                .filter(a -> a.active() && a.viewer().sees(c.groupId())).toList();
        if (kind == Kind.OFFLINE_MESSAGE && team.stream().anyMatch(Agent::online)) return NONE;
        Map<Long, Integer> reads = new java.util.HashMap<>();
        h.createQuery("SELECT agent_id, read_count FROM conversation_reads WHERE conversation_id = :c").bind("c", conversationId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2))).forEach(e -> reads.put(e.getKey(), e.getValue()));
        Map<Long, NotificationChoices.Choices> choices = new java.util.HashMap<>();
        h.createQuery("SELECT agent_id, offline_message, missed_conversation FROM agent_notifications WHERE agent_id = ANY(:a)")
                .bindArray("a", Long.class, team.stream().map(Agent::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getLong(1), new NotificationChoices.Choices(rs.getBoolean(2), rs.getBoolean(3))))
                .forEach(e -> choices.put(e.getKey(), e.getValue()));
        List<Line> lines = h.createQuery("""
                        SELECT text, created_at FROM messages WHERE conversation_id = :c AND id >= :since
                          AND sub_type = 'contact' AND kind = 'message' ORDER BY id LIMIT 20""")
                .bind("c", conversationId).bind("since", since)
                .map((rs, ctx) -> new Line(rs.getString(1), rs.getObject(2, OffsetDateTime.class))).list();
        if (lines.isEmpty()) return NONE;
        List<String> out = new ArrayList<>();
        List<Long> told = new ArrayList<>();
        for (Agent a : team) {
            NotificationChoices.Choices choice = choices.getOrDefault(a.id(), new NotificationChoices.Choices(true, true));
            boolean wanted = kind == Kind.OFFLINE_MESSAGE ? choice.offlineMessage() : choice.missedConversation();
            if (!wanted || reads.getOrDefault(a.id(), 0) >= c.contactMessages()) continue;
            told.add(a.id());
            NotificationMail.Mail mail = NotificationMail.of(kind, c, lines, baseUrl.get());
            ObjectNode payload = Json.object();
            payload.put("account_id", c.accountId());
            payload.put("agent_id", a.id());
            payload.put("conversation_id", c.id());
            payload.put("to", a.email());
            payload.put("subject", mail.subject());
            payload.put("text", mail.text());
            payload.put("html", mail.html());
            out.add(Json.write(payload));
        }
        String who = c.visitorName() != null ? c.visitorName() : c.visitorEmail();
        return new Decision(out, told.isEmpty() ? null
                : new Decided(kind, c.accountId(), c.id(), who, lines.getLast().text(), List.copyOf(told)));
    }
}
