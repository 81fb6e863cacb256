package app.parley.settings;

import app.parley.account.Caller;
import app.parley.account.Team;
import app.parley.core.Json;
import app.parley.core.Refusal;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The office hours of each account and group, kept in memory (the chat box asks on every connect and message) and
 * read again after a save. Whether a chat box is open is {@link #open}: a group's own hours, else the account's.
 */
public final class OfficeHoursBook {
    /** One account's hours: its timezone, its own and its groups'. */
    private record Book(ZoneId zone, OfficeHours account, Map<Long, OfficeHours> groups) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<Long, Book> books = new ConcurrentHashMap<>();
    private final Map<Long, Map<Long, Boolean>> lastOpen = new ConcurrentHashMap<>();
    private volatile LongConsumer changed = accountId -> { };

    public OfficeHoursBook(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Told when an account's chat boxes may have opened or closed (a save, or a boundary passed): announce it. */
    public void onChange(LongConsumer changed) {
        this.changed = changed;
    }

    /** Whether a chat box of this account (routed to this group, or none) is inside its office hours now. */
    public boolean open(long accountId, Long groupId) {
        Book b = book(accountId);
        OfficeHours h = groupId == null ? b.account() : b.groups().getOrDefault(groupId, b.account());
        return h.openAt(clock.instant(), b.zone());
    }

    /** The account's hours ({@code groupId} null) or a group's own (null when the group follows the account's). */
    public OfficeHours get(long accountId, Long groupId) {
        Book b = book(accountId);
        return groupId == null ? b.account() : b.groups().get(groupId);
    }

    public OfficeHours save(Caller by, Long groupId, OfficeHours in) {
        Team.requireFullAccess(by);
        if (in == null) throw Refusal.invalid("week", "Send the office hours.");
        OfficeHours h = in.normalised();
        jdbi.useTransaction(t -> {
            if (groupId != null) {
                boolean ours = t.createQuery("SELECT count(*) > 0 FROM groups WHERE id = :g AND account_id = :a")
                        .bind("g", groupId).bind("a", by.accountId()).mapTo(Boolean.class).one();
                if (!ours) throw Refusal.notFound("The group");
            }
            t.createUpdate("DELETE FROM office_hours WHERE account_id = :a AND group_id IS NOT DISTINCT FROM :g")
                    .bind("a", by.accountId()).bind("g", groupId).execute();
            t.createUpdate("INSERT INTO office_hours (account_id, group_id, hours) VALUES (:a, :g, cast(:h AS jsonb))")
                    .bind("a", by.accountId()).bind("g", groupId).bind("h", Json.write(h)).execute();
        });
        forget(by.accountId());
        return h;
    }

    /** A group goes back to the account's hours. */
    public void removeGroupHours(Caller by, long groupId) {
        Team.requireFullAccess(by);
        jdbi.useHandle(t -> t.createUpdate("DELETE FROM office_hours WHERE account_id = :a AND group_id = :g")
                .bind("a", by.accountId()).bind("g", groupId).execute());
        forget(by.accountId());
    }

    /** Read the account again (its hours or timezone changed) and announce what that opened or closed. */
    public void forget(long accountId) {
        books.remove(accountId);
        changed.accept(accountId);
    }

    /** Called every few seconds: announces the accounts whose chat boxes crossed an opening or closing time. */
    public void tick() {
        for (long accountId : books.keySet()) {
            Book b = books.get(accountId);
            if (b == null) continue;
            Map<Long, Boolean> now = new HashMap<>();
            now.put(0L, open(accountId, null));
            for (Long g : b.groups().keySet()) now.put(g, open(accountId, g));
            Map<Long, Boolean> before = lastOpen.put(accountId, now);
            if (before != null && !before.equals(now)) changed.accept(accountId);
        }
    }

    /**
     * Several nodes (issue #15): hours saved through another node reach this one here. Reads every book this node
     * holds again (two queries for all of them) and announces the accounts whose book changed.
     */
    public void reread() {
        List<Long> ids = List.copyOf(books.keySet());
        if (ids.isEmpty()) return;
        Map<Long, Book> fresh = jdbi.withHandle(h -> read(h, ids));
        for (long id : ids) {
            Book now = fresh.get(id);
            Book before = books.get(id);
            if (before == null || before.equals(now)) continue;
            books.put(id, now);
            changed.accept(id);
        }
    }

    private Book book(long accountId) {
        return books.computeIfAbsent(accountId, id -> jdbi.withHandle(h -> read(h, List.of(id)).get(id)));
    }

    private static Map<Long, Book> read(org.jdbi.v3.core.Handle h, List<Long> ids) {
        Map<Long, String> zones = new HashMap<>();
        h.createQuery("SELECT account_id, timezone FROM account_settings WHERE account_id = ANY(:a)")
                .bindArray("a", Long.class, ids)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> zones.put(e.getKey(), e.getValue()));
        Map<Long, OfficeHours> accounts = new HashMap<>();
        Map<Long, Map<Long, OfficeHours>> groups = new HashMap<>();
        h.createQuery("SELECT account_id, group_id, hours::text AS hours FROM office_hours WHERE account_id = ANY(:a)")
                .bindArray("a", Long.class, ids).mapToMap().forEach(row -> {
                    long account = ((Number) row.get("account_id")).longValue();
                    OfficeHours hours = Json.read((String) row.get("hours"), OfficeHours.class);
                    Object g = row.get("group_id");
                    if (g == null) accounts.put(account, hours);
                    else groups.computeIfAbsent(account, a -> new HashMap<>()).put(((Number) g).longValue(), hours);
                });
        Map<Long, Book> out = new HashMap<>();
        for (long id : ids) {
            out.put(id, new Book(ZoneId.of(zones.get(id) == null ? "UTC" : zones.get(id)), accounts.getOrDefault(id, OfficeHours.alwaysOpen()),
                    Map.copyOf(groups.getOrDefault(id, Map.of()))));
        }
        return out;
    }
}
