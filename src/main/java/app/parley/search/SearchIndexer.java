package app.parley.search;

import app.parley.core.Json;
import app.parley.store.EventHandler;
import app.parley.store.EventType;
import app.parley.store.LoggedEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The event-log consumer that keeps the search documents: each batch of committed events names the conversations
 * they touched. New messages are added to their documents (a piece per conversation) and the filter columns
 * refreshed; a visitor's or contact's change rebuilds the documents of their conversations whole. All in the
 * consumer's transaction. The chat's write path never waits for it: it runs after the commit, on its own thread.
 */
public final class SearchIndexer implements EventHandler {
    public static final String NAME = "search";
    private static final Set<String> ID = Set.of("id");

    /**
     * The events read and parsed one by one. Not {@code message.created}, the chat's own: the new messages of a
     * batch are found in SQL from the stretches of the log it passed ({@link SearchDocuments#addMessagesOf}).
     */
    private static final Set<EventType> TYPES = java.util.EnumSet.of(EventType.CONVERSATION_CREATED,
            EventType.CONVERSATION_UPDATED, EventType.VISITOR_UPDATED, EventType.CONTACT_UPDATED);

    @Override
    public Set<EventType> types() {
        return TYPES;
    }

    /**
     * A conversation's document is rewritten once per batch whatever number of its messages the batch holds: a
     * quarter of a second of gathering lets a busy chat's messages share one rewrite, well within the two seconds
     * in which a message must be findable.
     */
    @Override
    public java.time.Duration gather() {
        return java.time.Duration.ofMillis(250);
    }

    @Override
    public int batchSize() {
        return 5_000;
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events) {
        throw new UnsupportedOperationException("The search consumer is told the stretches of the log it passed");
    }

    @Override
    public void handle(Handle h, List<LoggedEvent> events, List<Passed> passed) {
        // First the new messages of conversations that have a document (one piece each), which names them; those
        // without one yet get it whole below, their messages with it.
        Set<Long> conversations = new LinkedHashSet<>(SearchDocuments.addMessagesOf(h, passed));
        Set<Long> whole = new LinkedHashSet<>();
        List<Long> visitors = new ArrayList<>();
        List<Long> contacts = new ArrayList<>();
        for (LoggedEvent logged : events) {
            var e = logged.event();
            EventType type = EventType.fromWire(e.type());
            switch (type) {
                case CONVERSATION_CREATED, CONVERSATION_UPDATED -> {
                    if (e.conversationId() != null) conversations.add(e.conversationId());
                }
                case VISITOR_UPDATED -> idOf(e.agentPayload()).ifPresent(visitors::add);
                case CONTACT_UPDATED -> idOf(e.agentPayload()).ifPresent(contacts::add);
                // A tag renamed or a group deleted changes no document (documents hold ids, and a deleted group's
                // conversations come with their own conversation.updated events); reads and agents change none.
                default -> { }
            }
        }
        if (!visitors.isEmpty() || !contacts.isEmpty()) {
            // A visitor's page matters to its open conversations; a name or email to all of them: whole documents.
            whole.addAll(h.createQuery("""
                            SELECT id FROM conversations WHERE visitor_id = ANY(:v)
                            UNION SELECT id FROM conversations WHERE contact_id = ANY(:k)""")
                    .bindArray("v", Long.class, visitors).bindArray("k", Long.class, contacts)
                    .mapTo(Long.class).list());
        }
        conversations.removeAll(whole);
        SearchDocuments.refresh(h, List.copyOf(conversations));
        SearchDocuments.index(h, List.copyOf(whole), false);
    }

    private static java.util.Optional<Long> idOf(String payload) {
        if (payload == null) return java.util.Optional.empty();
        String id = Json.scalars(payload, ID).get("id");
        try {
            return id == null ? java.util.Optional.empty() : java.util.Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
