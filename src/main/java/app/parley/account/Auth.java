package app.parley.account;

import app.parley.core.Refusal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Sign-in with email and password, sessions, and API tokens. Only hashes of secrets are stored. */
public final class Auth {
    public static final Duration SESSION_LIFETIME = Duration.ofDays(14);

    public record Login(Caller caller, String sessionToken) {}

    public record IssuedToken(long id, String name, String token) {}

    private final Jdbi jdbi;
    private final AccessChanges accessChanges;

    public Auth(Jdbi jdbi) {
        this(jdbi, AccessChanges.NONE);
    }

    public Auth(Jdbi jdbi, AccessChanges accessChanges) {
        this.jdbi = jdbi;
        this.accessChanges = accessChanges;
    }

    public Login login(String email, String password) {
        Optional<Agent> agent = jdbi.withHandle(h -> Agents.byEmail(h, email == null ? "" : email.trim()));
        String hash = agent.flatMap(a -> jdbi.withHandle(h -> Agents.passwordHash(h, a.id()))).orElse(null);
        boolean ok = Passwords.matches(password == null ? "" : password, hash);
        if (!ok || agent.isEmpty()) {
            throw new Refusal(Refusal.Kind.UNAUTHENTICATED, "invalid_credentials", "The email or password is not right.");
        }
        // Said only to whoever knows the password: a guesser learns nothing about the account.
        if (!agent.get().active()) throw refusalFor(agent.get());
        String token = Tokens.random(32);
        String csrf = Tokens.random(24);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sessions (token_hash, agent_id, csrf_token, expires_at)
                        VALUES (:hash, :agent, :csrf, :expires)""")
                .bind("hash", Tokens.sha256(token)).bind("agent", agent.get().id()).bind("csrf", csrf)
                .bind("expires", OffsetDateTime.now().plus(SESSION_LIFETIME)).execute());
        return new Login(new Caller(agent.get(), false, csrf), token);
    }

    /** The refusal for an agent an admin has deactivated, at sign-in and on every request. */
    public static Refusal inactive() {
        return new Refusal(Refusal.Kind.FORBIDDEN, "account_inactive",
                "Your access to this account has been turned off. Ask an admin to turn it back on.");
    }

    /**
     * Why an inactive agent is refused: deactivated by an admin, or their whole account suspended by the instance
     * administrator. One code, so every client ends the session the same way; the message says whom to ask.
     */
    public Refusal refusalFor(Agent agent) {
        if (!jdbi.withHandle(h -> Agents.suspended(h, agent.accountId()))) return inactive();
        return new Refusal(Refusal.Kind.FORBIDDEN, "account_inactive",
                "This shop's Parley account is suspended. Ask whoever runs your Parley installation to turn it back on.");
    }

    public void logout(String sessionToken) {
        if (sessionToken == null || sessionToken.length() > 100) return;
        jdbi.withHandle(h -> h.createQuery("""
                        DELETE FROM sessions s USING agents a
                        WHERE s.token_hash = :hash AND a.id = s.agent_id RETURNING a.account_id""")
                .bind("hash", Tokens.sha256(sessionToken)).mapTo(Long.class).findOne())
                .ifPresent(accessChanges::recheck);
    }

    /** The account's live API tokens (never the token itself: only its hash is stored). */
    public List<Map<String, Object>> tokens(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, created_at, last_used_at FROM api_tokens
                        WHERE account_id = :a AND revoked_at IS NULL ORDER BY id""")
                .bind("a", accountId).mapToMap().list());
    }

    /** Revokes one of the account's API tokens; false when there is no such live token. */
    public boolean revokeApiToken(long accountId, long tokenId) {
        int n = jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE api_tokens SET revoked_at = now() WHERE id = :id AND account_id = :a AND revoked_at IS NULL")
                .bind("id", tokenId).bind("a", accountId).execute());
        if (n > 0) accessChanges.recheck(accountId);
        return n > 0;
    }

    /** An agent's role, groups or activity changed: what they hold open is checked again now. */
    public void accessChanged(long accountId) {
        accessChanges.recheck(accountId);
    }

    public Optional<Caller> bySession(String sessionToken) {
        if (sessionToken == null || sessionToken.length() > 100) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT agent_id, csrf_token FROM sessions WHERE token_hash = :hash AND expires_at > now()""")
                .bind("hash", Tokens.sha256(sessionToken))
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)}).findOne()
                .flatMap(row -> Agents.byId(h, (Long) row[0]).map(a -> new Caller(a, false, (String) row[1]))));
    }

    public Optional<Caller> byApiToken(String token) {
        if (token == null || token.length() > 100) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE api_tokens SET last_used_at = now()
                        WHERE token_hash = :hash AND revoked_at IS NULL RETURNING created_by""")
                .bind("hash", Tokens.sha256(token)).mapTo(Long.class).findOne()
                .flatMap(agentId -> Agents.byId(h, agentId)).filter(Agent::active)
                .map(a -> new Caller(a, true, null)));
    }

    public IssuedToken createApiToken(Caller caller, String name) {
        String token = "pk_" + Tokens.random(32);
        long id = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO api_tokens (account_id, created_by, name, token_hash)
                        VALUES (:account, :agent, :name, :hash)""")
                .bind("account", caller.accountId()).bind("agent", caller.agent().id()).bind("name", name)
                .bind("hash", Tokens.sha256(token)).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        return new IssuedToken(id, name, token);
    }

    /** Ends every session of an agent: after a password change, or when an admin deactivates them. */
    public void endSessions(long agentId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE agent_id = :a").bind("a", agentId).execute());
    }
}
