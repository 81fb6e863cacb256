package app.parley.contact;

import app.parley.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shop's {@code variables} as the card shows them (docs/PRODUCT.md §2.1): each with its label (the legacy
 * {@code {label, value}} form's, else its key) and its value typed, so the dashboard renders a number, a yes/no or
 * a link without guessing from text. Only http(s) addresses are links: anything else stays text.
 */
public final class CustomerInfo {
    public enum Type {
        TEXT, NUMBER, BOOLEAN, LINK;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code value}: a JSON number, boolean or string, as the shop sent it (strings masked when stored). */
    public record Field(String key, String label, Type type, Object value) {}

    private CustomerInfo() {}

    /** The fields of stored variables ({@code {key: {label, value}}}, or a flat object from before they were normalised). */
    public static List<Field> of(String variablesJson) {
        List<Field> out = new ArrayList<>();
        if (variablesJson == null || variablesJson.isBlank()) return out;
        JsonNode vars = Json.tree(variablesJson);
        if (!vars.isObject()) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String label = e.getKey();
            if (v.isObject()) {
                if (v.hasNonNull("label") && !v.get("label").asText().isBlank()) label = v.get("label").asText();
                v = v.path("value");
            }
            out.add(field(e.getKey(), label, v));
        }
        return out;
    }

    private static Field field(String key, String label, JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return new Field(key, label, Type.TEXT, null);
        if (v.isBoolean()) return new Field(key, label, Type.BOOLEAN, v.booleanValue());
        if (v.isNumber()) return new Field(key, label, Type.NUMBER, v.numberValue());
        String text = v.asText();
        return new Field(key, label, isLink(text) ? Type.LINK : Type.TEXT, text);
    }

    /** An absolute http(s) address with a host and nothing around it: a {@code javascript:} or relative text is not. */
    static boolean isLink(String text) {
        if (text == null || text.isEmpty() || !text.strip().equals(text) || text.chars().anyMatch(Character::isWhitespace)) return false;
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && !u.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
