package app.parley.contact;

import app.parley.http.ApiException;
import app.parley.http.Input;
import app.parley.json.Json;
import app.parley.realtime.Journal;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;

/** The person behind one or more visitors (PRODUCT.md §3), as {@code GET|PATCH /v2/contacts/{id}} shows it. */
public final class Contacts {
    public record Contact(long id, String name, String email, String phone, String note, @JsonRawValue String variables,
                          OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

    private final Journal journal;

    public Contacts(Journal journal) {
        this.journal = journal;
    }

    public static Contact byId(Handle h, long accountId, long id) {
        return h.createQuery("""
                        SELECT id, name, email, phone, note, variables::text AS variables, created_at, updated_at
                        FROM contacts WHERE id = :id AND account_id = :a""")
                .bind("id", id).bind("a", accountId)
                .map((rs, ctx) -> new Contact(rs.getLong("id"), rs.getString("name"), rs.getString("email"),
                        rs.getString("phone"), rs.getString("note"), rs.getString("variables"),
                        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)))
                .findOne().orElseThrow(() -> ApiException.notFound("The contact"));
    }

    /** Agents edit the contact; the change shows on every visitor card of that contact. */
    public Contact update(long accountId, long id, String name, String email, String phone, String note) {
        String n = Input.name("name", name);
        String e = Input.email("email", email);
        String p = Input.shortText("phone", phone, 50);
        String t = Input.longText("note", note, 10_000);
        return journal.run(tx -> {
            Handle h = tx.handle();
            byId(h, accountId, id);
            h.createUpdate("""
                            UPDATE contacts SET name = coalesce(:n, name), email = coalesce(:e, email),
                                   phone = coalesce(:p, phone), note = coalesce(:t, note), updated_at = now()
                            WHERE id = :id""")
                    .bind("n", n).bind("e", e).bind("p", p).bind("t", t).bind("id", id).execute();
            Contact c = byId(h, accountId, id);
            tx.emit("contact.updated", accountId, null, null, null, Json.write(c), null);
            return c;
        });
    }
}
