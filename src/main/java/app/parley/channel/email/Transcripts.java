package app.parley.channel.email;

import app.parley.conversation.Message;
import app.parley.conversation.MessageKind;
import app.parley.conversation.Messages;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.jsoup.nodes.Entities;

/**
 * A conversation's transcript by email (issue #12, point 5): asked for by an agent, queued as a job (so it survives
 * a restart and retries), sent to the visitor's address or the one given. Notes never go into it.
 */
public final class Transcripts implements Jobs.Handler {
    public static final String KIND = "email.transcript";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** The answer to a request: where it goes. */
    public record Queued(boolean queued, String to) {}

    /** Sends a machine-made mail through the account's server (the channel's). */
    @FunctionalInterface
    interface Sender {
        void send(long accountId, String to, String subject, String text, String html) throws SmtpClient.Failure;
    }

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final Sender sender;
    private final MailRetry retry;
    private final Runnable wakeJobs;

    Transcripts(Jdbi jdbi, Jobs.Gate gate, Sender sender, MailRetry retry, Runnable wakeJobs) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.sender = sender;
        this.retry = retry;
        this.wakeJobs = wakeJobs;
    }

    /** Queues the transcript of a conversation of this account (the caller checked the agent sees it). */
    public Queued request(long accountId, long conversationId, String email) {
        String given = Input.email("email", email);
        Queued q = jdbi.inTransaction(h -> {
            boolean mine = h.createQuery("SELECT count(*) > 0 FROM conversations WHERE id = :c AND account_id = :a")
                    .bind("c", conversationId).bind("a", accountId).mapTo(Boolean.class).one();
            if (!mine) throw Refusal.notFound("The conversation");
            String to = given != null ? given : EmailThreads.addressOf(h, conversationId)
                    .orElseThrow(() -> Refusal.invalid("email", "No email address is known for this visitor: give one."));
            ObjectNode payload = Json.object();
            payload.put("account_id", accountId);
            payload.put("conversation_id", conversationId);
            payload.put("to", to);
            Jobs.enqueue(h, KIND, null, Json.write(payload), null);
            return new Queued(true, to);
        });
        wakeJobs.run();
        return q;
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        JsonNode p = Json.tree(job.payload());
        long accountId = p.path("account_id").asLong();
        long conversationId = p.path("conversation_id").asLong();
        record Loaded(String shop, List<Message> messages) {}
        Loaded l = gate.call(() -> jdbi.withHandle(h -> new Loaded(
                h.createQuery("SELECT name FROM accounts WHERE id = :a").bind("a", accountId).mapTo(String.class).one(),
                Messages.page(h, conversationId, null, 1000, false))));
        List<Message> lines = l.messages().stream().filter(m -> m.kind() == MessageKind.MESSAGE).toList();
        StringBuilder text = new StringBuilder("Your conversation with ").append(l.shop()).append("\n\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"UTF-8\"></head>"
                + "<body style=\"font-family:Arial,sans-serif;font-size:14px;color:#1f2933\"><h2 style=\"font-size:16px\">Your conversation with ")
                .append(esc(l.shop())).append("</h2>");
        for (Message m : lines) {
            String who = m.fromContact() ? "You" : m.agent() != null ? m.agent().name() : l.shop();
            String when = WHEN.format(m.createdAt().toInstant());
            text.append(who).append(" · ").append(when).append("\n").append(m.text()).append("\n\n");
            html.append("<p style=\"margin:0 0 12px\"><span style=\"color:#6b7280;font-size:12px\">").append(esc(who)).append(" · ")
                    .append(esc(when)).append("</span><br>").append(esc(m.text()).replace("\n", "<br>")).append("</p>");
        }
        html.append("</body></html>");
        try {
            sender.send(accountId, p.path("to").asText(), "Your conversation with " + l.shop(), text.toString(), html.toString());
            return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        } catch (SmtpClient.Failure f) {
            if (f.permanent() || retry.exhausted(job.attempts())) return new Jobs.Outcome.Dead(f.getMessage(), Jobs.Write.NOTHING);
            return new Jobs.Outcome.RetryAt(Instant.now().plus(retry.after(job.attempts())), f.getMessage(), Jobs.Write.NOTHING);
        }
    }

    private static String esc(String s) {
        return Entities.escape(s == null ? "" : s);
    }
}
