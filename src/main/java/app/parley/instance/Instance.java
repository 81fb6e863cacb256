package app.parley.instance;

import app.parley.account.AccessChanges;
import app.parley.account.Agents;
import app.parley.account.Passwords;
import app.parley.account.Role;
import app.parley.account.Tokens;
import app.parley.core.Input;
import app.parley.core.Refusal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What an instance administrator (a hosting company running many shops on one installation) does with accounts:
 * create, list, suspend, unsuspend and delete. The first start's account is made here too, so every account starts
 * alike.
 */
public final class Instance {
    public record Created(long accountId, String name, String chatKey, long ownerId, String ownerEmail) {}

    public record Summary(long id, String name, String chatKey, String ownerEmail, OffsetDateTime createdAt,
                          OffsetDateTime suspendedAt, int agents, long conversations) {
        public boolean suspended() {
            return suspendedAt != null;
        }
    }

    /** The account made at first start, with the password when Parley generated it (to be shown once), else null. */
    public record FirstAccount(Created account, String generatedPassword) {}

    private final Jdbi jdbi;
    private final AccessChanges accessChanges;

    public Instance(Jdbi jdbi, AccessChanges accessChanges) {
        this.jdbi = jdbi;
        this.accessChanges = accessChanges;
    }

    /** The first start's bootstrap: an account and its owner when there is none yet. */
    public static Optional<FirstAccount> ensureFirstAccount(Jdbi jdbi, String name, String ownerEmail, String ownerPassword) {
        return jdbi.inTransaction(h -> {
            // Two nodes starting together on an empty database must not both make "the" first account.
            h.execute("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE");
            boolean exists = h.createQuery("SELECT count(*) > 0 FROM accounts").mapTo(Boolean.class).one();
            if (exists) return Optional.empty();
            String email = ownerEmail == null ? "owner@parley.local" : ownerEmail;
            String password = ownerPassword == null ? Tokens.random(12) : ownerPassword;
            Passwords.validate(password);
            Created created = insert(h, name, email, "Owner", Passwords.hash(password));
            return Optional.of(new FirstAccount(created, ownerPassword == null ? password : null));
        });
    }

    /** A new shop with its owner; refused whole (nothing written) on any bad input. */
    public Created createAccount(String name, String ownerEmail, String ownerName, String ownerPassword) {
        String shop = Input.requiredName("name", name);
        String email;
        try {
            email = Input.email("owner_email", ownerEmail);
        } catch (Refusal r) {
            throw new Refusal(Refusal.Kind.INVALID, "invalid_email", r.getMessage(), "owner_email");
        }
        if (email == null) throw new Refusal(Refusal.Kind.INVALID, "invalid_email", "'owner_email' is required.", "owner_email");
        String owner = Input.requiredName("owner_name", ownerName);
        try {
            Passwords.validate(ownerPassword);
        } catch (Refusal r) {
            throw new Refusal(Refusal.Kind.INVALID, "weak_password", r.getMessage(), "owner_password");
        }
        String hash = Passwords.hash(ownerPassword);
        return jdbi.inTransaction(h -> {
            // agents_email is unique across accounts: an email signs in to one agent, whatever the account.
            if (Agents.byEmail(h, email).isPresent()) throw emailTaken();
            try {
                return insert(h, shop, email, owner, hash);
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                if (e.getCause() instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) throw emailTaken();
                throw e;
            }
        });
    }

    private static Refusal emailTaken() {
        return new Refusal(Refusal.Kind.CONFLICT, "email_taken",
                "An agent already signs in with this email (an email signs in to one agent in the whole installation).",
                "owner_email");
    }

    private static Created insert(Handle h, String name, String email, String ownerName, String passwordHash) {
        String chatKey = Tokens.random(16);
        long accountId = h.createQuery("INSERT INTO accounts (name, chat_key) VALUES (:n, :k) RETURNING id")
                .bind("n", name).bind("k", chatKey).mapTo(Long.class).one();
        long ownerId = Agents.insert(h, accountId, email, ownerName, Role.OWNER, passwordHash);
        return new Created(accountId, name, chatKey, ownerId, email);
    }

    public List<Summary> accounts() {
        return jdbi.withHandle(h -> h.createQuery(SUMMARY + " ORDER BY acc.id").map(Instance::summary).list());
    }

    public Summary account(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    private static final String SUMMARY = """
            SELECT acc.id, acc.name, acc.chat_key, acc.created_at, acc.suspended_at,
                   (SELECT email FROM agents WHERE account_id = acc.id AND role = 'owner') AS owner_email,
                   (SELECT count(*) FROM agents WHERE account_id = acc.id) AS agents,
                   (SELECT count(*) FROM conversations WHERE account_id = acc.id) AS conversations
            FROM accounts acc""";

    private static Summary find(Handle h, long id) {
        return h.createQuery(SUMMARY + " WHERE acc.id = :id").bind("id", id).map(Instance::summary).findOne()
                .orElseThrow(Instance::notFound);
    }

    private static Summary summary(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Summary(rs.getLong("id"), rs.getString("name"), rs.getString("chat_key"), rs.getString("owner_email"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("suspended_at", OffsetDateTime.class),
                rs.getInt("agents"), rs.getLong("conversations"));
    }

    static Refusal notFound() {
        return new Refusal(Refusal.Kind.NOT_FOUND, "account_not_found", "There is no account with this id.");
    }

    /** Its agents are signed out of everything they hold open and its chat box says chat is unavailable. */
    public Summary suspend(long id) {
        Summary s = jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE accounts SET suspended_at = coalesce(suspended_at, now()) WHERE id = :id")
                    .bind("id", id).execute();
            return find(h, id);
        });
        accessChanges.recheck(id);
        return s;
    }

    public Summary unsuspend(long id) {
        Summary s = jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE accounts SET suspended_at = NULL WHERE id = :id").bind("id", id).execute();
            return find(h, id);
        });
        accessChanges.recheck(id);
        return s;
    }

    /**
     * Deletes the account and everything of it in one transaction, refused unless {@code confirmation} is its name
     * or id. Suspended first, in a commit of its own, so that nothing of the account is being written while it goes.
     */
    public void delete(long id, String confirmation) {
        Summary s = account(id);
        String c = confirmation == null ? "" : confirmation.trim();
        if (!c.equals(s.name()) && !c.equals(Long.toString(s.id()))) {
            throw new Refusal(Refusal.Kind.INVALID, "confirmation_mismatch",
                    "To delete an account, confirm with its exact name or id.", "confirm");
        }
        suspend(id);
        jdbi.useTransaction(h -> AccountErasure.erase(h, id));
        accessChanges.recheck(id);
    }
}
