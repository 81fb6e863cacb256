package app.parley.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for agents, groups and accounts. */
public final class Agents {
    private static final String SELECT = """
            SELECT a.*, coalesce(array_agg(gm.group_id) FILTER (WHERE gm.group_id IS NOT NULL), '{}') AS group_ids,
                   (SELECT acc.suspended_at IS NOT NULL FROM accounts acc WHERE acc.id = a.account_id) AS account_suspended
            FROM agents a LEFT JOIN group_members gm ON gm.agent_id = a.id
            """;

    private Agents() {}

    public static Optional<Agent> byId(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE a.id = :id GROUP BY a.id").bind("id", id).map(Agents::map).findOne();
    }

    public static Optional<Agent> inAccount(Handle h, long accountId, long id) {
        return byId(h, id).filter(a -> a.accountId() == accountId);
    }

    public static List<Agent> ofAccount(Handle h, long accountId) {
        return h.createQuery(SELECT + " WHERE a.account_id = :account GROUP BY a.id ORDER BY a.id")
                .bind("account", accountId).map(Agents::map).list();
    }

    public static Optional<Agent> byEmail(Handle h, String email) {
        return h.createQuery(SELECT + " WHERE lower(a.email) = lower(:email) GROUP BY a.id")
                .bind("email", email).map(Agents::map).findOne();
    }

    public static Optional<String> passwordHash(Handle h, long agentId) {
        return h.createQuery("SELECT password_hash FROM agents WHERE id = :id").bind("id", agentId)
                .mapTo(String.class).findOne();
    }

    public static long insert(Handle h, long accountId, String email, String name, Role role, String passwordHash) {
        return h.createUpdate("""
                        INSERT INTO agents (account_id, email, name, role, password_hash)
                        VALUES (:account, :email, :name, :role, :hash)""")
                .bind("account", accountId).bind("email", email).bind("name", name)
                .bind("role", role.wire()).bind("hash", passwordHash)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static Optional<Account> account(Handle h, long id) {
        return h.createQuery("SELECT id, name, chat_key FROM accounts WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new Account(rs.getLong("id"), rs.getString("name"), rs.getString("chat_key"))).findOne();
    }

    public static Optional<Account> accountByKey(Handle h, String key) {
        return h.createQuery("SELECT id, name, chat_key FROM accounts WHERE chat_key = :key").bind("key", key)
                .map((rs, ctx) -> new Account(rs.getLong("id"), rs.getString("name"), rs.getString("chat_key"))).findOne();
    }

    /** Whether an instance administrator has suspended the account (its chat box is unavailable meanwhile). */
    public static boolean suspended(Handle h, long accountId) {
        return h.createQuery("SELECT suspended_at IS NOT NULL FROM accounts WHERE id = :id").bind("id", accountId)
                .mapTo(Boolean.class).findOne().orElse(true);
    }

    public static int activeAgentCount(Handle h, long accountId) {
        return h.createQuery("SELECT count(*) FROM agents WHERE account_id = :a AND active")
                .bind("a", accountId).mapTo(Integer.class).one();
    }

    public static int groupCount(Handle h, long accountId) {
        return h.createQuery("SELECT count(*) FROM groups WHERE account_id = :a")
                .bind("a", accountId).mapTo(Integer.class).one();
    }

    static Agent map(ResultSet rs, StatementContext ctx) throws SQLException {
        Long[] groups = (Long[]) rs.getArray("group_ids").getArray();
        Set<Long> groupIds = new HashSet<>(Arrays.asList(groups));
        return new Agent(rs.getLong("id"), rs.getLong("account_id"), rs.getString("email"), rs.getString("name"),
                Role.parse(rs.getString("role")),
                // A suspended account's agents act as deactivated ones: every sign-in, request and socket check sees it.
                rs.getBoolean("active") && !rs.getBoolean("account_suspended"), AgentStatus.fromWire(rs.getString("status")),
                rs.getString("avatar_url"), Set.copyOf(groupIds));
    }
}
