package app.parley.contact;

import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/**
 * Visitors arriving at a chat box: a stored one found by their key and marked seen, one we issued a key to but
 * did not store yet, or a new one given an id and a signed key. A new visitor is stored only once they do
 * something worth keeping ({@link #keep}), so sockets that only connect leave no rows.
 */
public final class Arrivals {
    private final Jdbi jdbi;
    private final VisitorKeys keys;

    public Arrivals(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.keys = VisitorKeys.load(jdbi);
    }

    /** The stored visitor of this key, marked seen now (a new visit after 30 minutes away). */
    public Optional<Visitor> returning(long accountId, String key, String userAgent, String ip) {
        return jdbi.inTransaction(h -> {
            var known = Visitors.byKey(h, accountId, key);
            known.ifPresent(v -> Visitors.seen(h, v.id(), userAgent, ip));
            return known;
        });
    }

    /** The visitor a key we issued earlier names (a reload, another tab), not stored yet. */
    public Optional<Visitor> issued(long accountId, String key, String userAgent, String ip) {
        OptionalLong id = keys.idOf(accountId, key);
        return id.isPresent() ? Optional.of(Visitors.unsaved(id.getAsLong(), accountId, key, userAgent, ip)) : Optional.empty();
    }

    /** A new visitor with a new key, not stored yet. */
    public Visitor newVisitor(long accountId, String userAgent, String ip) {
        long id = VisitorKeys.nextId(jdbi);
        return Visitors.unsaved(id, accountId, keys.issue(accountId, id), userAgent, ip);
    }

    /** Stores a visitor not stored yet; another tab of the same visitor may have stored it already. */
    public void keep(Visitor v) {
        jdbi.useHandle(h -> Visitors.keep(h, v));
    }
}
