package app.parley.contact;

import app.parley.account.Viewer;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import app.parley.store.Journal;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The person behind one or more visitors (docs/PRODUCT.md §3), as {@code GET|PATCH /v2/contacts/{id}} shows it. */
public final class Contacts {
    /** {@code verified}: the shop signed this identity (docs/PRODUCT.md §3); {@code userId}: the shop's id of its customer. */
    public record Contact(long id, String name, String email, String phone, String note, @JsonRawValue String variables,
                          boolean verified, String userId, OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    private final Journal journal;

    private final Jdbi jdbi;

    public Contacts(Journal journal, Jdbi jdbi) {
        this.journal = journal;
        this.jdbi = jdbi;
    }

    public static Contact byId(Handle h, long accountId, long id) {
        return h.createQuery("""
                        SELECT id, name, email, phone, note, variables::text AS variables, verified, user_id,
                               created_at, updated_at
                        FROM contacts WHERE id = :id AND account_id = :a""")
                .bind("id", id).bind("a", accountId)
                .map((rs, ctx) -> new Contact(rs.getLong("id"), rs.getString("name"), rs.getString("email"),
                        rs.getString("phone"), rs.getString("note"), rs.getString("variables"),
                        rs.getBoolean("verified"), rs.getString("user_id"),
                        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)))
                .findOne().orElseThrow(() -> Refusal.notFound("The contact"));
    }

    /** The contact, if the agent sees one of its conversations; else not found, as for a conversation. */
    public Contact get(Viewer viewer, long id) {
        return jdbi.withHandle(h -> visible(h, viewer, id));
    }

    private static Contact visible(Handle h, Viewer viewer, long id) {
        Contact c = byId(h, viewer.accountId(), id);
        if (!CardScope.ofContact(h, id).seenBy(viewer)) throw Refusal.notFound("The contact");
        return c;
    }

    /** Agents edit the contact; the change shows on every visitor card of that contact. */
    public Contact update(Viewer viewer, long id, String name, String email, String phone, String note) {
        long accountId = viewer.accountId();
        String n = Input.name("name", name);
        String e = Input.email("email", email);
        String p = Input.shortText("phone", phone, 50);
        String t = Input.longText("note", note, 10_000);
        return journal.run(tx -> {
            Handle h = tx.handle();
            visible(h, viewer, id);
            h.createUpdate("""
                            UPDATE contacts SET name = coalesce(:n, name), email = coalesce(:e, email),
                                   phone = coalesce(:p, phone), note = coalesce(:t, note), updated_at = now()
                            WHERE id = :id""")
                    .bind("n", n).bind("e", e).bind("p", p).bind("t", t).bind("id", id).execute();
            Contact c = byId(h, accountId, id);
            CardScope scope = CardScope.ofContact(h, id);
            tx.emitToGroups(EventType.CONTACT_UPDATED, accountId, scope.eventGroup(), scope.otherEventGroups(), Json.write(c));
            return c;
        });
    }
}
