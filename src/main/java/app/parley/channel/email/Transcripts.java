package app.parley.channel.email;

import app.parley.conversation.Message;
import app.parley.conversation.MessageKind;
import app.parley.conversation.Messages;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.Jobs;
import app.parley.store.RetrySchedule;
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

    /** Transcripts one conversation may have mailed at its visitor's request. */
    public static final int PER_CONVERSATION = 3;
    /** Transcripts one visitor may ask for in a day, over all their conversations. */
    public static final int PER_VISITOR_A_DAY = 5;

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
    private final RetrySchedule retry;
    private final Runnable wakeJobs;

    Transcripts(Jdbi jdbi, Jobs.Gate gate, Sender sender, RetrySchedule retry, Runnable wakeJobs) {
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
            enqueue(h, accountId, conversationId, to);
            return new Queued(true, to);
        });
        wakeJobs.run();
        return q;
    }

    /**
     * Queues the transcript a visitor asked for from the chat box, of their own conversation, within the limits
     * (PER_CONVERSATION, PER_VISITOR_A_DAY). The chat box's {@code clientId} makes a frame sent again after a
     * reconnect answer the same request instead of mailing twice.
     */
    public Queued requestByVisitor(long accountId, long visitorId, Long conversationId, String clientId, String email) {
        if (conversationId == null) throw Refusal.badRequest("no_conversation", "There is no conversation to send yet.");
        if (clientId == null) throw Refusal.invalid("client_id", "client_id is required.");
        String given;
        try {
            given = Input.email("email", email);
        } catch (Refusal e) {
            throw invalidEmail(Refusal.invalid("email", "Please enter a valid email address."));
        }
        Queued q = jdbi.inTransaction(h -> {
            // One visitor's requests one at a time, so two frames at once cannot both pass the limits.
            h.execute("SELECT pg_advisory_xact_lock(hashtext('visitor_transcripts'), hashtext(?::text))", visitorId);
            boolean theirs = h.createQuery("""
                            SELECT count(*) > 0 FROM conversations WHERE id = :c AND account_id = :a AND visitor_id = :v""")
                    .bind("c", conversationId).bind("a", accountId).bind("v", visitorId).mapTo(Boolean.class).one();
            if (!theirs) throw Refusal.notFound("The conversation");
            var again = h.createQuery("SELECT address FROM visitor_transcripts WHERE conversation_id = :c AND client_id = :k")
                    .bind("c", conversationId).bind("k", clientId).mapTo(String.class).findOne();
            if (again.isPresent()) return new Queued(true, again.get());
            String to = given != null ? given : EmailThreads.addressOf(h, conversationId)
                    .orElseThrow(() -> invalidEmail(Refusal.invalid("email", "Please enter your email address.")));
            int forConversation = h.createQuery("SELECT count(*) FROM visitor_transcripts WHERE conversation_id = :c")
                    .bind("c", conversationId).mapTo(Integer.class).one();
            int forVisitor = h.createQuery("""
                            SELECT count(*) FROM visitor_transcripts WHERE visitor_id = :v AND requested_at > now() - interval '1 day'""")
                    .bind("v", visitorId).mapTo(Integer.class).one();
            if (forConversation >= PER_CONVERSATION || forVisitor >= PER_VISITOR_A_DAY) {
                throw new Refusal(Refusal.Kind.RATE_LIMITED, "transcript_limit",
                        "This conversation has been emailed as often as it can be.");
            }
            h.createUpdate("""
                            INSERT INTO visitor_transcripts (account_id, conversation_id, visitor_id, client_id, address)
                            VALUES (:a, :c, :v, :k, :to)""")
                    .bind("a", accountId).bind("c", conversationId).bind("v", visitorId).bind("k", clientId).bind("to", to).execute();
            enqueue(h, accountId, conversationId, to);
            return new Queued(true, to);
        });
        wakeJobs.run();
        return q;
    }

    /** The chat box shows its own words for this code (docs/PROTOCOL.md): stable, unlike a message. */
    private static Refusal invalidEmail(Refusal r) {
        return new Refusal(r.kind(), "invalid_email", r.getMessage(), r.field());
    }

    private static void enqueue(org.jdbi.v3.core.Handle h, long accountId, long conversationId, String to) {
        ObjectNode payload = Json.object();
        payload.put("account_id", accountId);
        payload.put("conversation_id", conversationId);
        payload.put("to", to);
        Jobs.enqueue(h, KIND, null, Json.write(payload), null);
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
