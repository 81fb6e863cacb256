package app.parley.recording;

import app.parley.core.Refusal;
import org.jdbi.v3.core.Jdbi;

/** Reads and changes an account's {@link RecordingOptions}; an account that never saved any has the defaults. */
public final class RecordingSettings {
    /** A change: null fields stay as they are. */
    public record Patch(Boolean enabled, Boolean maskAllText, Boolean maskNumbers, Boolean maskEmails, Boolean consentMode,
                        Boolean excludeMobile, Integer retentionDays) {}

    private final Jdbi jdbi;

    public RecordingSettings(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public RecordingOptions of(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT enabled, mask_all_text, mask_numbers, mask_emails, consent_mode, exclude_mobile, retention_days
                        FROM recording_settings WHERE account_id = :a""")
                .bind("a", accountId)
                .map((rs, ctx) -> new RecordingOptions(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getBoolean(6), rs.getInt(7)))
                .findOne().orElse(RecordingOptions.DEFAULTS));
    }

    public RecordingOptions update(long accountId, Patch p) {
        if (p.retentionDays() != null && (p.retentionDays() < 1 || p.retentionDays() > RecordingOptions.MAX_RETENTION_DAYS)) {
            throw Refusal.invalid("retention_days", "Recordings are kept from 1 to " + RecordingOptions.MAX_RETENTION_DAYS + " days.");
        }
        RecordingOptions now = of(accountId);
        RecordingOptions next = new RecordingOptions(
                p.enabled() != null ? p.enabled() : now.enabled(),
                p.maskAllText() != null ? p.maskAllText() : now.maskAllText(),
                p.maskNumbers() != null ? p.maskNumbers() : now.maskNumbers(),
                p.maskEmails() != null ? p.maskEmails() : now.maskEmails(),
                p.consentMode() != null ? p.consentMode() : now.consentMode(),
                p.excludeMobile() != null ? p.excludeMobile() : now.excludeMobile(),
                p.retentionDays() != null ? p.retentionDays() : now.retentionDays());
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO recording_settings (account_id, enabled, mask_all_text, mask_numbers, mask_emails, consent_mode, exclude_mobile,
                                                        retention_days)
                        VALUES (:a, :e, :t, :n, :m, :c, :x, :r)
                        ON CONFLICT (account_id) DO UPDATE SET enabled = :e, mask_all_text = :t, mask_numbers = :n,
                            mask_emails = :m, consent_mode = :c, exclude_mobile = :x, retention_days = :r""")
                .bind("a", accountId).bind("e", next.enabled()).bind("t", next.maskAllText()).bind("n", next.maskNumbers())
                .bind("m", next.maskEmails()).bind("c", next.consentMode()).bind("x", next.excludeMobile()).bind("r", next.retentionDays()).execute());
        return next;
    }
}
