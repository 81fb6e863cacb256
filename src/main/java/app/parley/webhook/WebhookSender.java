package app.parley.webhook;

import app.parley.store.Jobs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job that posts one delivery to its endpoint: a 2xx is delivered; anything else (an error status, a
 * redirect, a timeout, a refused connection) is retried on the {@link RetrySchedule} until it is dead. Redirects
 * are never followed: a signed body goes only to the address the admin entered.
 */
public final class WebhookSender implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    public static final String KIND = "webhook.deliver";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR = 500;

    private record Target(long deliveryId, String url, String secret, boolean active, String event, String body) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final RetrySchedule schedule;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public WebhookSender(Jdbi jdbi, Jobs.Gate gate, RetrySchedule schedule) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.schedule = schedule;
    }

    /** Deliveries of one conversation to one endpoint queue behind each other; others do not wait. */
    static String queueKey(long endpointId, Long conversationId) {
        return conversationId == null ? null : "webhook:" + endpointId + ":" + conversationId;
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        long deliveryId = Long.parseLong(job.payload());
        Optional<Target> found = gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT d.id, e.url, e.secret, e.active, d.event, d.body
                        FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = :id""")
                .bind("id", deliveryId)
                .map((rs, ctx) -> new Target(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6)))
                .findOne()));
        if (found.isEmpty()) return new Jobs.Outcome.Done(Jobs.Write.NOTHING); // the endpoint was deleted
        Target t = found.get();
        if (!t.active()) return dead(t, null, "The endpoint is disabled.");

        Integer status = null;
        String error;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(t.url()))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Parley-Webhooks/1")
                    .header("X-Parley-Event", t.event())
                    .header("X-Parley-Delivery", Long.toString(t.deliveryId()))
                    .header("X-Parley-Timestamp", Long.toString(Instant.now().getEpochSecond()))
                    .header(Signature.HEADER, Signature.of(t.secret(), t.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(t.body()))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status / 100 == 2) return delivered(t, status);
            error = status / 100 == 3 ? "Answered " + status + " (redirects are not followed)" : "Answered " + status;
        } catch (HttpTimeoutException e) {
            error = "No answer within " + TIMEOUT.toSeconds() + " s";
        } catch (IOException e) {
            error = "Could not connect: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "Parley stopped during the delivery";
        }
        if (schedule.exhausted(job.attempts())) {
            // Said once, without the URL's query or the secret: enough for an operator to look at the settings.
            log.warn("Webhook delivery {} ({}) is dead after {} attempts: {}", t.deliveryId(), t.event(), job.attempts(), error);
            return dead(t, status, error);
        }
        Instant next = Instant.now().plus(schedule.after(job.attempts()));
        String e = clip(error);
        Integer s = status;
        return new Jobs.Outcome.RetryAt(next, e, h -> h.createUpdate("""
                        UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = :s, last_error = :e,
                               next_attempt_at = :next WHERE id = :id""")
                .bind("s", s).bind("e", e).bind("next", java.sql.Timestamp.from(next)).bind("id", t.deliveryId()).execute());
    }

    private static Jobs.Outcome delivered(Target t, int status) {
        return new Jobs.Outcome.Done(h -> h.createUpdate("""
                        UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = :s,
                               last_error = NULL, next_attempt_at = NULL, delivered_at = now() WHERE id = :id""")
                .bind("s", status).bind("id", t.deliveryId()).execute());
    }

    private static Jobs.Outcome dead(Target t, Integer status, String error) {
        String e = clip(error);
        // The job row is not needed to resend (that makes a new job): the delivery row is the dead letter.
        return new Jobs.Outcome.Done(h -> h.createUpdate("""
                        UPDATE webhook_deliveries SET state = 'dead', attempts = attempts + 1, last_status = :s,
                               last_error = :e, next_attempt_at = NULL WHERE id = :id""")
                .bind("s", status).bind("e", e).bind("id", t.deliveryId()).execute());
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }
}
