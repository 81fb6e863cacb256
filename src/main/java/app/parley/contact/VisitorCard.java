package app.parley.contact;

import app.parley.conversation.ConversationCache;
import app.parley.http.ApiException;
import app.parley.http.Input;
import app.parley.json.Json;
import app.parley.masking.CardNumberMasker;
import app.parley.realtime.Journal;
import app.parley.realtime.Tx;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Changes to what the visitor card shows (PRODUCT.md §3): the shop or the visitor identifying themselves, the
 * page they are on, agents editing name/email/phone/note. Every field is masked; agents see the change live.
 */
public final class VisitorCard {
    /** Fields as given; null leaves a field as it is. {@code variables} flat or legacy {key:{label,value}}. */
    public record Identity(String name, String email, String phone, String group, String language, JsonNode variables,
                           String note) {
        public boolean isEmpty() {
            return name == null && email == null && phone == null && group == null && language == null
                    && variables == null && note == null;
        }
    }

    private static final int MAX_VARIABLES = 50;

    private final Journal journal;

    public VisitorCard(Journal journal) {
        this.journal = journal;
    }

    public java.util.concurrent.CompletableFuture<Visitor> identify(long accountId, long visitorId, Identity in) {
        String name = Input.name("name", in.name());
        String email = Input.email("email", in.email());
        String phone = Input.shortText("phone", in.phone(), 50);
        String group = Input.shortText("group", in.group(), 100);
        String language = Input.shortText("language", in.language(), 20);
        String note = Input.longText("note", in.note(), 10_000);
        String variables = in.variables() == null ? null : normalizeVariables(in.variables());
        return journal.submit(tx -> {
            Handle h = tx.handle();
            // A field sent empty is cleared (an agent removing a wrong email); a field left out stays.
            h.createUpdate("""
                            UPDATE visitors SET name = CASE WHEN :clearName THEN NULL ELSE coalesce(:name, name) END,
                                   email = CASE WHEN :clearEmail THEN NULL ELSE coalesce(:email, email) END,
                                   phone = CASE WHEN :clearPhone THEN NULL ELSE coalesce(:phone, phone) END,
                                   group_key = coalesce(:group, group_key),
                                   language = coalesce(:language, language),
                                   note = CASE WHEN :clearNote THEN NULL ELSE coalesce(:note, note) END,
                                   variables = CASE WHEN CAST(:vars AS text) IS NULL THEN variables
                                                    ELSE variables || CAST(:vars AS jsonb) END
                            WHERE id = :id AND account_id = :a""")
                    .bind("name", name).bind("email", email).bind("phone", phone).bind("group", group)
                    .bind("language", language).bind("note", note).bind("vars", variables)
                    .bind("clearName", cleared(in.name())).bind("clearEmail", cleared(in.email()))
                    .bind("clearPhone", cleared(in.phone())).bind("clearNote", cleared(in.note()))
                    .bind("id", visitorId).bind("a", accountId).execute();
            if (name != null || email != null || phone != null) linkContact(tx, accountId, visitorId);
            return updated(tx, accountId, visitorId);
        });
    }

    /**
     * {@code in} without the fields identify would refuse, each refusal handed to {@code refused}: a page that
     * sends a bad email (a card number typed into it) still records the name and phone that came with it.
     */
    public static Identity withoutRefusedFields(Identity in, java.util.function.Consumer<ApiException> refused) {
        return new Identity(
                kept(in.name(), v -> Input.name("name", v), refused),
                kept(in.email(), v -> Input.email("email", v), refused),
                kept(in.phone(), v -> Input.shortText("phone", v, 50), refused),
                kept(in.group(), v -> Input.shortText("group", v, 100), refused),
                kept(in.language(), v -> Input.shortText("language", v, 20), refused),
                kept(in.variables(), VisitorCard::normalizeVariables, refused),
                kept(in.note(), v -> Input.longText("note", v, 10_000), refused));
    }

    private static <T> T kept(T value, java.util.function.Function<T, ?> check, java.util.function.Consumer<ApiException> refused) {
        if (value == null) return null;
        try {
            check.apply(value);
            return value;
        } catch (ApiException e) {
            refused.accept(e);
            return null;
        }
    }

    public java.util.concurrent.CompletableFuture<Visitor> page(long accountId, long visitorId, String url, String title, String referrer) {
        String u = Input.url("url", url);
        String t = Input.shortText("title", title, 500);
        String r = Input.url("referrer", referrer);
        return journal.submit(tx -> {
            tx.handle().createUpdate("""
                            UPDATE visitors SET current_url = :url, current_title = :title,
                                   referrer = coalesce(referrer, :ref), last_seen_at = now()
                            WHERE id = :id AND account_id = :a""")
                    .bind("url", u).bind("title", t).bind("ref", r).bind("id", visitorId).bind("a", accountId).execute();
            return updated(tx, accountId, visitorId);
        });
    }

    public Visitor get(Handle h, long accountId, long visitorId) {
        return Visitors.byId(h, accountId, visitorId).orElseThrow(() -> ApiException.notFound("The visitor"));
    }

    private static boolean cleared(String value) {
        return value != null && value.isBlank();
    }

    private static Visitor updated(Tx tx, long accountId, long visitorId) {
        Visitor v = Visitors.byId(tx.reader(), accountId, visitorId).orElseThrow(() -> ApiException.notFound("The visitor"));
        tx.emit("visitor.updated", accountId, null, null, null, Json.write(v), null);
        return v;
    }

    /** A visitor who gave a name, email or phone becomes a contact; one email is one contact across browsers. */
    private static void linkContact(Tx tx, long accountId, long visitorId) {
        Handle h = tx.handle();
        Visitor v = Visitors.byId(h, accountId, visitorId).orElseThrow();
        Long contactId = v.contactId();
        if (contactId == null && v.email() != null) {
            contactId = h.createQuery("SELECT id FROM contacts WHERE account_id = :a AND lower(email) = lower(:e) LIMIT 1")
                    .bind("a", accountId).bind("e", v.email()).mapTo(Long.class).findOne().orElse(null);
        }
        if (contactId == null) {
            contactId = h.createQuery("INSERT INTO contacts (account_id) VALUES (:a) RETURNING id")
                    .bind("a", accountId).mapTo(Long.class).one();
        }
        h.createUpdate("""
                        UPDATE contacts SET name = coalesce(:name, name), email = coalesce(:email, email),
                               phone = coalesce(:phone, phone), variables = variables || CAST(:vars AS jsonb), updated_at = now()
                        WHERE id = :c""")
                .bind("name", v.name()).bind("email", v.email()).bind("phone", v.phone()).bind("vars", v.variables())
                .bind("c", contactId).execute();
        h.createUpdate("UPDATE visitors SET contact_id = :c WHERE id = :v").bind("c", contactId).bind("v", visitorId).execute();
        ConversationCache.linkContact(tx, visitorId, contactId);
    }

    /** Stores every variable as {label, value}: the flat form gets its key as label. */
    static String normalizeVariables(JsonNode vars) {
        if (!vars.isObject()) throw ApiException.invalid("variables", "variables must be an object.");
        if (vars.size() > MAX_VARIABLES) throw ApiException.invalid("variables", "At most " + MAX_VARIABLES + " variables.");
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Input.refuseControlCharacters("variables", e.getKey(), false);
            // The name is shown to agents and stored, like the value: masked as well.
            String key = CardNumberMasker.mask(e.getKey().strip());
            if (key.isBlank() || key.length() > 100) throw ApiException.invalid("variables", "A variable name has 1 to 100 characters.");
            JsonNode value = e.getValue();
            String label = key;
            if (value.isObject()) {
                if (value.hasNonNull("label")) label = value.get("label").asText();
                value = value.get("value");
            }
            ObjectNode entry = out.putObject(key);
            entry.put("label", Input.shortText("variables", label, 255));
            if (value == null || value.isNull()) entry.putNull("value");
            else if (value.isBoolean()) entry.put("value", value.booleanValue());
            else if (value.isNumber()) {
                // A card sent as a JSON number is still a card: it is kept as its masked text.
                String digits = value.asText();
                if (CardNumberMasker.containsCard(digits)) entry.put("value", CardNumberMasker.mask(digits));
                else entry.set("value", value);
            }
            else if (value.isTextual()) entry.put("value", CardNumberMasker.mask(clip(checked(value.asText()))));
            else throw ApiException.invalid("variables", "A variable is a string, a number or a boolean.");
        }
        return Json.write(out);
    }

    private static String checked(String value) {
        Input.refuseControlCharacters("variables", value, true);
        return value;
    }

    private static String clip(String s) {
        if (s.length() > 1000) throw ApiException.invalid("variables", "A variable's value may have at most 1000 characters.");
        return s;
    }
}
