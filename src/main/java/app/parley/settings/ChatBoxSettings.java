package app.parley.settings;

import app.parley.core.Input;
import app.parley.core.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the shop's chat box looks and behaves, set in the dashboard (docs/PRODUCT.md §2.1). A page's own
 * {@code _smartsupp} keys still win over these, in the chat box. Any field left out takes its default, so a
 * stored value written by an older version reads as a whole one.
 *
 * @param greetings    the first words a visitor reads while someone is online, by language tag ("en", "cs")
 * @param offlineTexts what the contact form says when nobody is, by language tag
 * @param groupKeys    the groups a visitor may pick in the chat box; null means all of them
 */
public record ChatBoxSettings(String color, String position, Integer offsetX, Integer offsetY,
                              Map<String, String> greetings, Map<String, String> offlineTexts, Boolean ratingEnabled,
                              PreChat preChatForm, Boolean showOnMobile, List<String> groupKeys) {

    /** Ask for a name and/or email before the first message; off by default. */
    public record PreChat(Boolean enabled, Boolean askName, Boolean askEmail, Boolean emailRequired) {}

    public static final String DEFAULT_COLOR = "#3b5bdb";
    public static final int MAX_TEXT = 1000;
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");

    public static ChatBoxSettings defaults() {
        return new ChatBoxSettings(null, null, null, null, null, null, null, null, null, null).normalised();
    }

    /** Checks every field and fills in the defaults; a bad field is refused by name, nothing half-kept. */
    public ChatBoxSettings normalised() {
        String c = color == null || color.isBlank() ? DEFAULT_COLOR : color.strip();
        if (!COLOR.matcher(c).matches()) throw Refusal.invalid("color", "color is a hex colour such as #3b5bdb.");
        String p = position == null ? "right" : position;
        if (!p.equals("right") && !p.equals("left")) throw Refusal.invalid("position", "position is 'right' or 'left'.");
        PreChat f = preChatForm == null ? new PreChat(false, true, true, false) : preChatForm;
        boolean askName = f.askName() == null || f.askName();
        boolean askEmail = f.askEmail() == null || f.askEmail();
        boolean enabled = Boolean.TRUE.equals(f.enabled());
        if (enabled && !askName && !askEmail) {
            throw Refusal.invalid("pre_chat_form", "The pre-chat form asks for a name, an email or both.");
        }
        return new ChatBoxSettings(c.toLowerCase(), p, offset("offset_x", offsetX), offset("offset_y", offsetY),
                texts("greetings", greetings), texts("offline_texts", offlineTexts), ratingEnabled == null || ratingEnabled,
                new PreChat(enabled, askName, askEmail, askEmail && Boolean.TRUE.equals(f.emailRequired())),
                showOnMobile == null || showOnMobile, keys(groupKeys));
    }

    private static int offset(String field, Integer value) {
        int v = value == null ? 20 : value;
        if (v < 0 || v > 400) throw Refusal.invalid(field, field + " is a number of pixels from 0 to 400.");
        return v;
    }

    private static Map<String, String> texts(String field, Map<String, String> in) {
        Map<String, String> out = new LinkedHashMap<>();
        if (in == null) return out;
        if (in.size() > 50) throw Refusal.invalid(field, field + " has at most 50 languages.");
        in.forEach((lang, text) -> {
            if (lang == null || !LANGUAGE.matcher(lang).matches()) {
                throw Refusal.invalid(field, field + " is keyed by a language code such as 'en' or 'pt-BR'.");
            }
            String t = Input.longText(field, text, MAX_TEXT);
            if (t != null) out.put(lang.toLowerCase(), t);
        });
        return out;
    }

    private static List<String> keys(List<String> in) {
        if (in == null) return null;
        List<String> out = new ArrayList<>();
        for (String k : in) {
            String key = Input.shortText("group_keys", k, 100);
            if (key == null) throw Refusal.invalid("group_keys", "group_keys lists group keys.");
            if (!out.contains(key)) out.add(key);
        }
        return out;
    }
}
