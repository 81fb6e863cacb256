package app.parley.conversation;

import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

/** What a visitor does from the chat box: write, end the chat, rate, mark read. */
public final class VisitorActions {
    /** A stored message and its JSON, as agents were told of it (the ack reuses it). */
    public record Sent(Message message, String json) {}

    /** The visitor a socket speaks for, and the conversation it last knew (null: look it up). */
    public record Who(long accountId, long visitorId, Long conversationId) {}

    private final Journal journal;
    private final BiPredicate<Long, Long> chatOnline;

    /** {@code chatOnline} tells whether an agent is online for (account, group); it decides {@code is_offline}. */
    public VisitorActions(Journal journal, BiPredicate<Long, Long> chatOnline) {
        this.journal = journal;
        this.chatOnline = chatOnline;
    }

    public CompletableFuture<Sent> send(Who who, String clientId, String text) {
        String t = Input.messageText("text", text);
        String id = Input.clientId(clientId);
        return journal.submit(new Send(who, id, t, false, null, (tx, m) -> {}));
    }

    /**
     * A message carrying a file (issue #18): {@code data} describes the file; {@code alongside} runs in the same
     * transaction when the message is new (the file store ties the file to it). Opens a conversation as a first
     * message does.
     */
    public CompletableFuture<Sent> sendFile(Who who, String clientId, String text, String data,
                                            java.util.function.BiConsumer<Tx, Message> alongside) {
        String t = Input.messageText("text", text);
        return journal.submit(new Send(who, Input.clientId(clientId), t, false, data, alongside));
    }

    /** The offline contact form: the caller has already stored the visitor's email; the conversation is offline. */
    public CompletableFuture<Sent> sendOffline(Who who, String clientId, String text) {
        return journal.submit(new Send(who, Input.clientId(clientId), Input.messageText("text", text), true, null, (tx, m) -> {}));
    }

    public CompletableFuture<ConversationView.ForVisitor> close(Who who) {
        return journal.submit(tx -> {
            ConversationRow c = own(tx, who);
            if (!c.open()) return Timeline.forVisitor(tx, c);
            c.status = ConversationStatus.CLOSED;
            c.closeType = CloseType.VISITOR_CLOSE;
            c.closedBy = null;
            c.finishedAt = OffsetDateTime.now();
            Timeline.event(tx, c, null, TimelineEvent.CHAT_CLOSE, Map.of("close_type", CloseType.VISITOR_CLOSE));
            Timeline.changed(tx, c, EventType.CONVERSATION_UPDATED);
            return Timeline.forVisitor(tx, c);
        });
    }

    public CompletableFuture<ConversationView.ForVisitor> rate(Who who, Integer value, String text) {
        if (value == null || !(value == 1 || value == 3 || value == 5)) {
            throw Refusal.invalid("value", "A rating is 5 (good), 3 (normal) or 1 (bad).");
        }
        String comment = Input.longText("text", text, 1000);
        return journal.submit(tx -> {
            ConversationRow c = own(tx, who);
            if (c.open()) throw Refusal.conflict("A conversation can be rated once it is resolved.");
            c.ratingValue = value;
            c.ratingText = comment;
            Map<String, Object> rating = new java.util.HashMap<>();
            rating.put("value", value);
            rating.put("text", comment);
            Timeline.event(tx, c, null, TimelineEvent.CHAT_RATED, rating);
            Timeline.changed(tx, c, EventType.CONVERSATION_UPDATED);
            return Timeline.forVisitor(tx, c);
        });
    }

    public CompletableFuture<Long> read(Who who, long messageId) {
        return journal.submit(tx -> {
            ConversationRow c = own(tx, who);
            long upTo = Math.min(messageId, c.lastMessageId == null ? 0 : c.lastMessageId);
            if (upTo <= c.visitorReadId) return c.visitorReadId;
            c.visitorReadId = upTo;
            ConversationCache.of(tx).changed(c);
            String payload = Json.write(Map.of("reader", Reader.VISITOR, "message_id", upTo));
            tx.emit(EventType.CONVERSATION_READ, c.accountId, c.id, c.groupId, c.visitorId, payload, payload);
            return upTo;
        });
    }

    private static ConversationRow own(Tx tx, Who who) {
        ConversationRow c = who.conversationId() == null ? latest(tx, who) : ConversationCache.of(tx).get(who.conversationId());
        // Someone else's conversation looks exactly like a missing one.
        if (c == null || c.visitorId != who.visitorId() || c.accountId != who.accountId()) {
            throw Refusal.notFound("The conversation");
        }
        return c;
    }

    private static ConversationRow latest(Tx tx, Who who) {
        ConversationCache cache = ConversationCache.of(tx);
        Long id = cache.newestOf(who.visitorId());
        return id == null ? null : cache.get(id);
    }

    private final class Send implements Journal.Command<Sent> {
        private final Who who;
        private final String clientId;
        private final String text;
        private final boolean offlineForm;
        private final String data;
        private final java.util.function.BiConsumer<Tx, Message> alongside;

        Send(Who who, String clientId, String text, boolean offlineForm, String data,
             java.util.function.BiConsumer<Tx, Message> alongside) {
            this.who = who;
            this.clientId = clientId;
            this.text = text;
            this.offlineForm = offlineForm;
            this.data = data;
            this.alongside = alongside;
        }

        @Override
        public void prepare(Tx tx) {
            if (who.conversationId() != null) {
                ConversationCache.of(tx).want(who.conversationId());
                MessageBatch.of(tx).wantClientId(who.conversationId(), clientId);
            }
        }

        @Override
        public Sent execute(Tx tx) {
            ConversationRow c = who.conversationId() == null ? latest(tx, who) : own(tx, who);
            if (c != null) {
                Message earlier = MessageBatch.of(tx).byClientId(c.id, clientId);
                if (earlier != null) return new Sent(earlier, Json.write(earlier));
            }
            boolean created = c == null;
            if (created) c = create(tx);
            boolean reopened = Timeline.reopen(tx, c);
            Message m = Timeline.write(tx, c, MessageKind.MESSAGE, MessageSubType.CONTACT, null, text, null, data, clientId);
            alongside.accept(tx, m);
            // Agents learn of a new conversation (with this message as its last) before the message itself.
            if (created) Timeline.changed(tx, c, EventType.CONVERSATION_CREATED);
            String json = Timeline.announce(tx, c, m);
            if (reopened) Timeline.changed(tx, c, EventType.CONVERSATION_UPDATED);
            return new Sent(m, json);
        }

        private ConversationRow create(Tx tx) {
            var h = tx.handle();
            Long groupId = h.createQuery("""
                            SELECT g.id FROM visitors v JOIN groups g ON g.account_id = v.account_id AND g.key = v.group_key
                            WHERE v.id = :v""").bind("v", who.visitorId()).mapTo(Long.class).findOne().orElse(null);
            boolean offline = offlineForm || !chatOnline.test(who.accountId(), groupId);
            ConversationRow row = h.createQuery("""
                            INSERT INTO conversations (account_id, visitor_id, contact_id, group_id, is_offline, ip, referer,
                                                       domain, variables)
                            SELECT v.account_id, v.id, v.contact_id, :group, :offline, v.ip, v.referrer,
                                   substring(coalesce(va.current_url, v.current_url) from '^https?://([^/:?#]+)'), v.variables
                            FROM visitors v LEFT JOIN visitor_activity va ON va.visitor_id = v.id
                            WHERE v.id = :v AND v.account_id = :a
                            RETURNING *""")
                    .bind("v", who.visitorId()).bind("a", who.accountId()).bind("group", groupId).bind("offline", offline)
                    .map((rs, ctx) -> ConversationRow.map(rs)).one();
            ConversationCache.of(tx).put(row);
            return row;
        }
    }
}
