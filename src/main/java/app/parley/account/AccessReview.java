package app.parley.account;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Whether the credentials of open connections still hold, and with which rights: one query for all of them. */
public final class AccessReview {
    /** What a credential gives now. */
    public sealed interface Verdict {}

    /** Still valid; {@code viewer} is what its agent may see now. */
    public record Holds(Viewer viewer) implements Verdict {}

    /** The session ended (logout, expiry) or the token was revoked. */
    public record SignedOut() implements Verdict {}

    /** The agent was deactivated (or is gone): nothing they sign in with holds. */
    public record Ended() implements Verdict {}

    private record AgentNow(Viewer viewer, Set<String> sessions, Set<String> tokens) {}

    private AccessReview() {}

    public static Map<Credential, Verdict> of(Handle h, Collection<Credential> credentials) {
        Set<Long> agents = new HashSet<>();
        Set<String> sessions = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        for (Credential c : credentials) {
            agents.add(c.agentId());
            (c.kind() == Credential.Kind.SESSION ? sessions : tokens).add(c.hashHex());
        }
        // Hashes travel as hex because a text[] binds everywhere; decoding them in SQL keeps the unique indexes usable.
        Map<Long, AgentNow> now = new HashMap<>();
        h.createQuery("""
                        SELECT a.id, a.account_id, a.role,
                               a.active AND NOT EXISTS (SELECT 1 FROM accounts acc
                                                        WHERE acc.id = a.account_id AND acc.suspended_at IS NOT NULL) AS active,
                               coalesce((SELECT array_agg(gm.group_id) FROM group_members gm WHERE gm.agent_id = a.id),
                                        '{}') AS group_ids,
                               coalesce((SELECT array_agg(encode(s.token_hash, 'hex')) FROM sessions s
                                         WHERE s.agent_id = a.id AND s.expires_at > now() AND s.token_hash IN
                                               (SELECT decode(x, 'hex') FROM unnest(CAST(:sessions AS text[])) x)),
                                        '{}') AS sessions,
                               coalesce((SELECT array_agg(encode(t.token_hash, 'hex')) FROM api_tokens t
                                         WHERE t.created_by = a.id AND t.revoked_at IS NULL AND t.token_hash IN
                                               (SELECT decode(x, 'hex') FROM unnest(CAST(:tokens AS text[])) x)),
                                        '{}') AS tokens
                        FROM agents a WHERE a.id = ANY(:agents)""")
                .bindArray("agents", Long.class, agents)
                .bindArray("sessions", String.class, sessions)
                .bindArray("tokens", String.class, tokens)
                .map((rs, ctx) -> {
                    Set<Long> groups = Set.copyOf(Arrays.asList((Long[]) rs.getArray("group_ids").getArray()));
                    Viewer viewer = new Viewer(rs.getLong("id"), rs.getLong("account_id"), Role.parse(rs.getString("role")),
                            rs.getBoolean("active"), groups);
                    return new AgentNow(viewer, Set.of((String[]) rs.getArray("sessions").getArray()),
                            Set.of((String[]) rs.getArray("tokens").getArray()));
                })
                .forEach(a -> now.put(a.viewer().agentId(), a));
        Map<Credential, Verdict> verdicts = new HashMap<>();
        for (Credential c : credentials) verdicts.put(c, verdict(c, now.get(c.agentId())));
        return verdicts;
    }

    private static Verdict verdict(Credential c, AgentNow agent) {
        if (agent == null || !agent.viewer().active()) return new Ended();
        Set<String> live = c.kind() == Credential.Kind.SESSION ? agent.sessions() : agent.tokens();
        return live.contains(c.hashHex()) ? new Holds(agent.viewer()) : new SignedOut();
    }
}
