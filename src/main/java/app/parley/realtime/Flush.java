package app.parley.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * The writes a batch has buffered, sent to PostgreSQL as one multi-statement string: the driver sends every
 * statement before one Sync, so they cost one round trip, and outside an explicit transaction they form one
 * implicit transaction that commits at that Sync, or rolls back whole if any of them fails.
 * Parameter names must be unique across the statements of one flush (each part prefixes its own).
 */
public final class Flush {
    private final StringBuilder sql = new StringBuilder();
    private final List<Consumer<Update>> binders = new ArrayList<>();

    public void add(String statement, Consumer<Update> binder) {
        if (!sql.isEmpty()) sql.append(";\n");
        sql.append(statement);
        binders.add(binder);
    }

    boolean isEmpty() {
        return binders.isEmpty();
    }

    void execute(Handle handle) {
        if (isEmpty()) return;
        Update update = handle.createUpdate(sql.toString());
        for (Consumer<Update> b : binders) b.accept(update);
        update.execute();
    }
}
