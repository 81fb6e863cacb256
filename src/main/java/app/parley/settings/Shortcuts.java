package app.parley.settings;

import app.parley.account.Caller;
import app.parley.core.Input;
import app.parley.core.Refusal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Canned responses (docs/PRODUCT.md §1.4): an agent's own, or the team's (created and edited by admins). A name
 * has at most 50 characters, no spaces (it is typed after "/" or "." in the composer) and is unique per owner
 * whatever the case; a text has at most 65,535 characters and may hold variables such as {visitor.name}, filled
 * in by the dashboard when the shortcut is used.
 */
public final class Shortcuts {
    public record Shortcut(long id, String name, String text, String scope, Long agentId, OffsetDateTime updatedAt) {}

    public record Request(String name, String text, String scope) {}

    public static final int MAX_NAME = 50;
    public static final int MAX_TEXT = 65_535;
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_-]+");
    private static final String SELECT = """
            SELECT id, name, text, CASE WHEN agent_id IS NULL THEN 'team' ELSE 'personal' END AS scope, agent_id, updated_at
            FROM shortcuts""";

    private final Jdbi jdbi;

    public Shortcuts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The caller's own shortcuts and the team's, by name. */
    public List<Shortcut> list(Caller c) {
        return jdbi.withHandle(h -> h.createQuery(SELECT
                        + " WHERE account_id = :a AND (agent_id IS NULL OR agent_id = :me) ORDER BY lower(name), agent_id NULLS LAST")
                .bind("a", c.accountId()).bind("me", c.agent().id()).map(Shortcuts::map).list());
    }

    public Shortcut create(Caller c, Request r) {
        if (r == null) throw Refusal.invalid("name", "Send a name and a text.");
        boolean team = scope(r.scope());
        if (team) requireAdmin(c);
        String name = name(r.name());
        String text = text(r.text());
        return jdbi.inTransaction(h -> {
            taken(h, c.accountId(), team ? null : c.agent().id(), name, 0);
            long id = h.createUpdate("INSERT INTO shortcuts (account_id, agent_id, name, text) VALUES (:a, :ag, :n, :t)")
                    .bind("a", c.accountId()).bind("ag", team ? null : c.agent().id()).bind("n", name).bind("t", text)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            return get(h, id);
        });
    }

    public Shortcut update(Caller c, long id, Request r) {
        if (r == null || r.name() == null && r.text() == null) throw Refusal.invalid("name", "Nothing to change: send name or text.");
        if (r.scope() != null) throw Refusal.invalid("scope", "A shortcut's scope cannot change; make a new one.");
        String name = r.name() == null ? null : name(r.name());
        String text = r.text() == null ? null : text(r.text());
        return jdbi.inTransaction(h -> {
            Shortcut s = editable(h, c, id);
            if (name != null) taken(h, c.accountId(), s.agentId(), name, id);
            h.createUpdate("UPDATE shortcuts SET name = coalesce(:n, name), text = coalesce(:t, text), updated_at = now() WHERE id = :id")
                    .bind("n", name).bind("t", text).bind("id", id).execute();
            return get(h, id);
        });
    }

    public void delete(Caller c, long id) {
        jdbi.useTransaction(h -> {
            editable(h, c, id);
            h.createUpdate("DELETE FROM shortcuts WHERE id = :id").bind("id", id).execute();
        });
    }

    /** The shortcut, when the caller may change it: their own, or the team's for an admin. Another's is not found. */
    private static Shortcut editable(Handle h, Caller c, long id) {
        Shortcut s = h.createQuery(SELECT + " WHERE id = :id AND account_id = :a").bind("id", id).bind("a", c.accountId())
                .map(Shortcuts::map).findOne().orElseThrow(() -> Refusal.notFound("The shortcut"));
        if (s.agentId() == null) requireAdmin(c);
        else if (s.agentId() != c.agent().id()) throw Refusal.notFound("The shortcut");
        return s;
    }

    private static void taken(Handle h, long accountId, Long agentId, String name, long except) {
        boolean clash = h.createQuery("""
                        SELECT count(*) > 0 FROM shortcuts WHERE account_id = :a AND agent_id IS NOT DISTINCT FROM :ag
                        AND lower(name) = lower(:n) AND id <> :x""")
                .bind("a", accountId).bind("ag", agentId).bind("n", name).bind("x", except).mapTo(Boolean.class).one();
        if (clash) throw new Refusal(Refusal.Kind.CONFLICT, "shortcut_name_taken", "A shortcut named '" + name + "' already exists.", "name");
    }

    private static Shortcut get(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map(Shortcuts::map).one();
    }

    private static Shortcut map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        long agent = rs.getLong("agent_id");
        Long agentId = rs.wasNull() ? null : agent;
        return new Shortcut(rs.getLong("id"), rs.getString("name"), rs.getString("text"), rs.getString("scope"),
                agentId, rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static boolean scope(String scope) {
        if (scope == null || scope.equals("personal")) return false;
        if (scope.equals("team")) return true;
        throw Refusal.invalid("scope", "scope is 'personal' or 'team'.");
    }

    private static void requireAdmin(Caller c) {
        if (!c.agent().role().fullAccess()) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "team_shortcuts_admin_only", "Only the owner and admins may change team shortcuts.");
        }
    }

    static String name(String value) {
        String n = value == null ? "" : value.strip();
        if (n.startsWith("/") || n.startsWith(".")) n = n.substring(1);
        if (n.isEmpty()) throw new Refusal(Refusal.Kind.INVALID, "shortcut_name_missing", "A shortcut needs a name.", "name");
        if (n.codePointCount(0, n.length()) > MAX_NAME) {
            throw new Refusal(Refusal.Kind.INVALID, "shortcut_name_too_long", "A shortcut's name has at most 50 characters.", "name");
        }
        if (!NAME.matcher(n).matches()) {
            throw new Refusal(Refusal.Kind.INVALID, "shortcut_name_invalid",
                    "A shortcut's name is one word: letters, digits, '-' and '_' (it is typed after / or .).", "name");
        }
        return n;
    }

    static String text(String value) {
        if (value == null || value.isBlank()) throw new Refusal(Refusal.Kind.INVALID, "shortcut_text_missing", "A shortcut needs a text.", "text");
        if (value.length() > MAX_TEXT) {
            throw new Refusal(Refusal.Kind.INVALID, "shortcut_text_too_long", "A shortcut's text has at most 65,535 characters.", "text");
        }
        Input.refuseControlCharacters("text", value, true);
        return app.parley.core.CardNumberMasker.mask(value.strip());
    }
}
