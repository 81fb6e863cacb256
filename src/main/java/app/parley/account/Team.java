package app.parley.account;

import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** The team (docs/PRODUCT.md §8): agents' status, invitations, roles, groups, tags. Settings need full access. */
public final class Team {
    public record GroupView(long id, String name, String key) {}

    public record TagView(long id, String name, String color, String description) {}

    private final Journal journal;
    private final Auth auth;
    private final GroupCleanup groupCleanup;

    public Team(Journal journal, Auth auth, GroupCleanup groupCleanup) {
        this.journal = journal;
        this.auth = auth;
        this.groupCleanup = groupCleanup;
    }

    /** The agent's own status, name and avatar: all checked first, then written together. */
    public Agent updateMe(Agent agent, String name, String avatarUrl, String status) {
        AgentStatus s = status == null ? null : AgentStatus.parse("status", status);
        if (s == AgentStatus.ONLINE && !agent.active()) throw Refusal.forbidden("An inactive agent cannot go online.");
        String n = Input.name("name", name);
        String avatar = Input.url("avatar_url", avatarUrl);
        if (avatarUrl != null && !avatarUrl.isBlank() && avatar == null) {
            throw Refusal.invalid("avatar_url", "avatar_url must be an http(s) address.");
        }
        return journal.run(tx -> {
            tx.handle().createUpdate("""
                            UPDATE agents SET name = coalesce(:n, name), avatar_url = coalesce(:av, avatar_url),
                                   status = coalesce(:s, status)
                            WHERE id = :id""")
                    .bind("n", n).bind("av", avatar).bind("s", s == null ? null : s.wire()).bind("id", agent.id()).execute();
            return changed(tx, agent.id());
        });
    }

    /** Sets or (with null) removes the agent's own avatar; the address was checked by whoever stored the image. */
    public Agent setAvatar(Agent agent, String avatarUrl) {
        return journal.run(tx -> {
            tx.handle().createUpdate("UPDATE agents SET avatar_url = :av WHERE id = :id")
                    .bind("av", avatarUrl).bind("id", agent.id()).execute();
            return changed(tx, agent.id());
        });
    }

    public Agent invite(Caller by, String email, String name, String password, String role, List<Long> groupIds) {
        requireFullAccess(by);
        String e = Input.email("email", email);
        if (e == null) throw Refusal.invalid("email", "email is required.");
        String n = Input.requiredName("name", name);
        Passwords.validate(password);
        Role r = parseRole(role);
        String hash = Passwords.hash(password);
        return journal.run(tx -> {
            Handle h = tx.handle();
            if (Agents.byEmail(h, e).isPresent()) throw Refusal.conflict("An agent with this email already exists.");
            long id = Agents.insert(h, by.accountId(), e, n, r, hash);
            setGroups(h, by.accountId(), id, groupIds);
            return changed(tx, id);
        });
    }

    public Agent update(Caller by, long agentId, String name, String role, Boolean active, List<Long> groupIds) {
        requireFullAccess(by);
        String n = Input.name("name", name);
        Role r = role == null ? null : parseRole(role);
        Agent updated = journal.run(tx -> {
            Handle h = tx.handle();
            Agent target = Agents.inAccount(h, by.accountId(), agentId).orElseThrow(() -> Refusal.notFound("The agent"));
            if (target.role() == Role.OWNER && (r != null && r != Role.OWNER || Boolean.FALSE.equals(active))) {
                throw Refusal.forbidden("The account owner's role and access cannot change.");
            }
            h.createUpdate("""
                            UPDATE agents SET name = coalesce(:n, name), role = coalesce(:r, role), active = coalesce(:act, active),
                                   status = CASE WHEN :act = false THEN 'offline' ELSE status END
                            WHERE id = :id""")
                    .bind("n", n).bind("r", r == null ? null : r.wire()).bind("act", active).bind("id", agentId).execute();
            if (groupIds != null) setGroups(h, by.accountId(), agentId, groupIds);
            return changed(tx, agentId);
        });
        if (Boolean.FALSE.equals(active)) auth.endSessions(agentId);
        if (r != null || active != null || groupIds != null) auth.accessChanged(by.accountId());
        return updated;
    }

    public GroupView createGroup(Caller by, String name, String key) {
        requireFullAccess(by);
        String n = Input.requiredName("name", name);
        String k = key == null ? slug(n) : Input.requiredName("key", key);
        return journal.run(tx -> {
            Handle h = tx.handle();
            boolean taken = h.createQuery("SELECT count(*) > 0 FROM groups WHERE account_id = :a AND key = :k")
                    .bind("a", by.accountId()).bind("k", k).mapTo(Boolean.class).one();
            if (taken) throw Refusal.conflict("A group with this key already exists.");
            GroupView g = h.createQuery("INSERT INTO groups (account_id, name, key) VALUES (:a, :n, :k) RETURNING id, name, key")
                    .bind("a", by.accountId()).bind("n", n).bind("k", k)
                    .map((rs, ctx) -> new GroupView(rs.getLong(1), rs.getString(2), rs.getString(3))).one();
            accountChanged(tx, by.accountId(), EventType.GROUP_CREATED, g);
            return g;
        });
    }

    public GroupView renameGroup(Caller by, long groupId, String name) {
        requireFullAccess(by);
        String n = Input.requiredName("name", name);
        return journal.run(tx -> {
            GroupView g = tx.handle().createQuery("UPDATE groups SET name = :n WHERE id = :id AND account_id = :a RETURNING id, name, key")
                    .bind("n", n).bind("id", groupId).bind("a", by.accountId())
                    .map((rs, ctx) -> new GroupView(rs.getLong(1), rs.getString(2), rs.getString(3)))
                    .findOne().orElseThrow(() -> Refusal.notFound("The group"));
            accountChanged(tx, by.accountId(), EventType.GROUP_UPDATED, g);
            return g;
        });
    }

    public void deleteGroup(Caller by, long groupId) {
        requireFullAccess(by);
        journal.run(tx -> {
            int n = tx.handle().createUpdate("DELETE FROM groups WHERE id = :id AND account_id = :a")
                    .bind("id", groupId).bind("a", by.accountId()).execute();
            if (n == 0) throw Refusal.notFound("The group");
            // Its conversations are now ungrouped (ON DELETE SET NULL).
            groupCleanup.groupDeleted(tx, groupId);
            accountChanged(tx, by.accountId(), EventType.GROUP_DELETED, Map.of("id", groupId));
            return null;
        });
        // Its members' scope changed with it (an agent left in no group sees every group).
        auth.accessChanged(by.accountId());
    }

    public static List<GroupView> groups(Handle h, long accountId) {
        return h.createQuery("SELECT id, name, key FROM groups WHERE account_id = :a ORDER BY lower(name)")
                .bind("a", accountId).map((rs, ctx) -> new GroupView(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    }

    /** The id of the account's group with this key, or null. */
    public static Long groupId(Handle h, long accountId, String key) {
        return h.createQuery("SELECT id FROM groups WHERE account_id = :a AND key = :k")
                .bind("a", accountId).bind("k", key).mapTo(Long.class).findOne().orElse(null);
    }

    /** Any agent may create a tag while chatting (docs/PRODUCT.md §1.4); changing or deleting one needs full access. */
    public TagView createTag(Caller by, String name, String color, String description) {
        String n = Input.requiredName("name", name);
        String c = color(color);
        String d = Input.longText("description", description, 1000);
        return journal.run(tx -> {
            Handle h = tx.handle();
            boolean taken = h.createQuery("SELECT count(*) > 0 FROM tags WHERE account_id = :a AND lower(name) = lower(:n)")
                    .bind("a", by.accountId()).bind("n", n).mapTo(Boolean.class).one();
            if (taken) throw Refusal.conflict("A tag with this name already exists.");
            TagView t = h.createQuery("""
                            INSERT INTO tags (account_id, name, color, description) VALUES (:a, :n, :c, :d)
                            RETURNING id, name, color, description""")
                    .bind("a", by.accountId()).bind("n", n).bind("c", c).bind("d", d).map(Team::tag).one();
            accountChanged(tx, by.accountId(), EventType.TAG_CREATED, t);
            return t;
        });
    }

    public TagView updateTag(Caller by, long tagId, String name, String color, String description) {
        requireFullAccess(by);
        String n = Input.name("name", name);
        String c = color == null ? null : color(color);
        String d = Input.longText("description", description, 1000);
        return journal.run(tx -> {
            if (n != null) {
                boolean taken = tx.reader().createQuery(
                                "SELECT count(*) > 0 FROM tags WHERE account_id = :a AND lower(name) = lower(:n) AND id <> :id")
                        .bind("a", by.accountId()).bind("n", n).bind("id", tagId).mapTo(Boolean.class).one();
                if (taken) throw Refusal.conflict("A tag with this name already exists.");
            }
            TagView t = tx.handle().createQuery("""
                            UPDATE tags SET name = coalesce(:n, name), color = coalesce(:c, color),
                                   description = coalesce(:d, description)
                            WHERE id = :id AND account_id = :a RETURNING id, name, color, description""")
                    .bind("n", n).bind("c", c).bind("d", d).bind("id", tagId).bind("a", by.accountId())
                    .map(Team::tag).findOne().orElseThrow(() -> Refusal.notFound("The tag"));
            accountChanged(tx, by.accountId(), EventType.TAG_UPDATED, t);
            return t;
        });
    }

    public void deleteTag(Caller by, long tagId) {
        requireFullAccess(by);
        journal.run(tx -> {
            int n = tx.handle().createUpdate("DELETE FROM tags WHERE id = :id AND account_id = :a")
                    .bind("id", tagId).bind("a", by.accountId()).execute();
            if (n == 0) throw Refusal.notFound("The tag");
            accountChanged(tx, by.accountId(), EventType.TAG_DELETED, Map.of("id", tagId));
            return null;
        });
    }

    public static List<TagView> tags(Handle h, long accountId) {
        return h.createQuery("SELECT id, name, color, description FROM tags WHERE account_id = :a ORDER BY lower(name)")
                .bind("a", accountId).map(Team::tag).list();
    }

    public static void requireFullAccess(Caller caller) {
        if (!caller.agent().role().fullAccess()) {
            throw Refusal.forbidden("Only the owner and admins may change settings.");
        }
    }

    // Who is there to answer a chat box follows from these events once committed (realtime.ChatStatus).
    private static Agent changed(Tx tx, long agentId) {
        Agent a = Agents.byId(tx.reader(), agentId).orElseThrow();
        tx.emit(EventType.AGENT_UPDATED, a.accountId(), null, null, null, Json.write(a), null);
        return a;
    }

    private static void accountChanged(Tx tx, long accountId, EventType type, Object payload) {
        tx.emit(type, accountId, null, null, null, Json.write(payload), null);
    }

    private static void setGroups(Handle h, long accountId, long agentId, List<Long> groupIds) {
        if (groupIds == null) return;
        if (groupIds.contains(null)) throw Refusal.invalid("group_ids", "group_ids holds group ids only.");
        Set<Long> ids = Set.copyOf(groupIds);
        int known = h.createQuery("SELECT count(*) FROM groups WHERE account_id = :a AND id = ANY(:ids)")
                .bind("a", accountId).bindArray("ids", Long.class, ids).mapTo(Integer.class).one();
        if (known != ids.size()) throw Refusal.invalid("group_ids", "One of the groups does not exist.");
        h.createUpdate("DELETE FROM group_members WHERE agent_id = :id").bind("id", agentId).execute();
        h.createUpdate("INSERT INTO group_members (group_id, agent_id) SELECT unnest(:ids), :id")
                .bindArray("ids", Long.class, ids).bind("id", agentId).execute();
    }

    /** An invitation's role: an agent unless it says admin; nobody is invited as the owner. */
    private static Role parseRole(String role) {
        if (role == null) return Role.AGENT;
        Role r = java.util.Arrays.stream(Role.values()).filter(v -> v.wire().equals(role)).findFirst()
                .orElseThrow(() -> Refusal.invalid("role", "role is 'admin' or 'agent'."));
        if (r == Role.OWNER) throw Refusal.invalid("role", "There is one owner per account; invite admins instead.");
        return r;
    }

    private static String color(String color) {
        if (color == null) return "#6b7280";
        if (!color.matches("^#[0-9a-fA-F]{6}$")) throw Refusal.invalid("color", "A colour is written #rrggbb.");
        return color;
    }

    private static String slug(String name) {
        String s = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.isEmpty() ? "group" : s;
    }

    private static TagView tag(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return new TagView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }
}
