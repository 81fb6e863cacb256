package app.parley.conversation;

import app.parley.account.Agent;
import app.parley.account.Agents;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What agents do to a conversation (docs/PRODUCT.md §1.1, §1.3): reply, note, join, leave, assign, unassign, resolve,
 * read marks, important, tags. Each is one journal command; each answers with the conversation as the caller
 * now sees it. A conversation the agent may not see is "not found", never "forbidden", so ids reveal nothing.
 */
public final class AgentActions {
    private final Journal journal;

    public AgentActions(Journal journal) {
        this.journal = journal;
    }

    /** {@code kind} is message or note; a reply to a conversation nobody has joined joins the author to it. */
    public Message write(Agent author, long conversationId, MessageKind kind, String text, String clientId) {
        return write(author, conversationId, kind, text, clientId, null);
    }

    /**
     * As above, on the given channel (null: the conversation's). A message that goes by email starts "sending";
     * the email channel sends it and reports its delivery ({@link ChannelMessages#delivery}).
     */
    public Message write(Agent author, long conversationId, MessageKind kind, String text, String clientId, Channel channel) {
        return write(author, conversationId, kind, text, clientId, channel, null, (tx, m) -> {});
    }

    /**
     * A message carrying a file (issue #18): {@code fileData} is a JSON object merged into the message's data, and
     * {@code alongside} runs in the same transaction when the message is new (the file store ties the file to it).
     */
    public Message write(Agent author, long conversationId, MessageKind kind, String text, String clientId, Channel channel,
                         String fileData, java.util.function.BiConsumer<Tx, Message> alongside) {
        if (kind == MessageKind.EVENT) {
            throw Refusal.invalid("type", "type is 'message' or 'note'.");
        }
        String t = Input.messageText("text", text);
        String id = Input.clientId(clientId);
        requireActive(author);
        return journal.run(new Journal.Command<>() {
            @Override
            public void prepare(Tx tx) {
                ConversationCache.of(tx).want(conversationId);
                MessageBatch.of(tx).wantClientId(conversationId, id);
            }

            @Override
            public Message execute(Tx tx) {
                ConversationRow c = visible(tx, author, conversationId);
                Message earlier = MessageBatch.of(tx).byClientId(c.id, id);
                if (earlier != null) return earlier;
                Message.AgentRef me = ref(author);
                boolean joins = kind == MessageKind.MESSAGE && c.assigneeIds.isEmpty();
                if (joins) {
                    c.assigneeIds.add(author.id());
                    c.isServed = true;
                    Timeline.event(tx, c, me, TimelineEvent.AGENT_JOIN, Map.of("agent_id", author.id()));
                }
                Channel via = channel == null || kind != MessageKind.MESSAGE ? c.channel : channel;
                String data = kind == MessageKind.MESSAGE && via == Channel.EMAIL ? ChannelMessages.SENDING : null;
                if (fileData != null) data = ChannelMessages.merged(data, fileData);
                Message m = Timeline.write(tx, c, kind, MessageSubType.AGENT, me, t, null, data, id, via);
                alongside.accept(tx, m);
                Timeline.announce(tx, c, m);
                readAll(tx, c, author.id());
                // Replying is reading: the visitor sees "Seen" under what they wrote before.
                if (kind == MessageKind.MESSAGE) agentRead(tx, c, m.id());
                if (joins) Timeline.changed(tx, c, EventType.CONVERSATION_UPDATED);
                return m;
            }
        });
    }

    public ConversationView join(Agent agent, long conversationId) {
        requireActive(agent);
        return change(agent, conversationId, (tx, c) -> {
            if (!c.assigneeIds.add(agent.id())) return false;
            c.isServed = true;
            Timeline.event(tx, c, ref(agent), TimelineEvent.AGENT_JOIN, Map.of("agent_id", agent.id()));
            return true;
        });
    }

    public ConversationView leave(Agent agent, long conversationId) {
        return change(agent, conversationId, (tx, c) -> {
            if (!c.assigneeIds.remove(agent.id())) return false;
            Timeline.event(tx, c, ref(agent), TimelineEvent.AGENT_LEAVE, Map.of("agent_id", agent.id()));
            return true;
        });
    }

    public ConversationView assign(Agent by, long conversationId, Long agentId) {
        requireActive(by);
        return change(by, conversationId, (tx, c) -> {
            Agent target = colleague(tx, by, agentId);
            if (!target.active()) throw Refusal.invalid("agent_id", "An inactive agent cannot be assigned.");
            if (!target.viewer().sees(c.groupId)) {
                throw Refusal.invalid("agent_id", target.name() + " is not in this conversation's group.");
            }
            if (!c.assigneeIds.add(target.id())) return false;
            c.isServed = true;
            Timeline.event(tx, c, ref(by), TimelineEvent.AGENT_ASSIGN, Map.of("assigned", target.id(), "assigned_by", by.id(),
                    "assigned_name", target.name()));
            return true;
        });
    }

    public ConversationView unassign(Agent by, long conversationId, Long agentId) {
        return change(by, conversationId, (tx, c) -> {
            Agent target = colleague(tx, by, agentId);
            if (!c.assigneeIds.remove(target.id())) return false;
            Timeline.event(tx, c, ref(by), TimelineEvent.AGENT_UNASSIGN, Map.of("unassigned", target.id(), "unassigned_by", by.id(),
                    "unassigned_name", target.name()));
            return true;
        });
    }

    public ConversationView resolve(Agent agent, long conversationId) {
        return change(agent, conversationId, (tx, c) -> {
            if (!c.open()) return false;
            if (!ResolvePolicy.mayResolve(agent.viewer(), c.assigneeIds)) {
                throw Refusal.forbidden("Only an assigned agent, an admin or the owner may resolve this conversation.");
            }
            if (ResolvePolicy.resolverBecomesAssignee(c.assigneeIds)) {
                c.assigneeIds.add(agent.id());
                c.isServed = true;
            }
            c.status = ConversationStatus.CLOSED;
            c.closeType = CloseType.AGENT_CLOSE;
            c.closedBy = agent.id();
            c.finishedAt = OffsetDateTime.now();
            Timeline.event(tx, c, ref(agent), TimelineEvent.CHAT_CLOSE, Map.of("close_type", CloseType.AGENT_CLOSE, "agent_id", agent.id()));
            return true;
        });
    }

    public ConversationView setImportant(Agent agent, long conversationId, boolean important) {
        return change(agent, conversationId, (tx, c) -> {
            if (c.important == important) return false;
            c.important = important;
            return true;
        });
    }

    public ConversationView setTags(Agent agent, long conversationId, List<Long> tagIds) {
        if (tagIds.contains(null)) throw Refusal.invalid("tag_ids", "tag_ids holds tag ids only.");
        Set<Long> wanted = Set.copyOf(tagIds);
        return change(agent, conversationId, (tx, c) -> {
            var h = tx.handle();
            int known = h.createQuery("SELECT count(*) FROM tags WHERE account_id = :a AND id = ANY(:ids)")
                    .bind("a", agent.accountId()).bindArray("ids", Long.class, wanted).mapTo(Integer.class).one();
            if (known != wanted.size()) throw Refusal.invalid("tag_ids", "One of the tags does not exist.");
            h.createUpdate("DELETE FROM conversation_tags WHERE conversation_id = :c AND NOT (tag_id = ANY(:ids))")
                    .bind("c", c.id).bindArray("ids", Long.class, wanted).execute();
            h.createUpdate("""
                            INSERT INTO conversation_tags (conversation_id, tag_id)
                            SELECT :c, unnest(:ids) ON CONFLICT DO NOTHING""")
                    .bind("c", c.id).bindArray("ids", Long.class, wanted).execute();
            c.updatedAt = OffsetDateTime.now();
            return true;
        });
    }

    /** The agent has read everything: unread count to zero, the visitor sees "Seen". */
    public ConversationView markRead(Agent agent, long conversationId) {
        return journal.run(tx -> {
            ConversationRow c = visible(tx, agent, conversationId);
            readAll(tx, c, agent.id());
            if (c.lastMessageId != null) agentRead(tx, c, c.lastMessageId);
            return ConversationQueries.byId(tx.reader(), agent.accountId(), c.id, agent.viewer()).orElseThrow();
        });
    }

    public ConversationView markUnread(Agent agent, long conversationId) {
        return journal.run(tx -> {
            ConversationRow c = visible(tx, agent, conversationId);
            tx.handle().createUpdate("""
                            INSERT INTO conversation_reads (conversation_id, agent_id, read_count, marked_unread)
                            VALUES (:c, :a, 0, true)
                            ON CONFLICT (conversation_id, agent_id) DO UPDATE SET marked_unread = true""")
                    .bind("c", c.id).bind("a", agent.id()).execute();
            return ConversationQueries.byId(tx.reader(), agent.accountId(), c.id, agent.viewer()).orElseThrow();
        });
    }

    private interface Change {
        /** Changes the row; false when there was nothing to change. */
        boolean apply(Tx tx, ConversationRow c);
    }

    private ConversationView change(Agent agent, long conversationId, Change change) {
        return journal.run(new Journal.Command<>() {
            @Override
            public void prepare(Tx tx) {
                ConversationCache.of(tx).want(conversationId);
            }

            @Override
            public ConversationView execute(Tx tx) {
                ConversationRow c = visible(tx, agent, conversationId);
                if (change.apply(tx, c)) {
                    c.updatedAt = OffsetDateTime.now();
                    Timeline.changed(tx, c, EventType.CONVERSATION_UPDATED);
                }
                return ConversationQueries.byId(tx.reader(), agent.accountId(), c.id, agent.viewer()).orElseThrow();
            }
        });
    }

    private static ConversationRow visible(Tx tx, Agent agent, long conversationId) {
        ConversationRow c = ConversationCache.of(tx).get(conversationId);
        if (c == null || c.accountId != agent.accountId() || !agent.viewer().sees(c.groupId)) {
            throw Refusal.notFound("The conversation");
        }
        return c;
    }

    /** Moves the agents' read mark the visitor sees, and tells everyone. */
    private static void agentRead(Tx tx, ConversationRow c, long messageId) {
        if (messageId <= c.agentReadId) return;
        c.agentReadId = messageId;
        ConversationCache.of(tx).changed(c);
        String payload = Json.write(Map.of("reader", Reader.AGENT, "message_id", messageId));
        tx.emit(EventType.CONVERSATION_READ, c.accountId, c.id, c.groupId, c.visitorId, payload, payload);
    }

    private static void readAll(Tx tx, ConversationRow c, long agentId) {
        tx.handle().createUpdate("""
                        INSERT INTO conversation_reads (conversation_id, agent_id, read_count, marked_unread)
                        VALUES (:c, :a, :n, false)
                        ON CONFLICT (conversation_id, agent_id) DO UPDATE SET read_count = :n, marked_unread = false""")
                .bind("c", c.id).bind("a", agentId).bind("n", c.contactMessageCount).execute();
    }

    private static Agent colleague(Tx tx, Agent by, Long agentId) {
        if (agentId == null) throw Refusal.invalid("agent_id", "agent_id is required.");
        return Agents.inAccount(tx.reader(), by.accountId(), agentId)
                .orElseThrow(() -> Refusal.invalid("agent_id", "No such agent in this account."));
    }

    private static void requireActive(Agent agent) {
        if (!agent.active()) throw Refusal.forbidden("An inactive agent cannot chat.");
    }

    static Message.AgentRef ref(Agent a) {
        return new Message.AgentRef(a.id(), a.name(), a.avatarUrl());
    }

    /** The tab counts of an agent, with the account's shape (single or multi agent). */
    public static Map<String, Object> tabs(org.jdbi.v3.core.Handle h, Agent agent) {
        boolean single = ConversationTab.singleAgentAccount(Agents.activeAgentCount(h, agent.accountId()),
                Agents.groupCount(h, agent.accountId()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", single ? "single" : "multi");
        out.putAll(ConversationQueries.counts(h, agent.viewer(), single));
        return out;
    }
}
