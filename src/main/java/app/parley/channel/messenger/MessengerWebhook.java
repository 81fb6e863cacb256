package app.parley.channel.messenger;

import app.parley.store.Jobs;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Meta's side of the channel: the subscription check and the signed POSTs. A POST is verified on its raw bytes,
 * then stored as it came with its processing job in one transaction, and only then answered 200: what Meta was
 * told we have is on disk, and the work (which may wait on the database's writer or on Graph) happens after.
 */
public final class MessengerWebhook {
    /** How a POST was taken. */
    public enum Received { STORED, UNSIGNED, BAD_SIGNATURE }

    private final Jdbi jdbi;
    private final Runnable jobsEnqueued;
    private final AppSecrets secrets;

    MessengerWebhook(Jdbi jdbi, AppSecrets secrets, Runnable jobsEnqueued) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.jobsEnqueued = jobsEnqueued;
    }

    /** The challenge to echo when the verify token is one an admin configured; empty: refuse. */
    public Optional<String> subscribe(String mode, String verifyToken, String challenge) {
        if (!"subscribe".equals(mode) || verifyToken == null || challenge == null) return Optional.empty();
        boolean ok = false;
        for (String t : jdbi.withHandle(Pages::verifyTokens)) {
            ok |= MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8), verifyToken.getBytes(StandardCharsets.UTF_8));
        }
        return ok ? Optional.of(challenge) : Optional.empty();
    }

    public Received receive(byte[] body, String signature) {
        if (signature == null || !signature.startsWith("sha256=")) return Received.UNSIGNED;
        if (!HubSignature.valid(signature, body, secrets.get())) return Received.BAD_SIGNATURE;
        jdbi.useTransaction(h -> {
            long id = h.createQuery("INSERT INTO messenger_inbox (body) VALUES (:b) RETURNING id").bind("b", body)
                    .mapTo(Long.class).one();
            Jobs.enqueue(h, InboundProcessor.KIND, InboundProcessor.QUEUE, Long.toString(id), null);
        });
        jobsEnqueued.run();
        return Received.STORED;
    }
}
