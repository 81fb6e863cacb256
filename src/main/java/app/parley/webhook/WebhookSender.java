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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job that posts one delivery to its endpoint: a 2xx is delivered; anything else (an error status, a
 * redirect, a timeout, a refused connection) is retried on the {@link RetrySchedule} until it is dead. Redirects
 * are never followed: a signed body goes only to the address the admin entered.
 */
public final class WebhookSender implements Jobs.BatchHandler {
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

    /** What a delivery attempt came to, recorded on its row with the others of its batch. */
    private record Attempt(long deliveryId, String state, Integer status, String error, Instant next) {}

    /**
     * Posts a batch of deliveries at once: their rows are read in one query, the posts go out concurrently (a slow
     * endpoint delays only the recording of its batch, not the other posts), and the rows are updated in one
     * statement that commits with the jobs' outcomes.
     */
    @Override
    public Jobs.Batch runAll(List<Jobs.Job> jobs) {
        List<Long> ids = jobs.stream().map(j -> Long.parseLong(j.payload())).toList();
        Map<Long, Target> targets = new HashMap<>();
        gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT d.id, e.url, e.secret, e.active, d.event, d.body
                        FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ANY(:ids)""")
                .bindArray("ids", Long.class, ids)
                .map((rs, ctx) -> new Target(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6)))
                .list())).forEach(t -> targets.put(t.deliveryId(), t));

        List<CompletableFuture<Attempt>> attempts = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            Target t = targets.get(ids.get(i));
            Jobs.Job job = jobs.get(i);
            if (t == null) attempts.add(CompletableFuture.completedFuture(null)); // the endpoint was deleted
            else if (!t.active()) attempts.add(CompletableFuture.completedFuture(
                    new Attempt(t.deliveryId(), "dead", null, "The endpoint is disabled.", null)));
            else attempts.add(post(t).handle((status, failure) -> attempt(t, job.attempts(), status, failure)));
        }
        List<Jobs.Outcome> outcomes = new ArrayList<>(jobs.size());
        List<Attempt> made = new ArrayList<>(jobs.size());
        for (CompletableFuture<Attempt> f : attempts) {
            Attempt a = f.join();
            if (a == null) {
                outcomes.add(new Jobs.Outcome.Done(Jobs.Write.NOTHING));
                continue;
            }
            made.add(a);
            // A dead delivery's job row is not needed to resend (that makes a new job): the delivery row is the dead letter.
            outcomes.add(a.next() == null ? new Jobs.Outcome.Done(Jobs.Write.NOTHING)
                    : new Jobs.Outcome.RetryAt(a.next(), a.error(), Jobs.Write.NOTHING));
        }
        return new Jobs.Batch(outcomes, h -> record(h, made));
    }

    private CompletableFuture<Integer> post(Target t) {
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
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    /** A 2xx is delivered; anything else is tried again on the schedule, or dead once it is exhausted. */
    private Attempt attempt(Target t, int attempts, Integer status, Throwable failure) {
        if (failure == null && status / 100 == 2) return new Attempt(t.deliveryId(), "delivered", status, null, null);
        String error = failure == null ? (status / 100 == 3 ? "Answered " + status + " (redirects are not followed)" : "Answered " + status)
                : describe(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
        if (schedule.exhausted(attempts)) {
            // Said once, without the URL's query or the secret: enough for an operator to look at the settings.
            log.warn("Webhook delivery {} ({}) is dead after {} attempts: {}", t.deliveryId(), t.event(), attempts, error);
            return new Attempt(t.deliveryId(), "dead", status, clip(error), null);
        }
        return new Attempt(t.deliveryId(), "pending", status, clip(error), Instant.now().plus(schedule.after(attempts)));
    }

    private static String describe(Throwable e) {
        if (e instanceof HttpTimeoutException) return "No answer within " + TIMEOUT.toSeconds() + " s";
        if (e instanceof IOException) return "Could not connect: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        return "Failed: " + e.getClass().getSimpleName();
    }

    private static void record(Handle h, List<Attempt> made) {
        if (made.isEmpty()) return;
        h.createUpdate("""
                        UPDATE webhook_deliveries d SET state = t.state, attempts = d.attempts + 1, last_status = t.status,
                               last_error = t.error, next_attempt_at = to_timestamp(t.next / 1000.0),
                               delivered_at = CASE WHEN t.state = 'delivered' THEN now() ELSE d.delivered_at END
                        FROM unnest(:ids, :states, :statuses, :errors, :nexts) AS t(id, state, status, error, next)
                        WHERE d.id = t.id""")
                .bindArray("ids", Long.class, made.stream().map(Attempt::deliveryId).toList())
                .bindArray("states", String.class, made.stream().map(Attempt::state).toList())
                .bindArray("statuses", Integer.class, made.stream().map(Attempt::status).toList())
                .bindArray("errors", String.class, made.stream().map(Attempt::error).toList())
                // Epoch milliseconds: Jdbi binds no arrays of timestamps.
                .bindArray("nexts", Long.class, made.stream().map(a -> a.next() == null ? null : a.next().toEpochMilli()).toList())
                .execute();
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }
}
