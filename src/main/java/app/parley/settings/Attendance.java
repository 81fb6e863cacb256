package app.parley.settings;

import app.parley.account.Agent;
import app.parley.account.AgentStatus;
import app.parley.account.Team;
import app.parley.account.Tokens;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence that matches reality (docs/PRODUCT.md §8): an agent who signs in goes online unless they chose not to;
 * when their last dashboard tab closes (or the computer sleeps and the socket times out) they go away after the
 * account's grace period and offline after the longer one; when a tab comes back, so do they. Only what Parley
 * itself switched is switched back: an agent who went offline by hand stays offline. The chat box follows
 * through the agent's status events. Timers live in this process (one Parley per database).
 */
public final class Attendance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Attendance.class);
    /** A session this young that opens its first socket has just signed in. */
    private static final Duration FRESH_SESSION = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final Team team;
    private final Map<Long, Integer> tabs = new ConcurrentHashMap<>();
    private final Map<Long, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Set<String> seenSessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("parley-attendance").factory());

    public Attendance(Jdbi jdbi, Team team) {
        this.jdbi = jdbi;
        this.team = team;
    }

    /** After a restart nobody's tab is open yet: agents left online are treated as just gone, and return on reconnect. */
    public void start() {
        List<Long> online = jdbi.withHandle(h -> h.createQuery("SELECT id FROM agents WHERE status = 'online' AND active")
                .mapTo(Long.class).list());
        for (long id : online) if (!tabs.containsKey(id)) scheduleAway(id);
    }

    /** A dashboard tab of this agent connected; {@code sessionToken} is null for an API token (an integration). */
    public void connected(Agent agent, String sessionToken) {
        if (sessionToken == null) return;
        tabs.merge(agent.id(), 1, Integer::sum);
        cancel(agent.id());
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
        Integer left = tabs.computeIfPresent(agent.id(), (id, n) -> n <= 1 ? null : n - 1);
        if (left == null) scheduleAway(agent.id());
    }

    private void scheduleAway(long agentId) {
        Timings t = timings(agentId);
        if (t == null) return;
        schedule(agentId, t.away(), () -> {
            Agent a = still(agentId, AgentStatus.ONLINE);
            if (a == null) return;
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO agent_preferences (agent_id, away_by_absence) VALUES (:id, true)
                            ON CONFLICT (agent_id) DO UPDATE SET away_by_absence = true""")
                    .bind("id", agentId).execute());
            team.updateMe(a, null, null, AgentStatus.AWAY.wire());
            schedule(agentId, t.offline() - t.away(), () -> {
                Agent b = still(agentId, AgentStatus.AWAY);
                if (b != null) team.updateMe(b, null, null, AgentStatus.OFFLINE.wire());
            });
        });
    }

    private record Timings(long away, long offline) {}

    private Timings timings(long agentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT coalesce(s.away_after_seconds, 120), coalesce(s.offline_after_seconds, 900)
                        FROM agents a LEFT JOIN account_settings s ON s.account_id = a.account_id WHERE a.id = :id""")
                .bind("id", agentId).map((rs, ctx) -> new Timings(rs.getLong(1), rs.getLong(2))).findOne().orElse(null));
    }

    /** The agent, when no tab came back meanwhile and their status is still the one Parley expects. */
    private Agent still(long agentId, AgentStatus expected) {
        if (tabs.containsKey(agentId)) return null;
        Agent a = jdbi.withHandle(h -> app.parley.account.Agents.byId(h, agentId)).orElse(null);
        return a != null && a.status() == expected ? a : null;
    }

    private void clearAbsence(long agentId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE agent_preferences SET away_by_absence = false WHERE agent_id = :id AND away_by_absence")
                .bind("id", agentId).execute());
    }

    private void schedule(long agentId, long seconds, Runnable step) {
        ScheduledFuture<?> f = timers.schedule(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.warn("Presence step for agent {} failed", agentId, e);
            }
        }, seconds, TimeUnit.SECONDS);
        ScheduledFuture<?> old = pending.put(agentId, f);
        if (old != null && old != f) old.cancel(false);
    }

    private void cancel(long agentId) {
        ScheduledFuture<?> f = pending.remove(agentId);
        if (f != null) f.cancel(false);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
