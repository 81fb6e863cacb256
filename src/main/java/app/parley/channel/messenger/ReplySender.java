package app.parley.channel.messenger;

import app.parley.conversation.ChannelMessages;
import app.parley.core.Json;
import app.parley.files.FileStore;
import app.parley.files.FileType;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.jdbi.v3.core.Jdbi;

/**
 * The job that sends one reply through the Send API: {@code RESPONSE} inside 24 hours of the customer's last
 * message, {@code MESSAGE_TAG} + {@code HUMAN_AGENT} up to 7 days for a person's reply, nothing after (the message
 * fails with the reason). Meta's transient errors and rate limits retry with back-off; its refusals fail the
 * message at once with Meta's error explained; error 190 also marks the page for reconnecting.
 */
final class ReplySender implements Jobs.Handler {
    static final String KIND = "messenger.send";
    /** Meta's limit on a text message (Send API reference). */
    static final int MAX_TEXT = 2000;

    private record Reply(long messageId, String pageId, String psid, String text, boolean human, String token,
                         String pageStatus, Instant lastInbound, long accountId) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final GraphApi graph;
    private final TokenTrouble tokens;
    private final int maxAttempts;
    private final LongFunction<Duration> backoff;
    private final FileStore files;
    /** Meta's limit on an uploaded attachment (Send API reference: 25 MB). */
    static final int MAX_FILE = 25 * 1024 * 1024;

    private final DeliveryStates states;

    ReplySender(Jdbi jdbi, Jobs.Gate gate, GraphApi graph, TokenTrouble tokens, int maxAttempts, LongFunction<Duration> backoff,
                DeliveryStates states) {
        this.states = states;
        this.jdbi = jdbi;
        this.gate = gate;
        this.graph = graph;
        this.tokens = tokens;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.files = new FileStore(jdbi);
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        long messageId = Long.parseLong(job.payload());
        Optional<Reply> found = gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT mm.message_id, mm.page_id, mm.psid, m.text, coalesce((mm.metadata->>'human')::boolean, false),
                               p.page_access_token, p.status, c.last_inbound_at, m.account_id
                        FROM messenger_messages mm
                        JOIN messages m ON m.id = mm.message_id
                        JOIN messenger_pages p ON p.page_id = mm.page_id
                        JOIN messenger_contacts c ON c.page_id = mm.page_id AND c.psid = mm.psid
                        WHERE mm.message_id = :id AND mm.delivery_status = 'sending'""")
                .bind("id", messageId)
                .map((rs, ctx) -> new Reply(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                        rs.getString(6), rs.getString(7), rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant(), rs.getLong(9)))
                .findOne()));
        if (found.isEmpty()) return new Jobs.Outcome.Done(Jobs.Write.NOTHING); // sent already, or the page is gone
        Reply r = found.get();
        if (r.pageStatus().equals("reconnect")) {
            return failed(r, "token_invalid", "The page's access token has expired or was revoked: an admin must reconnect the page in Settings → Channels → Messenger.");
        }
        // An agent's file (issue #13 point 4): sent as the attachment itself; its message text is only its name.
        List<FileStore.Content> attached = gate.call(() -> files.ofMessage(r.accountId(), r.messageId()));
        if (attached.isEmpty() && (r.text() == null || r.text().isBlank())) return failed(r, "empty", "An empty message cannot be sent to Messenger.");
        if (attached.isEmpty() && r.text().codePointCount(0, r.text().length()) > MAX_TEXT) {
            return failed(r, "too_long", "Messenger accepts at most " + MAX_TEXT + " characters in a message.");
        }
        ReplyWindow window = ReplyWindow.at(r.lastInbound(), Instant.now(), r.human());
        if (window == ReplyWindow.CLOSED) {
            return failed(r, "outside_window", r.human()
                    ? "More than 7 days since the customer's last message: Messenger allows no reply now. Answer from the page's inbox in Facebook."
                    : "More than 24 hours since the customer's last message: an automatic message may not be sent.");
        }
        ObjectNode body = Json.object();
        body.putObject("recipient").put("id", r.psid());
        body.put("messaging_type", window == ReplyWindow.RESPONSE ? "RESPONSE" : "MESSAGE_TAG");
        if (window == ReplyWindow.HUMAN_AGENT) body.put("tag", "HUMAN_AGENT");
        GraphApi.Answer answer;
        if (attached.isEmpty()) {
            body.putObject("message").put("text", r.text());
            answer = graph.send(r.token(), body);
        } else {
            FileStore.Content f = attached.getFirst();
            if (f.bytes().length > MAX_FILE) return failed(r, "too_large", "Messenger accepts files of at most 25 MB.");
            ObjectNode attachment = body.putObject("message").putObject("attachment");
            attachment.put("type", attachmentType(f.file().contentType()));
            attachment.putObject("payload").put("is_reusable", false);
            answer = graph.sendFile(r.token(), body, f.file().filename(), f.file().contentType(), f.bytes());
        }
        return switch (answer) {
            case GraphApi.Answer.Ok ok -> {
                String mid = ok.body().path("message_id").asText(null);
                // When Meta took it, not when the outcome is recorded: the agents see "sent" first, and a customer's
                // read watermark right after it must cover the reply.
                java.sql.Timestamp sentAt = java.sql.Timestamp.from(java.time.Instant.now());
                states.announce(r.accountId(), r.messageId(), ChannelMessages.Delivery.SENT, null);
                yield new Jobs.Outcome.Done(h -> h.createUpdate("""
                                UPDATE messenger_messages SET delivery_status = 'sent', mid = :mid, sent_at = :at,
                                       error = NULL, error_code = NULL
                                WHERE message_id = :id AND delivery_status = 'sending'""")
                        .bind("mid", mid).bind("at", sentAt).bind("id", r.messageId()).execute());
            }
            case GraphApi.Answer.Failed f -> switch (f.error().meaning()) {
                case TRANSIENT -> again(job, r, f.error().reason(), f.error().explained());
                case TOKEN_INVALID -> {
                    tokens.invalid(r.pageId(), f.error());
                    yield failed(r, f.error().reason(), f.error().explained());
                }
                default -> failed(r, f.error().reason(), f.error().explained());
            };
            case GraphApi.Answer.Unreachable u -> again(job, r, "meta_unreachable",
                    "Parley could not reach Messenger (" + u.why() + ").");
        };
    }

    /** Meta's attachment types: an image or a video shows in the thread; anything else (an SVG too) is a file. */
    static String attachmentType(String contentType) {
        if (FileType.image(contentType)) return "image";
        if (contentType.startsWith("video/")) return "video";
        if (contentType.startsWith("audio/")) return "audio";
        return "file";
    }

    private Jobs.Outcome again(Jobs.Job job, Reply r, String code, String why) {
        if (job.attempts() >= maxAttempts) return failed(r, code, why);
        Instant next = Instant.now().plus(backoff.apply(job.attempts()));
        return new Jobs.Outcome.RetryAt(next, why, h -> h.createUpdate(
                        "UPDATE messenger_messages SET error_code = :c, error = :e WHERE message_id = :id")
                .bind("c", code).bind("e", "Retrying: " + why).bind("id", r.messageId()).execute());
    }

    private Jobs.Outcome failed(Reply r, String code, String why) {
        states.announce(r.accountId(), r.messageId(), ChannelMessages.Delivery.FAILED, why);
        return new Jobs.Outcome.Done(h -> h.createUpdate("""
                        UPDATE messenger_messages SET delivery_status = 'failed', error_code = :c, error = :e
                        WHERE message_id = :id""")
                .bind("c", code).bind("e", why).bind("id", r.messageId()).execute());
    }
}
