package app.parley.settings;

import app.parley.account.Agent;
import app.parley.account.AgentStatus;
import app.parley.account.Team;
import app.parley.account.Tokens;
import app.parley.store.Jobs;
import app.parley.store.Nodes;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence that matches reality (docs/PRODUCT.md §8): an agent who signs in goes online unless they chose not to;
 * when their last dashboard tab closes (or the computer sleeps and the socket times out) they go away after the
 * account's grace period and offline after the longer one; when a tab comes back, so do they. Only what Parley
 * itself switched is switched back: an agent who went offline by hand stays offline. The chat box follows
 * through the agent's status events.
 *
 * <p>Several nodes (issue #15): each node counts the tabs open on it in {@code agent_tabs}, so "the last tab
 * closed" means no tab on any live node. The away and offline steps are delayed jobs ({@value #ABSENCE}) that check,
 * when they run, that the agent still has no tab on a live node: whichever node runs them, once, and they survive
 * the death of the node that queued them. A tab opening deletes the pending step. A node that dies takes its tab
 * rows with it when it is reaped ({@link Nodes}), and the reaper queues the away step for the agents whose only tabs
 * were there.
 */
public final class Attendance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Attendance.class);
    /** The away/offline step's job kind; spelled out in this class's SQL too, so that the partial index (V29) serves it. */
    public static final String ABSENCE = "settings.agent_absence";
    /** A session this young that opens its first socket has just signed in. */
    private static final Duration FRESH_SESSION = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final Team team;
    private final Nodes nodes;
    private final Runnable wakeJobs;
    /** Sessions whose first socket this node saw (a sign-in shows itself on the node its first tab reaches). */
    private final Set<String> seenSessions = ConcurrentHashMap.newKeySet();

    public Attendance(Jdbi jdbi, Team team, Nodes nodes, Runnable wakeJobs) {
        this.jdbi = jdbi;
        this.team = team;
        this.nodes = nodes;
        this.wakeJobs = wakeJobs;
        nodes.onReap(this::reaping);
    }

    /**
     * Agents left online with no tab on any live node (this node restarted, or they were online when every node
     * stopped) are treated as just gone, and return on reconnect. Those with tabs on a node not yet known dead are
     * the reaper's, when it is.
     */
    public void start() {
        jdbi.useTransaction(h -> {
            List<Long> online = h.createQuery("""
                            SELECT a.id FROM agents a WHERE a.status = 'online' AND a.active
                              AND NOT EXISTS (SELECT 1 FROM agent_tabs t WHERE t.agent_id = a.id)
                              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'settings.agent_absence' AND j.state = 'pending'
                                              AND j.payload IN (a.id || :away, a.id || :offline))""")
                    .bind("away", ":" + AgentStatus.AWAY.wire()).bind("offline", ":" + AgentStatus.OFFLINE.wire())
                    .mapTo(Long.class).list();
            for (long id : online) scheduleAway(h, id);
        });
        wakeJobs.run();
    }

    /** A dashboard tab of this agent connected; {@code sessionToken} is null for an API token (an integration). */
    public void connected(Agent agent, String sessionToken) {
        if (sessionToken == null) return;
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("""
                                INSERT INTO agent_tabs (agent_id, node_id, tabs) VALUES (:a, :n, 1)
                                ON CONFLICT (agent_id, node_id) DO UPDATE SET tabs = agent_tabs.tabs + 1""")
                        .bind("a", agent.id()).bind("n", nodes.id()).execute();
                cancel(h, agent.id());
            });
        } catch (RuntimeException e) {
            log.warn("Could not count a tab of agent {}", agent.id(), e);
        }
        String session = HexFormat.of().formatHex(Tokens.sha256(sessionToken));
        boolean firstSight = seenSessions.add(session);
        try {
            if (agent.status() == AgentStatus.ONLINE || !agent.active()) {
                clearAbsence(agent.id());
                return;
            }
            Boolean[] row = jdbi.withHandle(h -> h.createQuery("""
                            SELECT coalesce(p.away_by_absence, false), coalesce(p.online_on_sign_in, true),
                                   s.created_at > now() - make_interval(secs => :fresh)
                            FROM agents a LEFT JOIN agent_preferences p ON p.agent_id = a.id
                            LEFT JOIN sessions s ON s.token_hash = :hash
                            WHERE a.id = :id""")
                    .bind("id", agent.id()).bind("hash", Tokens.sha256(sessionToken)).bind("fresh", FRESH_SESSION.toSeconds())
                    .map((rs, ctx) -> new Boolean[] {rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3)}).one());
            boolean back = row[0];
            boolean signedIn = firstSight && row[1] && row[2];
            if (back || signedIn) {
                clearAbsence(agent.id());
                team.updateMe(agent, null, null, AgentStatus.ONLINE.wire());
            }
        } catch (RuntimeException e) {
            log.warn("Could not put agent {} back online", agent.id(), e);
        }
    }

    /** A dashboard tab of this agent closed (or its socket timed out). */
    public void disconnected(Agent agent, String sessionToken) {
        if (sessionToken == null) return;
        try {
            boolean gone = jdbi.inTransaction(h -> {
                int last = h.createUpdate("DELETE FROM agent_tabs WHERE agent_id = :a AND node_id = :n AND tabs <= 1")
                        .bind("a", agent.id()).bind("n", nodes.id()).execute();
                // More tabs here: one fewer. No row at all (this node was reaped while it lived): as if the last went.
                if (last == 0 && h.createUpdate("UPDATE agent_tabs SET tabs = tabs - 1 WHERE agent_id = :a AND node_id = :n")
                        .bind("a", agent.id()).bind("n", nodes.id()).execute() > 0) return false;
                if (present(h, agent.id())) return false;
                scheduleAway(h, agent.id());
                return true;
            });
            if (gone) wakeJobs.run();
        } catch (RuntimeException e) {
            log.warn("Could not count a closed tab of agent {}", agent.id(), e);
        }
    }

    /** Nodes about to be deleted: their agents with no tab on another live node are gone from now. */
    private void reaping(Handle h, List<UUID> dead) {
        List<Long> agents = h.createQuery("""
                        SELECT DISTINCT t.agent_id FROM agent_tabs t WHERE t.node_id = ANY(:dead)
                          AND NOT EXISTS (SELECT 1 FROM agent_tabs o JOIN nodes n ON n.id = o.node_id
                                          WHERE o.agent_id = t.agent_id AND NOT (o.node_id = ANY(:dead))
                                            AND n.seen_at > now() - make_interval(secs => :nodeTimeout))""")
                .bindArray("dead", UUID.class, dead).bind("nodeTimeout", nodes.timeoutSeconds()).mapTo(Long.class).list();
        for (long id : agents) scheduleAway(h, id);
        if (!agents.isEmpty()) wakeJobs.run();
    }

    /** The away step, due after the account's grace; a step already pending for the agent starts again. */
    private void scheduleAway(Handle h, long agentId) {
        Timings t = timings(h, agentId);
        if (t == null) return;
        cancel(h, agentId);
        Jobs.enqueue(h, ABSENCE, null, payload(agentId, AgentStatus.AWAY), Instant.now().plusSeconds(t.away()));
    }

    /** Runs a step: away (then queues offline), or offline; nothing when a tab came back or the status moved on. */
    public Jobs.Outcome absence(Jobs.Job job) {
        String[] parts = job.payload().split(":", 2);
        long agentId = Long.parseLong(parts[0]);
        boolean away = AgentStatus.AWAY.wire().equals(parts[1]);
        Agent a = still(agentId, away ? AgentStatus.ONLINE : AgentStatus.AWAY);
        if (a == null) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        if (!away) {
            team.updateMe(a, null, null, AgentStatus.OFFLINE.wire());
            return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        }
        // The offline step first: were this node to die before the switch below, the rerun of this job queues another.
        jdbi.useTransaction(h -> {
            Timings t = timings(h, agentId);
            h.createUpdate("""
                            INSERT INTO agent_preferences (agent_id, away_by_absence) VALUES (:id, true)
                            ON CONFLICT (agent_id) DO UPDATE SET away_by_absence = true""")
                    .bind("id", agentId).execute();
            if (t != null) Jobs.enqueue(h, ABSENCE, null, payload(agentId, AgentStatus.OFFLINE),
                    Instant.now().plusSeconds(Math.max(0, t.offline() - t.away())));
        });
        team.updateMe(a, null, null, AgentStatus.AWAY.wire());
        return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
    }

    /** A step's payload, {@code <agent>:<status it switches to>}, also how a tab coming back finds it. */
    private static String payload(long agentId, AgentStatus step) {
        return agentId + ":" + step.wire();
    }

    private record Timings(long away, long offline) {}

    private static Timings timings(Handle h, long agentId) {
        return h.createQuery("""
                        SELECT coalesce(s.away_after_seconds, 120), coalesce(s.offline_after_seconds, 900)
                        FROM agents a LEFT JOIN account_settings s ON s.account_id = a.account_id WHERE a.id = :id""")
                .bind("id", agentId).map((rs, ctx) -> new Timings(rs.getLong(1), rs.getLong(2))).findOne().orElse(null);
    }

    /** Whether the agent has a dashboard tab open on any live node (push skips such agents wherever it runs). */
    public boolean tabOpen(long agentId) {
        return jdbi.withHandle(h -> present(h, agentId));
    }

    /** Whether the agent has a dashboard tab open on a live node. */
    private boolean present(Handle h, long agentId) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM agent_tabs t WHERE t.agent_id = :a AND "
                        + Nodes.alive("t.node_id") + ")")
                .bind("a", agentId).bind("nodeTimeout", nodes.timeoutSeconds()).mapTo(Boolean.class).one();
    }

    /** The agent, when no tab is open on a live node and their status is still the one Parley expects. */
    private Agent still(long agentId, AgentStatus expected) {
        return jdbi.withHandle(h -> {
            if (present(h, agentId)) return null;
            Agent a = app.parley.account.Agents.byId(h, agentId).orElse(null);
            return a != null && a.status() == expected ? a : null;
        });
    }

    /** Deletes the agent's pending step (one already running checks the tabs itself). */
    private static void cancel(Handle h, long agentId) {
        h.createUpdate("""
                        DELETE FROM jobs WHERE kind = 'settings.agent_absence' AND payload IN (:away, :offline) AND state = 'pending'
                          AND (locked_until IS NULL OR locked_until < now())""")
                .bind("away", payload(agentId, AgentStatus.AWAY)).bind("offline", payload(agentId, AgentStatus.OFFLINE)).execute();
    }

    private void clearAbsence(long agentId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE agent_preferences SET away_by_absence = false WHERE agent_id = :id AND away_by_absence")
                .bind("id", agentId).execute());
    }

    /** Nothing to stop: the steps are jobs, and this node's tabs go with its row ({@link Nodes#close}). */
    @Override
    public void close() {
        seenSessions.clear();
    }
}
