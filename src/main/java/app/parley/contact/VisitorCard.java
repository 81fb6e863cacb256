package app.parley.contact;

import app.parley.account.IdentitySecret;
import app.parley.account.Viewer;
import app.parley.core.CardNumberMasker;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.Tx;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Changes to what the visitor card shows (docs/PRODUCT.md §3): the shop or the visitor identifying themselves, the
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
    private final Jdbi jdbi;

    public VisitorCard(Journal journal, Jdbi jdbi) {
        this.journal = journal;
        this.jdbi = jdbi;
    }

    /**
     * Who tells who the visitor is (docs/PRODUCT.md §3): the page (the chat box), verified only with the shop's
     * signature {@code hash} of {@code userId}, else of the email; the shop's server through the API; or an agent
     * editing the card.
     */
    public record Claim(Source source, String userId, String hash) {
        public enum Source { PAGE, SERVER, AGENT }

        public static Claim page(String userId, String hash) {
            return new Claim(Source.PAGE, userId, hash);
        }

        public static Claim server(String userId) {
            return new Claim(Source.SERVER, userId, null);
        }

        public static Claim agent() {
            return new Claim(Source.AGENT, null, null);
        }
    }

    public java.util.concurrent.CompletableFuture<Visitor> identify(long accountId, long visitorId, Identity in, Claim claim) {
        String name = Input.name("name", in.name());
        String email = Input.email("email", in.email());
        String phone = Input.shortText("phone", in.phone(), 50);
        String group = Input.shortText("group", in.group(), 100);
        String language = Input.shortText("language", in.language(), 20);
        String note = Input.longText("note", in.note(), 10_000);
        String userId = Input.shortText("user_id", claim.userId(), 255);
        String hash = Input.shortText("hash", claim.hash(), 128);
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
            String signed = userId != null ? userId : email;
            boolean identifies = name != null || email != null || phone != null || userId != null;
            boolean verified = signed != null && switch (claim.source()) {
                case SERVER -> true;
                case PAGE -> hash != null && IdentitySecret.signs(IdentitySecret.of(h, accountId), signed, hash);
                case AGENT -> false;
            };
            if (verified) ContactLinks.verified(tx, accountId, visitorId, userId, email);
            else if (identifies && claim.source() == Claim.Source.AGENT) ContactLinks.agentEdit(tx, accountId, visitorId, email);
            else if (identifies) ContactLinks.unverified(tx, accountId, visitorId, userId, email);
            return updated(tx, accountId, visitorId);
        });
    }

    /**
     * {@code in} without the fields identify would refuse, each refusal handed to {@code refused}: a page that
     * sends a bad email (a card number typed into it) still records the name and phone that came with it.
     */
    public static Identity withoutRefusedFields(Identity in, java.util.function.Consumer<Refusal> refused) {
        return new Identity(
                kept(in.name(), v -> Input.name("name", v), refused),
                kept(in.email(), v -> Input.email("email", v), refused),
                kept(in.phone(), v -> Input.shortText("phone", v, 50), refused),
                kept(in.group(), v -> Input.shortText("group", v, 100), refused),
                kept(in.language(), v -> Input.shortText("language", v, 20), refused),
                kept(in.variables(), VisitorCard::normalizeVariables, refused),
                kept(in.note(), v -> Input.longText("note", v, 10_000), refused));
    }

    private static <T> T kept(T value, java.util.function.Function<T, ?> check, java.util.function.Consumer<Refusal> refused) {
        if (value == null) return null;
        try {
            check.apply(value);
            return value;
        } catch (Refusal e) {
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

    /** The visitor, if the agent sees one of their conversations; else not found, as for a conversation. */
    public Visitor get(Viewer viewer, long visitorId) {
        return jdbi.withHandle(h -> Visitors.byId(h, viewer.accountId(), visitorId)
                .filter(v -> CardScope.ofVisitor(h, v.id()).seenBy(viewer))
                .orElseThrow(() -> Refusal.notFound("The visitor")));
    }

    /**
     * What the card lists beside the visitor: their contact's conversations (any channel, any of its visitors) and
     * the shop's customer information, typed; the visitor's own variables over those their contact gathered.
     */
    public record Linked(java.util.List<ContactHistory.Entry> conversations, java.util.List<CustomerInfo.Field> customerInfo) {}

    public Linked linked(Viewer viewer, long visitorId) {
        return jdbi.withHandle(h -> {
            String vars = h.createQuery("""
                            SELECT (coalesce(c.variables, '{}'::jsonb) || v.variables)::text FROM visitors v
                            LEFT JOIN contacts c ON c.id = v.contact_id WHERE v.id = :v AND v.account_id = :a""")
                    .bind("v", visitorId).bind("a", viewer.accountId()).mapTo(String.class).findOne().orElse(null);
            return new Linked(ContactHistory.of(h, viewer, visitorId), CustomerInfo.of(vars));
        });
    }

    private static boolean cleared(String value) {
        return value != null && value.isBlank();
    }

    private static Visitor updated(Tx tx, long accountId, long visitorId) {
        Visitor v = Visitors.byId(tx.reader(), accountId, visitorId).orElseThrow(() -> Refusal.notFound("The visitor"));
        CardScope scope = CardScope.ofVisitor(tx.reader(), visitorId);
        tx.emitToGroups(EventType.VISITOR_UPDATED, accountId, scope.eventGroup(), scope.otherEventGroups(), Json.write(v));
        return v;
    }

    /** Stores every variable as {label, value}: the flat form gets its key as label. */
    static String normalizeVariables(JsonNode vars) {
        if (!vars.isObject()) throw Refusal.invalid("variables", "variables must be an object.");
        if (vars.size() > MAX_VARIABLES) throw Refusal.invalid("variables", "At most " + MAX_VARIABLES + " variables.");
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Input.refuseControlCharacters("variables", e.getKey(), false);
            // The name is shown to agents and stored, like the value: masked as well.
            String key = CardNumberMasker.mask(e.getKey().strip());
            if (key.isBlank() || key.length() > 100) throw Refusal.invalid("variables", "A variable name has 1 to 100 characters.");
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
            else throw Refusal.invalid("variables", "A variable is a string, a number or a boolean.");
        }
        return Json.write(out);
    }

    private static String checked(String value) {
        Input.refuseControlCharacters("variables", value, true);
        return value;
    }

    private static String clip(String s) {
        if (s.length() > 1000) throw Refusal.invalid("variables", "A variable's value may have at most 1000 characters.");
        return s;
    }
}
