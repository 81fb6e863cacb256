package app.parley.channel.email;

import app.parley.core.Input;
import app.parley.core.Refusal;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * An account's SMTP server in Settings, overriding the instance's (PARLEY_SMTP_*). The password is write-only:
 * the API says whether one is set, never what it is. Callers check full access first.
 */
public final class EmailSettings {
    /** What Settings shows. {@code source}: "account" (its own server), "instance" (the environment's) or "none". */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record View(String source, String smtpHost, Integer smtpPort, String smtpUser, boolean passwordSet, boolean smtpTls,
                       String fromAddress, String inboundDomain, String instanceFrom) {}

    private final Jdbi jdbi;
    private final MailSettings instance;

    public EmailSettings(Jdbi jdbi, MailSettings instance) {
        this.jdbi = jdbi;
        this.instance = instance;
    }

    public View get(long accountId) {
        return jdbi.withHandle(h -> view(h, accountId));
    }

    /** Saves the account's server; a null password keeps the stored one, an empty host goes back to the instance's. */
    public View update(long accountId, String host, Integer port, String user, String password, Boolean tls, String from) {
        String hst = Input.shortText("smtp_host", host, 255);
        String usr = Input.shortText("smtp_user", user, 255);
        String frm = from == null || from.isBlank() ? null : Input.shortText("from_address", from, 255);
        if (frm != null) {
            try {
                new jakarta.mail.internet.InternetAddress(frm, true);
            } catch (jakarta.mail.internet.AddressException e) {
                throw Refusal.invalid("from_address", "This is not an email address.");
            }
        }
        if (port != null && (port < 1 || port > 65535)) throw Refusal.invalid("smtp_port", "A port is between 1 and 65535.");
        if (hst != null && frm == null) throw Refusal.invalid("from_address", "Your own SMTP server needs the address mail comes from.");
        if (password != null && password.length() > 500) throw Refusal.invalid("smtp_password", "The password is too long.");
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO email_settings (account_id, smtp_host, smtp_port, smtp_user, smtp_password, smtp_tls, from_address)
                            VALUES (:a, :h, :p, :u, :pw, :t, :f)
                            ON CONFLICT (account_id) DO UPDATE SET smtp_host = :h, smtp_port = :p, smtp_user = :u,
                                smtp_password = coalesce(:pw, email_settings.smtp_password), smtp_tls = :t, from_address = :f,
                                updated_at = now()""")
                    .bind("a", accountId).bind("h", hst).bind("p", port).bind("u", usr)
                    .bind("pw", password == null ? null : password).bind("t", tls != null && tls).bind("f", frm).execute();
            return view(h, accountId);
        });
    }

    private View view(Handle h, long accountId) {
        record Row(String host, Integer port, String user, boolean pw, boolean tls, String from) {}
        Row r = h.createQuery("""
                        SELECT smtp_host, smtp_port, smtp_user, smtp_password IS NOT NULL, smtp_tls, from_address
                        FROM email_settings WHERE account_id = :a""")
                .bind("a", accountId)
                .map((rs, ctx) -> new Row(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getString(6)))
                .findOne().orElse(null);
        String source = r != null && r.host() != null ? "account" : instance.smtp().configured() ? "instance" : "none";
        if (r == null) return new View(source, null, null, null, false, false, null, instance.inboundDomain(), instance.smtp().from());
        return new View(source, r.host(), r.port(), r.user(), r.pw(), r.tls(), r.from(), instance.inboundDomain(), instance.smtp().from());
    }

    /** The server this account's mail goes through: its own when set, else the instance's. */
    public static MailSettings.Smtp effective(Handle h, long accountId, MailSettings instance) {
        MailSettings.Smtp own = h.createQuery("""
                        SELECT smtp_host, smtp_port, smtp_user, smtp_password, smtp_tls, from_address
                        FROM email_settings WHERE account_id = :a AND smtp_host IS NOT NULL""")
                .bind("a", accountId)
                .map((rs, ctx) -> new MailSettings.Smtp(rs.getString(1), rs.getObject(2) == null ? (rs.getBoolean(5) ? 465 : 25)
                        : rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6)))
                .findOne().orElse(null);
        if (own != null) return own;
        // The account's public address may be set without its own server: mail then says it comes from there.
        String from = h.createQuery("SELECT from_address FROM email_settings WHERE account_id = :a")
                .bind("a", accountId).mapTo(String.class).findOne().orElse(null);
        MailSettings.Smtp i = instance.smtp();
        return from == null ? i : new MailSettings.Smtp(i.host(), i.port(), i.user(), i.password(), i.tls(), from);
    }
}
