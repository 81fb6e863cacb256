package app.parley.channel.messenger;

import app.parley.store.Flush;
import app.parley.store.Tx;
import app.parley.store.TxPart;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Parley's rows beside the Messenger messages a journal batch stores (their mids, the customers' last message
 * time), buffered and sent with the batch's other writes in one round trip: a statement per message would make the
 * journal's single writer wait on the database once per Messenger message, and the chat with it.
 */
final class InboundRows implements TxPart {
    record Row(long messageId, String mid, long accountId, long conversationId, String pageId, String psid,
               String direction, Instant at) {}

    private final Tx tx;
    private final List<Row> pending = new ArrayList<>();

    private InboundRows(Tx tx) {
        this.tx = tx;
    }

    static InboundRows of(Tx tx) {
        return tx.part(InboundRows.class, InboundRows::new);
    }

    void add(Row row) {
        pending.add(row);
        tx.wrote();
    }

    @Override
    public void flush(Flush out) {
        if (pending.isEmpty()) return;
        List<Row> rows = List.copyOf(pending);
        pending.clear();
        out.add("""
                INSERT INTO messenger_messages (message_id, mid, account_id, conversation_id, page_id, psid, direction, sent_at)
                SELECT id, mid, account_id, conversation_id, page_id, psid, direction, CAST(at AS timestamptz)
                FROM unnest(:r_id, :r_mid, :r_account, :r_conversation, :r_page, :r_psid, :r_direction, :r_at)
                     AS u(id, mid, account_id, conversation_id, page_id, psid, direction, at)
                ON CONFLICT DO NOTHING""",
                Flush.Column.of("r_id", "bigint", rows, Row::messageId),
                Flush.Column.of("r_mid", "text", rows, Row::mid),
                Flush.Column.of("r_account", "bigint", rows, Row::accountId),
                Flush.Column.of("r_conversation", "bigint", rows, Row::conversationId),
                Flush.Column.of("r_page", "text", rows, Row::pageId),
                Flush.Column.of("r_psid", "text", rows, Row::psid),
                Flush.Column.of("r_direction", "text", rows, Row::direction),
                Flush.Column.of("r_at", "text", rows, r -> r.at().toString()));
        List<Row> inbound = rows.stream().filter(r -> r.direction().equals("in")).toList();
        if (inbound.isEmpty()) return;
        // The reply windows start at the customer's latest message, whatever order the rows came in.
        out.add("""
                UPDATE messenger_contacts c SET last_inbound_at = greatest(coalesce(c.last_inbound_at, u.at), u.at)
                FROM (SELECT page_id, psid, max(CAST(at AS timestamptz)) AS at
                      FROM unnest(:c_page, :c_psid, :c_at) AS x(page_id, psid, at) GROUP BY page_id, psid) u
                WHERE c.page_id = u.page_id AND c.psid = u.psid""",
                Flush.Column.of("c_page", "text", inbound, Row::pageId),
                Flush.Column.of("c_psid", "text", inbound, Row::psid),
                Flush.Column.of("c_at", "text", inbound, r -> r.at().toString()));
    }
}
