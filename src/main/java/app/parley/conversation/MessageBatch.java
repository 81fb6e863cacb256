package app.parley.conversation;

import app.parley.store.Flush;
import app.parley.store.Tx;
import app.parley.store.TxPart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The messages a batch of commands writes: ids drawn in blocks (the sequence steps by 1000) that last across
 * batches, rows sent as one multi-row insert.
 *
 * <p>Client ids: on a batch's first run a client id is taken as new, and the unique index
 * {@code messages_client_id} refuses one that is stored already; the journal then runs the batch again
 * {@link Tx#careful() carefully}, and this time the client ids are looked up (in one query), so a retried send is
 * answered with the stored message.
 */
final class MessageBatch implements TxPart {
    private record ClientKey(long conversationId, String clientId) {}

    /** The block of message ids the journal draws from; it outlives batches. */
    private static final class IdBlock {
        long next;
        long last = -1;
    }

    private final Tx tx;
    private final List<Message> pending = new ArrayList<>();
    private final Map<ClientKey, Message> byClientId = new HashMap<>();
    private final List<ClientKey> wanted = new ArrayList<>();
    // Keys already looked up in this transaction, found or not: a new message's id is asked for only once.
    private final Set<ClientKey> lookedUp = new HashSet<>();
    private final IdBlock ownBlock = new IdBlock();

    private MessageBatch(Tx tx) {
        this.tx = tx;
    }

    static MessageBatch of(Tx tx) {
        return tx.part(MessageBatch.class, MessageBatch::new);
    }

    void wantClientId(long conversationId, String clientId) {
        if (tx.careful() && clientId != null && !lookedUp.contains(new ClientKey(conversationId, clientId))) {
            wanted.add(new ClientKey(conversationId, clientId));
        }
    }

    /** The message stored (or about to be) with this client id, or null. */
    Message byClientId(long conversationId, String clientId) {
        if (clientId == null) return null;
        ClientKey key = new ClientKey(conversationId, clientId);
        Message known = byClientId.get(key);
        if (known != null || !tx.careful() || lookedUp.contains(key)) return known;
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
        // client_id IS NOT NULL lets PostgreSQL use the partial unique index: one index probe per key.
        List<Message> found = Messages.query(tx.reader(), """
                        JOIN unnest(:convs, :clients) AS k(conversation_id, client_id)
                          ON m.conversation_id = k.conversation_id AND m.client_id = k.client_id
                        WHERE m.client_id IS NOT NULL""",
                q -> q.bind("convs", conversations).bind("clients", clients));
        for (Message m : found) byClientId.put(new ClientKey(m.conversationId(), m.clientId()), m);
    }

    long nextId() {
        // With several nodes a block is drawn in each batch, after the rows of shared accounts are locked: ids then
        // follow each account's commit order (the timeline is in id order) whichever node writes. Alone, a block
        // lasts from batch to batch.
        IdBlock block = tx.severalNodes() ? ownBlock : tx.lasting(IdBlock.class, IdBlock::new);
        if (block.next > block.last) {
            long base = tx.reader().createQuery("SELECT nextval('messages_id_seq')").mapTo(Long.class).one();
            block.next = base;
            block.last = base + Messages.ID_BLOCK - 1;
        }
        return block.next++;
    }

    void insert(Message m) {
        pending.add(m);
        if (m.clientId() != null) byClientId.put(new ClientKey(m.conversationId(), m.clientId()), m);
        tx.wrote();
    }

    @Override
    public void flush(Flush out) {
        if (pending.isEmpty()) return;
        List<Message> rows = List.copyOf(pending);
        pending.clear();
        out.add("""
                INSERT INTO messages (id, account_id, conversation_id, kind, sub_type, channel, agent_id, text,
                                      event_type, data, client_id, created_at)
                SELECT id, account_id, conversation_id, kind, sub_type, channel, agent_id, text, event_type,
                       CAST(data AS jsonb), client_id, CAST(created_at AS timestamptz)
                FROM unnest(:m_id, :m_account, :m_conversation, :m_kind, :m_sub_type, :m_channel, :m_agent, :m_text,
                            :m_event_type, :m_data, :m_client_id, :m_created_at)
                     AS u(id, account_id, conversation_id, kind, sub_type, channel, agent_id, text, event_type, data,
                          client_id, created_at)""",
                Flush.Column.of("m_id", "bigint", rows, Message::id),
                Flush.Column.of("m_account", "bigint", rows, Message::accountId),
                Flush.Column.of("m_conversation", "bigint", rows, Message::conversationId),
                Flush.Column.of("m_kind", "text", rows, m -> m.kind().wire()),
                Flush.Column.of("m_sub_type", "text", rows, m -> m.subType().wire()),
                Flush.Column.of("m_channel", "text", rows, m -> m.channel().wire()),
                Flush.Column.of("m_agent", "bigint", rows, Message::agentId),
                Flush.Column.of("m_text", "text", rows, Message::text),
                Flush.Column.of("m_event_type", "text", rows, m -> m.eventType() == null ? null : m.eventType().wire()),
                Flush.Column.of("m_data", "text", rows, Message::data),
                Flush.Column.of("m_client_id", "text", rows, Message::clientId),
                Flush.Column.of("m_created_at", "text", rows, m -> m.createdAt().toString()));
    }
}
