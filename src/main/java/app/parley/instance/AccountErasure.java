package app.parley.instance;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Deletes an account's rows from every table, found in the database's catalog rather than listed here, so that a
 * table a later migration adds is erased too: each table with an {@code account_id} column, and before any row goes,
 * the rows of other tables whose foreign keys (without ON DELETE CASCADE or SET NULL) point at it, recursively.
 */
final class AccountErasure {
    private record ForeignKey(String child, List<String> childColumns, String parent, List<String> parentColumns) {}

    private AccountErasure() {}

    static void erase(Handle h, long accountId) {
        List<ForeignKey> keys = h.createQuery("""
                        SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
                               (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS child_cols,
                               (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS parent_cols
                        FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
                        WHERE c.contype = 'f' AND c.conparentid = 0 AND NOT r.relispartition
                          AND c.confdeltype NOT IN ('c', 'n', 'd') AND c.conrelid <> c.confrelid
                          AND r.relnamespace = current_schema()::regnamespace""")
                .map((rs, ctx) -> new ForeignKey(rs.getString("child"), List.of((String[]) rs.getArray("child_cols").getArray()),
                        rs.getString("parent"), List.of((String[]) rs.getArray("parent_cols").getArray())))
                .list();
        List<String> owned = h.createQuery("""
                        SELECT r.oid::regclass::text FROM pg_class r JOIN pg_attribute a ON a.attrelid = r.oid
                        WHERE a.attname = 'account_id' AND NOT a.attisdropped AND r.relkind IN ('r', 'p')
                          AND NOT r.relispartition AND r.relnamespace = current_schema()::regnamespace
                        ORDER BY 1""")
                .mapTo(String.class).list();
        for (String table : owned) delete(h, keys, table, "account_id = " + accountId, new HashSet<>());
        delete(h, keys, "accounts", "id = " + accountId, new HashSet<>());
    }

    /** Deletes {@code table}'s rows matching {@code where}, after the rows elsewhere that still refer to them. */
    private static void delete(Handle h, List<ForeignKey> keys, String table, String where, Set<String> path) {
        if (!path.add(table)) throw new IllegalStateException("A cycle of foreign keys through " + table);
        for (ForeignKey k : keys) {
            if (!k.parent().equals(table)) continue;
            String childWhere = "(" + String.join(", ", k.childColumns()) + ") IN (SELECT "
                    + String.join(", ", k.parentColumns()) + " FROM " + table + " WHERE " + where + ")";
            delete(h, keys, k.child(), childWhere, path);
        }
        h.execute("DELETE FROM " + table + " WHERE " + where);
        path.remove(table);
    }

}
