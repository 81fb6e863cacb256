package app.parley.settings;

import app.parley.account.Caller;
import app.parley.account.Team;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The shop's own settings (owner and admins): its name and logo, language, timezone, presence timings, chat box. */
public final class AccountSettings {
    /** What the settings screen shows and edits. */
    public record View(String name, String logoUrl, String language, String timezone, int awayAfterSeconds,
                       int offlineAfterSeconds) {}

    /** A change: null fields stay as they are. */
    public record Patch(String name, String language, String timezone, Integer awayAfterSeconds,
                        Integer offlineAfterSeconds) {}

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");
    private static final int MAX_SECONDS = 7 * 24 * 3600;

    private final Jdbi jdbi;
    private final OfficeHoursBook hours;

    public AccountSettings(Jdbi jdbi, OfficeHoursBook hours) {
        this.jdbi = jdbi;
        this.hours = hours;
    }

    public View get(long accountId) {
        return jdbi.withHandle(h -> view(h, accountId));
    }

    public View update(Caller by, Patch p) {
        Team.requireFullAccess(by);
        String name = Input.name("name", p.name());
        if (p.name() != null && name == null) throw Refusal.invalid("name", "The shop's name cannot be empty.");
        String language = p.language() == null ? null : p.language().strip();
        if (language != null && !LANGUAGE.matcher(language).matches()) {
            throw Refusal.invalid("language", "language is a language code such as 'en', 'cs' or 'pt-BR'.");
        }
        String zone = p.timezone() == null ? null : zone(p.timezone());
        View saved = jdbi.inTransaction(h -> {
            View now = view(h, by.accountId());
            int away = p.awayAfterSeconds() == null ? now.awayAfterSeconds() : p.awayAfterSeconds();
            int offline = p.offlineAfterSeconds() == null ? now.offlineAfterSeconds() : p.offlineAfterSeconds();
            if (away < 1 || away > MAX_SECONDS) throw Refusal.invalid("away_after_seconds", "away_after_seconds is from 1 second to 7 days.");
            if (offline <= away || offline > MAX_SECONDS) {
                throw Refusal.invalid("offline_after_seconds", "offline_after_seconds is longer than away_after_seconds and at most 7 days.");
            }
            if (name != null) h.createUpdate("UPDATE accounts SET name = :n WHERE id = :a").bind("n", name).bind("a", by.accountId()).execute();
            ensureRow(h, by.accountId());
            h.createUpdate("""
                            UPDATE account_settings SET language = coalesce(:l, language), timezone = coalesce(:z, timezone),
                                   away_after_seconds = :away, offline_after_seconds = :off
                            WHERE account_id = :a""")
                    .bind("l", language).bind("z", zone).bind("away", away).bind("off", offline).bind("a", by.accountId()).execute();
            return view(h, by.accountId());
        });
        // Office hours are kept in the account's timezone.
        if (zone != null) hours.forget(by.accountId());
        return saved;
    }

    /** Replaces the logo; {@code origin} is Parley's public address, where the chat box will load it from. */
    public View setLogo(Caller by, String dataUrl, String origin) {
        Team.requireFullAccess(by);
        Images.Image image = Images.parse("image", dataUrl);
        return jdbi.inTransaction(h -> {
            ensureRow(h, by.accountId());
            Images.forget(h, by.accountId(), view(h, by.accountId()).logoUrl());
            String url = Images.store(h, by.accountId(), image, origin);
            h.createUpdate("UPDATE account_settings SET logo_url = :u WHERE account_id = :a").bind("u", url).bind("a", by.accountId()).execute();
            return view(h, by.accountId());
        });
    }

    public View removeLogo(Caller by) {
        Team.requireFullAccess(by);
        return jdbi.inTransaction(h -> {
            ensureRow(h, by.accountId());
            Images.forget(h, by.accountId(), view(h, by.accountId()).logoUrl());
            h.createUpdate("UPDATE account_settings SET logo_url = NULL WHERE account_id = :a").bind("a", by.accountId()).execute();
            return view(h, by.accountId());
        });
    }

    public ChatBoxSettings chatBox(long accountId) {
        return jdbi.withHandle(h -> chatBox(h, accountId));
    }

    public ChatBoxSettings saveChatBox(Caller by, ChatBoxSettings in) {
        Team.requireFullAccess(by);
        if (in == null) throw Refusal.invalid("chat_box", "Send the chat box settings.");
        ChatBoxSettings s = in.normalised();
        return jdbi.inTransaction(h -> {
            ensureRow(h, by.accountId());
            h.createUpdate("UPDATE account_settings SET chat_box = cast(:j AS jsonb) WHERE account_id = :a")
                    .bind("j", Json.write(s)).bind("a", by.accountId()).execute();
            return s;
        });
    }

    static ChatBoxSettings chatBox(Handle h, long accountId) {
        return h.createQuery("SELECT chat_box::text FROM account_settings WHERE account_id = :a").bind("a", accountId)
                .mapTo(String.class).findOne().map(j -> Json.read(j, ChatBoxSettings.class).normalised())
                .orElseGet(ChatBoxSettings::defaults);
    }

    static View view(Handle h, long accountId) {
        return h.createQuery("""
                        SELECT a.name, s.logo_url, coalesce(s.language, 'en') AS language, coalesce(s.timezone, 'UTC') AS timezone,
                               coalesce(s.away_after_seconds, 120) AS away, coalesce(s.offline_after_seconds, 900) AS off
                        FROM accounts a LEFT JOIN account_settings s ON s.account_id = a.id WHERE a.id = :a""")
                .bind("a", accountId)
                .map((rs, ctx) -> new View(rs.getString("name"), rs.getString("logo_url"), rs.getString("language"),
                        rs.getString("timezone"), rs.getInt("away"), rs.getInt("off")))
                .findOne().orElseThrow(() -> Refusal.notFound("The account"));
    }

    private static void ensureRow(Handle h, long accountId) {
        h.createUpdate("INSERT INTO account_settings (account_id) VALUES (:a) ON CONFLICT DO NOTHING").bind("a", accountId).execute();
    }

    /** An IANA zone name ("Europe/Prague"); offsets such as "+02:00" are refused as they ignore summer time. */
    private static String zone(String value) {
        String z = value.strip();
        if (!z.contains("/") && !z.equals("UTC")) throw Refusal.invalid("timezone", "timezone is a zone name such as 'Europe/Prague' or 'UTC'.");
        try {
            return ZoneId.of(z).getId();
        } catch (DateTimeException e) {
            throw Refusal.invalid("timezone", "timezone is a zone name such as 'Europe/Prague' or 'UTC'.");
        }
    }
}
