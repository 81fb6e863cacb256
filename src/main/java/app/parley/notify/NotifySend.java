package app.parley.notify;

import app.parley.core.Json;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job that hands one notification mail to the SMTP server, retried with back-off (a minute, doubling). */
public final class NotifySend implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(NotifySend.class);
    public static final String KIND = "notify.send";
    private static final int MAX_ATTEMPTS = 8;

    private final Mailer mailer;
    private final long retryBaseMillis;

    public NotifySend(Mailer mailer, long retryBaseMillis) {
        this.mailer = mailer;
        this.retryBaseMillis = retryBaseMillis;
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        JsonNode p = Json.tree(job.payload());
        try {
            mailer.send(p.path("account_id").asLong(), p.path("to").asText(), p.path("subject").asText(),
                    p.path("text").asText(), p.path("html").asText());
            return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (job.attempts() >= MAX_ATTEMPTS) {
                log.warn("Notification to agent {} about conversation {} given up after {} attempts: {}",
                        p.path("agent_id").asLong(), p.path("conversation_id").asLong(), job.attempts(), why);
                return new Jobs.Outcome.Dead(why, Jobs.Write.NOTHING);
            }
            return new Jobs.Outcome.RetryAt(Instant.now().plusMillis(retryBaseMillis << Math.min(job.attempts() - 1, 10)), why,
                    Jobs.Write.NOTHING);
        }
    }
}
