package app.parley.settings;

import app.parley.account.Agent;
import app.parley.account.Auth;
import app.parley.account.Passwords;
import app.parley.account.Team;
import app.parley.account.Tokens;
import app.parley.core.Refusal;
import org.jdbi.v3.core.Jdbi;

/** "My profile", for every agent: name and avatar (through the team, so others see the change live), password, sound. */
public final class Profile {
    /** The agent's own choices; notification preferences live elsewhere (their own endpoints). */
    public record Preferences(boolean sound, boolean onlineOnSignIn) {}

    public record PreferencesPatch(Boolean sound, Boolean onlineOnSignIn) {}

    private final Jdbi jdbi;
    private final Team team;
    private final Auth auth;

    public Profile(Jdbi jdbi, Team team, Auth auth) {
        this.jdbi = jdbi;
        this.team = team;
        this.auth = auth;
    }

    public Agent setAvatar(Agent agent, String dataUrl, String origin) {
        Images.Image image = Images.parse("image", dataUrl);
        String url = jdbi.inTransaction(h -> {
            Images.forget(h, agent.accountId(), agent.avatarUrl());
            return Images.store(h, agent.accountId(), image, origin);
        });
        return team.setAvatar(agent, url);
    }

    public Agent removeAvatar(Agent agent) {
        jdbi.useHandle(h -> Images.forget(h, agent.accountId(), agent.avatarUrl()));
        return team.setAvatar(agent, null);
    }

    /**
     * Changes the password when the current one is right, and signs out every other session of the agent (their
     * open dashboards are closed by the access watch); the session that asked stays signed in.
     */
    public void changePassword(Agent agent, String sessionToken, String current, String next) {
        String hash = jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM agents WHERE id = :id")
                .bind("id", agent.id()).mapTo(String.class).one());
        if (!Passwords.matches(current == null ? "" : current, hash)) {
            throw new Refusal(Refusal.Kind.INVALID, "wrong_password", "Your current password is not right.", "current_password");
        }
        if (next != null && next.equals(current)) {
            throw new Refusal(Refusal.Kind.INVALID, "same_password", "Choose a password different from the current one.", "new_password");
        }
        Passwords.validate(next);
        String newHash = Passwords.hash(next);
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE agents SET password_hash = :p WHERE id = :id").bind("p", newHash).bind("id", agent.id()).execute();
            h.createUpdate("DELETE FROM sessions WHERE agent_id = :id AND token_hash <> :keep")
                    .bind("id", agent.id()).bind("keep", Tokens.sha256(sessionToken == null ? "" : sessionToken)).execute();
        });
        auth.accessChanged(agent.accountId());
    }

    public Preferences preferences(long agentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT coalesce(p.sound, true), coalesce(p.online_on_sign_in, true)
                        FROM agents a LEFT JOIN agent_preferences p ON p.agent_id = a.id WHERE a.id = :id""")
                .bind("id", agentId).map((rs, ctx) -> new Preferences(rs.getBoolean(1), rs.getBoolean(2))).one());
    }

    public Preferences updatePreferences(long agentId, PreferencesPatch p) {
        if (p == null || p.sound() == null && p.onlineOnSignIn() == null) {
            throw Refusal.invalid("sound", "Nothing to change: send 'sound' or 'online_on_sign_in'.");
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO agent_preferences (agent_id, sound, online_on_sign_in)
                        VALUES (:id, coalesce(:s, true), coalesce(:o, true))
                        ON CONFLICT (agent_id) DO UPDATE SET sound = coalesce(:s, agent_preferences.sound),
                            online_on_sign_in = coalesce(:o, agent_preferences.online_on_sign_in)""")
                .bind("id", agentId).bind("s", p.sound()).bind("o", p.onlineOnSignIn()).execute());
        return preferences(agentId);
    }
}
