package app.parley.push;

import app.parley.core.Json;
import app.parley.store.Jobs;
import app.parley.store.RetrySchedule;
import com.fasterxml.jackson.databind.JsonNode;
import com.interaso.webpush.WebPush;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job that delivers one notification to one device (RFC 8030 §5): the payload encrypted for the subscription
 * (RFC 8291) and signed for with the server's VAPID key (RFC 8292) by the Web Push library, posted to the device's
 * push service. 2xx: delivered. 404/410: the subscription is gone, and so is the device. 429 and 5xx (or no answer):
 * again later, honouring Retry-After. Any other answer is a request the service will never take: given up.
 */
public final class PushSend implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(PushSend.class);
    public static final String KIND = "push.send";
    /** A chat notification older than this helps nobody: the push service may drop it (RFC 8030 §5.2). */
    private static final int TTL_SECONDS = 4 * 3600;

    private record Target(String endpoint, String p256dh, String auth) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final WebPush webPush;
    private final RetrySchedule retries;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public PushSend(Jdbi jdbi, Jobs.Gate gate, PushKeys keys, PushSettings settings) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.webPush = new WebPush(settings.subject(), keys.vapid());
        this.retries = RetrySchedule.upToAnHour(settings.retryBaseMillis(), settings.maxAttempts());
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        JsonNode p = Json.tree(job.payload());
        long deviceId = p.path("device_id").asLong();
        Target t = gate.call(() -> jdbi.withHandle(h -> h.createQuery("SELECT endpoint, p256dh, auth FROM push_devices WHERE id = :d")
                .bind("d", deviceId).map((rs, ctx) -> new Target(rs.getString(1), rs.getString(2), rs.getString(3))).findOne()
                .orElse(null)));
        if (t == null) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        String notice = Json.write(p.path("notice"));
        HttpResponse<Void> response;
        try {
            byte[] body = webPush.getBody(notice.getBytes(StandardCharsets.UTF_8), decode(t.p256dh()), decode(t.auth()));
            String topic = p.path("notice").path("tag").asText().replaceAll("[^A-Za-z0-9_-]", "");
            // The token's audience is the push service's origin (RFC 8292 §2); 12 hours, under the 24 allowed.
            String token = webPush.getToken(webPush.getAudience(t.endpoint()), 12 * 3600);
            Map<String, String> headers = webPush.getHeadersWithToken(token, TTL_SECONDS,
                    topic.isEmpty() ? null : topic.substring(0, Math.min(32, topic.length())), WebPush.Urgency.High);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(t.endpoint())).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return again(job, deviceId, null, "no answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return again(job, deviceId, null, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Jobs.Outcome.Done(h -> h.createUpdate("UPDATE push_devices SET last_sent_at = now() WHERE id = :d")
                    .bind("d", deviceId).execute());
        }
        if (status == 404 || status == 410) {
            log.info("Push service says device {} is gone ({}): removed", deviceId, status);
            return new Jobs.Outcome.Done(h -> h.createUpdate("DELETE FROM push_devices WHERE id = :d").bind("d", deviceId).execute());
        }
        if (status == 429 || status >= 500) {
            Long wait = response.headers().firstValue("Retry-After").map(PushSend::seconds).orElse(null);
            return again(job, deviceId, wait, "push service answered " + status);
        }
        log.warn("Push to device {} refused by its push service ({}): given up", deviceId, status);
        return new Jobs.Outcome.Dead("push service answered " + status, Jobs.Write.NOTHING);
    }

    private Jobs.Outcome again(Jobs.Job job, long deviceId, Long retryAfterSeconds, String why) {
        if (retries.exhausted(job.attempts())) {
            log.warn("Push to device {} given up after {} attempts: {}", deviceId, job.attempts(), why);
            return new Jobs.Outcome.Dead(why, Jobs.Write.NOTHING);
        }
        Duration pause = retries.after(job.attempts());
        if (retryAfterSeconds != null && retryAfterSeconds * 1000 > pause.toMillis()) pause = Duration.ofSeconds(Math.min(retryAfterSeconds, 3600));
        return new Jobs.Outcome.RetryAt(Instant.now().plus(pause), why, Jobs.Write.NOTHING);
    }

    private static Long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] decode(String base64url) {
        return Base64.getUrlDecoder().decode(base64url);
    }
}
