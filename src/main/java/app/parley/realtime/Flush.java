package app.parley.realtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Update;

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

    private final StringBuilder sql = new StringBuilder();
    private final List<Column> columns = new ArrayList<>();

    public void add(String statement, Column... columns) {
        if (!sql.isEmpty()) sql.append(";\n");
        sql.append(statement);
        this.columns.addAll(List.of(columns));
    }

    boolean isEmpty() {
        return sql.isEmpty();
    }

    void execute(Handle handle) {
        if (isEmpty()) return;
        Update update = handle.createUpdate(sql.toString());
        Connection connection = handle.getConnection();
        try {
            // The driver's own arrays, bound directly: Jdbi's generic array binding costs more than the write.
            for (Column c : columns) {
                java.sql.Array array = connection.createArrayOf(c.type(), c.values());
                update.bind(c.name(), (Argument) (position, statement, ctx) -> statement.setArray(position, array));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot build the batch's arrays", e);
        }
        update.execute();
    }
}
