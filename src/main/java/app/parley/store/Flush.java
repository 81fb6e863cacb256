package app.parley.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Update;
import org.postgresql.util.PGobject;

/**
 * The writes a batch has buffered, sent to PostgreSQL as one multi-statement string: the driver sends every
 * statement before one Sync, so they cost one round trip, and outside an explicit transaction they form one
 * implicit transaction that commits at that Sync, or rolls back whole if any of them fails.
 *
 * <p>Rows travel as one array per column ({@code unnest(:ids, :texts, …)}): a statement's text does not depend on
 * how many rows it writes, so the driver parses and prepares it once (PostgreSQL still plans the conversation
 * UPDATE afresh each time: it cannot see an array parameter's length). Column names must be unique across the
 * statements of one flush (each part prefixes its own).
 */
public final class Flush {
    /** A column of rows: bound as a PostgreSQL array of {@code type} to the parameter {@code :name}. */
    public record Column(String name, String type, Object[] values) {
        /** The column {@code field} of {@code rows}, in their order. */
        public static <R> Column of(String name, String type, List<R> rows, Function<R, Object> field) {
            Object[] values = new Object[rows.size()];
            for (int i = 0; i < values.length; i++) values[i] = field.apply(rows.get(i));
            return new Column(name, type, values);
        }
    }

    // The statements Parley flushes are constants: each combination is joined into one string once.
    private static final Map<List<String>, String> JOINED = new ConcurrentHashMap<>();

    private final List<String> statements = new ArrayList<>(4);
    private final List<Column> columns = new ArrayList<>();

    public void add(String statement, Column... columns) {
        statements.add(statement);
        this.columns.addAll(List.of(columns));
    }

    boolean isEmpty() {
        return statements.isEmpty();
    }

    public void execute(Handle handle) {
        if (isEmpty()) return;
        String sql = JOINED.get(statements);
        if (sql == null) {
            sql = String.join(";\n", statements);
            if (JOINED.size() < 256) JOINED.put(List.copyOf(statements), sql);
        }
        Update update = handle.createUpdate(sql);
        StringBuilder literal = new StringBuilder(256);
        for (Column c : columns) {
            // Bound as a typed array literal: the driver's createArrayOf allocates a 1 KiB buffer per array, which
            // for ~40 columns a batch was most of what the server allocated while chatting.
            PGobject array = new PGobject();
            try {
                array.setType(arrayType(c.type()));
                array.setValue(literal(literal, c.values()));
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot build the batch's arrays", e);
            }
            update.bind(c.name(), (Argument) (position, statement, ctx) -> statement.setObject(position, array));
        }
        update.execute();
    }

    private static String arrayType(String type) {
        return switch (type) {
            case "bigint" -> "_int8";
            case "int4" -> "_int4";
            case "boolean" -> "_bool";
            case "text" -> "_text";
            default -> throw new IllegalArgumentException("No array type for " + type);
        };
    }

    /** PostgreSQL's array literal of {@code values}, {@code {1,NULL,"a \"quoted\" text"}}, built in {@code s}. */
    static String literal(StringBuilder s, Object[] values) {
        int size = 2;
        for (Object v : values) size += v instanceof String text ? text.length() + 3 : 21;
        s.setLength(0);
        s.ensureCapacity(size);
        s.append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) s.append(',');
            Object v = values[i];
            if (v == null) {
                s.append("NULL");
            } else if (v instanceof Number || v instanceof Boolean) {
                s.append(v);
            } else {
                String text = v.toString();
                s.append('"');
                // Most texts need no escape: copied whole, not a char at a time (a page-view batch is 6,000 strings).
                int from = 0;
                for (int k = 0; k < text.length(); k++) {
                    char ch = text.charAt(k);
                    if (ch == '"' || ch == '\\') {
                        s.append(text, from, k).append('\\');
                        from = k;
                    }
                }
                s.append(text, from, text.length()).append('"');
            }
        }
        return s.append('}').toString();
    }
}
