package app.parley.search;

import app.parley.account.Viewer;
import app.parley.core.Input;
import app.parley.core.Refusal;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** An agent's own saved filters: a name and the dashboard's filter (its URL query), visible to that agent only. */
public final class SavedSearches {
    static final int MAX_PER_AGENT = 50;

    public record Saved(long id, String name, String filter, OffsetDateTime createdAt) {}

    public record Create(String name, String filter) {}

    private final Jdbi jdbi;

    public SavedSearches(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Saved> list(Viewer viewer) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, filter, created_at FROM saved_searches WHERE agent_id = :me ORDER BY lower(name), id")
                .bind("me", viewer.agentId())
                .map((rs, ctx) -> new Saved(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class)))
                .list());
    }

    public Saved create(Viewer viewer, Create in) {
        String name = Input.requiredName("name", in == null ? null : in.name());
        String filter = Input.shortText("filter", in.filter(), 2000);
        if (filter == null || filter.isBlank()) throw Refusal.invalid("filter", "filter is the search to save.");
        return jdbi.inTransaction(h -> {
            // One agent's rows only: a lock on the agent keeps two saves from both passing the limit.
            h.createQuery("SELECT id FROM agents WHERE id = :me FOR UPDATE").bind("me", viewer.agentId()).mapTo(Long.class).one();
            int count = h.createQuery("SELECT count(*) FROM saved_searches WHERE agent_id = :me").bind("me", viewer.agentId())
                    .mapTo(Integer.class).one();
            if (count >= MAX_PER_AGENT) throw Refusal.invalid("name", "You can keep at most " + MAX_PER_AGENT + " saved searches.");
            return h.createQuery("""
                            INSERT INTO saved_searches (account_id, agent_id, name, filter) VALUES (:a, :me, :n, :f)
                            ON CONFLICT (agent_id, name) DO UPDATE SET filter = excluded.filter
                            RETURNING id, name, filter, created_at""")
                    .bind("a", viewer.accountId()).bind("me", viewer.agentId()).bind("n", name).bind("f", filter)
                    .map((rs, ctx) -> new Saved(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class)))
                    .one();
        });
    }

    public void delete(Viewer viewer, long id) {
        int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM saved_searches WHERE id = :id AND agent_id = :me")
                .bind("id", id).bind("me", viewer.agentId()).execute());
        if (n == 0) throw Refusal.notFound("The saved search");
    }
}
