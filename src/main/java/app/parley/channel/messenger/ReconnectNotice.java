package app.parley.channel.messenger;

import app.parley.core.Json;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail that tells an account's owner and admins a page must be reconnected. Queued as one job per admin in the
 * transaction that marks the page (so a crash neither loses the notice nor sends it twice), sent by this job with
 * back-off like the other notices.
 */
final class ReconnectNotice implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(ReconnectNotice.class);
    static final String KIND = "messenger.reconnect_notice";
    private static final int MAX_ATTEMPTS = 8;

    private final AdminMail mail;
    private final long retryBaseMillis;

    ReconnectNotice(AdminMail mail, long retryBaseMillis) {
        this.mail = mail;
        this.retryBaseMillis = retryBaseMillis;
    }

    /** In the caller's transaction: one notice per active owner or admin of the page's account. */
    static int queue(Handle h, String pageId, String why, Supplier<String> baseUrl) {
        record Target(long accountId, String pageName, String email, String name) {}
        List<Target> targets = h.createQuery("""
                        SELECT p.account_id, p.page_name, a.email, a.name FROM messenger_pages p
                        JOIN agents a ON a.account_id = p.account_id AND a.active AND a.role IN ('owner', 'admin')
                        WHERE p.page_id = :p AND a.email <> '' ORDER BY a.id""")
                .bind("p", pageId)
                .map((rs, ctx) -> new Target(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
        String link = baseUrl.get() + "/app/#/settings/messenger";
        for (Target t : targets) {
            String page = t.pageName() == null || t.pageName().isBlank() ? "Page " + pageId : t.pageName();
            String subject = "Reconnect your Facebook page " + page;
            String text = "Hello " + t.name() + ",\n\n"
                    + "Parley can no longer act for the Facebook page " + page + " (" + pageId + "): Facebook said its access "
                    + "token is no longer valid.\n" + "Facebook's reason: " + why + "\n\n"
                    + "Until an admin reconnects the page, replies to its Messenger conversations are not sent and new "
                    + "customers' names and pictures are not fetched. Messages from customers still arrive.\n\n"
                    + "Reconnect it in Settings → Channels → Messenger: " + link + "\n";
            String html = "<p>Hello " + esc(t.name()) + ",</p>"
                    + "<p>Parley can no longer act for the Facebook page <strong>" + esc(page) + "</strong> (" + esc(pageId)
                    + "): Facebook said its access token is no longer valid.</p>"
                    + "<p>Facebook's reason: " + esc(why) + "</p>"
                    + "<p>Until an admin reconnects the page, replies to its Messenger conversations are not sent and new "
                    + "customers' names and pictures are not fetched. Messages from customers still arrive.</p>"
                    + "<p><a href=\"" + esc(link) + "\" style=\"display:inline-block;background:#2563eb;color:#fff;"
                    + "padding:8px 14px;border-radius:6px;text-decoration:none\">Reconnect in Settings → Channels → Messenger</a></p>";
            Jobs.enqueue(h, KIND, null, Json.write(Map.of("account_id", t.accountId(), "page_id", pageId, "to", t.email(),
                    "subject", subject, "text", text, "html", html)), null);
        }
        return targets.size();
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        JsonNode p = Json.tree(job.payload());
        try {
            mail.send(p.path("account_id").asLong(), p.path("to").asText(), p.path("subject").asText(),
                    p.path("text").asText(), p.path("html").asText());
            return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (job.attempts() >= MAX_ATTEMPTS) {
                log.warn("Reconnect notice for Messenger page {} given up after {} attempts: {}",
                        p.path("page_id").asText(), job.attempts(), why);
                return new Jobs.Outcome.Dead(why, Jobs.Write.NOTHING);
            }
            return new Jobs.Outcome.RetryAt(Instant.now().plusMillis(retryBaseMillis << Math.min(job.attempts() - 1, 10)), why,
                    Jobs.Write.NOTHING);
        }
    }

    private static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
