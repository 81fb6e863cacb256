package app.parley.conversation;

import app.parley.realtime.Tx;
import app.parley.realtime.TxPart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The messages a batch of commands writes: ids drawn in blocks (the sequence steps by 1000), rows sent as one
 * multi-row insert, and the client ids already stored looked up in one query, so a retried send is found.
 */
final class MessageBatch implements TxPart {
    private record ClientKey(long conversationId, String clientId) {}

    private final Tx tx;
    private final List<Message> pending = new ArrayList<>();
    private final Map<ClientKey, Message> byClientId = new HashMap<>();
    private final List<ClientKey> wanted = new ArrayList<>();
    // Keys already looked up in this transaction, found or not: a new message's id is asked for only once.
    private final java.util.Set<ClientKey> lookedUp = new java.util.HashSet<>();
    private long nextId;
    private long lastId = -1;

    private MessageBatch(Tx tx) {
        this.tx = tx;
    }

    static MessageBatch of(Tx tx) {
        return tx.part(MessageBatch.class, MessageBatch::new);
    }

    void wantClientId(long conversationId, String clientId) {
        if (clientId != null && !lookedUp.contains(new ClientKey(conversationId, clientId))) {
            wanted.add(new ClientKey(conversationId, clientId));
        }
    }

    /** The message stored (or about to be) with this client id, or null. */
    Message byClientId(long conversationId, String clientId) {
        if (clientId == null) return null;
        ClientKey key = new ClientKey(conversationId, clientId);
        Message known = byClientId.get(key);
        if (known != null || lookedUp.contains(key)) return known;
        if (!wanted.contains(key)) wanted.add(key);
        loadWanted();
        return byClientId.get(key);
    }

    private void loadWanted() {
        if (wanted.isEmpty()) return;
        long[] conversations = wanted.stream().mapToLong(ClientKey::conversationId).toArray();
        String[] clients = wanted.stream().map(ClientKey::clientId).toArray(String[]::new);
        lookedUp.addAll(wanted);
        wanted.clear();
        List<Message> found = Messages.query(tx.reader(), """
                        WHERE (m.conversation_id, m.client_id) IN (SELECT * FROM unnest(:convs, :clients))""",
                q -> q.bind("convs", conversations).bind("clients", clients));
        for (Message m : found) byClientId.put(new ClientKey(m.conversationId(), m.clientId()), m);
    }

    long nextId() {
        if (nextId > lastId) {
            long base = tx.reader().createQuery("SELECT nextval('messages_id_seq')").mapTo(Long.class).one();
            nextId = base;
            lastId = base + Messages.ID_BLOCK - 1;
        }
        return nextId++;
    }

    void insert(Message m) {
        pending.add(m);
        if (m.clientId() != null) byClientId.put(new ClientKey(m.conversationId(), m.clientId()), m);
        tx.wrote();
    }

    @Override
    public void flush(Handle h) {
        if (pending.isEmpty()) return;
        PreparedBatch b = h.prepareBatch("""
                INSERT INTO messages (id, account_id, conversation_id, kind, sub_type, channel, agent_id, text,
                                      event_type, data, client_id, created_at)
                VALUES (:id, :accountId, :conversationId, :kind, :subType, :channel, :agentId, :text,
                        :eventType, CAST(:data AS jsonb), :clientId, :createdAt)""");
        for (Message m : pending) b.bindMethods(m).add();
        b.execute();
        pending.clear();
    }
}
