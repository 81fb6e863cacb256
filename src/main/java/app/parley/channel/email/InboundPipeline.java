package app.parley.channel.email;

import app.parley.contact.Visitors;
import app.parley.conversation.Channel;
import app.parley.conversation.ChannelMessages;
import app.parley.core.Json;
import app.parley.files.FileStore;
import app.parley.files.StoredFile;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job that decides what an accepted mail means (docs/PRODUCT.md §2.3), in this order: a delivery report marks
 * the failed mail's message failed; an automatic answer or a loop is dropped (never reopens, never notifies); a
 * person's mail is threaded by the reply token in its recipients, then In-Reply-To, then any References entry,
 * else it starts a new email conversation, always within the account the mail reached. Idempotent: the journal
 * stores a mail's message once (its client id comes from the Message-ID), and the rest commits with the job.
 */
public final class InboundPipeline implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);
    public static final String KIND = "email.receive";
    private static final int MAX_TEXT = 10_000;
    /** More mails than this from one sender in ten minutes is a loop with a responder that does not say so. */
    private static final int LOOP_LIMIT = 30;

    private record Stored(long id, long accountId, List<String> envelope, byte[] raw, String state) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final ChannelMessages messages;
    private final MailSettings settings;
    private final FileStore files;

    public InboundPipeline(Jdbi jdbi, Jobs.Gate gate, ChannelMessages messages, MailSettings settings) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.messages = messages;
        this.settings = settings;
        this.files = new FileStore(jdbi);
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        long id = Long.parseLong(job.payload());
        Stored s = gate.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, account_id, envelope_to, raw, state FROM email_inbound WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getLong(2), List.of((String[]) rs.getArray(3).getArray()),
                        rs.getBytes(4), rs.getString(5)))
                .findOne().orElse(null)));
        if (s == null || !"received".equals(s.state())) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        ParsedMail mail;
        try {
            mail = MailReader.read(s.raw());
        } catch (IllegalArgumentException e) {
            log.warn("Inbound mail {} cannot be read: {}", id, e.getMessage());
            return done(id, "failed", e.getMessage(), null);
        }
        return switch (mail.kind()) {
            case BOUNCE -> bounce(s, mail);
            case AUTOMATIC -> {
                log.info("Inbound mail {} is an automatic answer ({}): not threaded", id, mail.messageId());
                yield done(id, "ignored", "automatic answer", null);
            }
            case PERSONAL -> personal(s, mail);
        };
    }

    private Jobs.Outcome bounce(Stored s, ParsedMail mail) {
        ParsedMail.Bounce b = mail.bounce();
        if (b.originalMessageId() == null || !b.failed()) return done(s.id(), "bounce", "report without a failure", null);
        Optional<EmailThreads.Outgoing> out = gate.call(() -> jdbi.withHandle(h ->
                EmailThreads.outgoingByMessageId(h, s.accountId(), b.originalMessageId())));
        if (out.isEmpty()) return done(s.id(), "bounce", "report for a mail Parley did not send", null);
        EmailThreads.Outgoing o = out.get();
        messages.delivery(o.accountId(), o.parleyMessageId(), ChannelMessages.Delivery.FAILED, b.reason());
        return new Jobs.Outcome.Done(h -> {
            EmailThreads.setStatus(h, o.id(), ChannelMessages.Delivery.FAILED.wire(), b.reason());
            mark(h, s.id(), "bounce", b.reason(), o.conversationId());
        });
    }

    private Jobs.Outcome personal(Stored s, ParsedMail mail) {
        if (isOwn(mail.fromAddress())) {
            log.warn("Inbound mail {} comes from Parley's own address: a loop, dropped", s.id());
            return done(s.id(), "ignored", "loop: from Parley's own address", null);
        }
        int recent = gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM email_inbound WHERE account_id = :a AND from_address = :f
                          AND received_at > now() - interval '10 minutes'""")
                .bind("a", s.accountId()).bind("f", mail.fromAddress()).mapTo(Integer.class).one()));
        if (recent > LOOP_LIMIT) {
            log.warn("Inbound mail {}: {} mails from one sender in 10 minutes, a loop; dropped", s.id(), recent);
            return done(s.id(), "ignored", "loop: too many mails from one sender", null);
        }
        Long conversationId = gate.call(() -> jdbi.withHandle(h -> thread(h, s, mail)));
        String text = text(mail);
        String data = data(mail);
        String clientId = "mail-" + MailReader.sha256(mail.messageId().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 40);
        ChannelMessages.Written w;
        if (conversationId != null) {
            w = messages.reply(s.accountId(), conversationId, Channel.EMAIL, text, data, clientId);
        } else {
            if (mail.fromAddress() == null) return done(s.id(), "failed", "no sender address", null);
            long visitorId = gate.call(() -> jdbi.inTransaction(h -> Visitors.forMail(h, s.accountId(), mail.fromAddress(), mail.fromName())));
            w = messages.start(s.accountId(), visitorId, Channel.EMAIL, text, data, clientId);
        }
        long conversation = w.conversationId();
        long messageId = w.message().id();
        return new Jobs.Outcome.Done(h -> {
            if (mail.fromAddress() != null) {
                String subject = mail.subject().isBlank() ? "(no subject)" : mail.subject();
                EmailThreads.ensure(h, s.accountId(), conversation, mail.fromAddress(), clip(subject, 300));
            }
            EmailThreads.recordIncoming(h, s.accountId(), conversation, mail.messageId(), messageId);
            int ordinal = 0;
            for (ParsedMail.Attachment a : mail.attachments()) {
                if (a.content() == null) {
                    ordinal++;
                    continue;
                }
                // The one store of conversation files (issue #18): typed by its bytes, an image thumbnailed.
                files.keep(h, s.accountId(), conversation, messageId, StoredFile.Source.EMAIL, clip(a.filename(), 255),
                        a.content(), ordinal++);
            }
            mark(h, s.id(), "threaded", w.duplicate() ? "duplicate" : null, conversation);
        });
    }

    /** Reply token in the recipients, then In-Reply-To, then References (any entry, newest first); null: new. */
    private Long thread(Handle h, Stored s, ParsedMail mail) {
        List<String> recipients = new ArrayList<>(s.envelope());
        recipients.addAll(mail.recipients());
        for (String r : recipients) {
            Optional<String> token = ReplyAddress.tokenOf(r, settings.inboundDomain());
            if (token.isEmpty()) continue;
            Optional<EmailThreads.Thread> t = EmailThreads.byToken(h, token.get());
            if (t.isPresent() && t.get().accountId() == s.accountId()) return t.get().conversationId();
        }
        if (mail.inReplyTo() != null) {
            Optional<Long> c = EmailThreads.conversationOf(h, s.accountId(), mail.inReplyTo());
            if (c.isPresent()) return c.get();
        }
        for (String ref : mail.references().reversed()) {
            Optional<Long> c = EmailThreads.conversationOf(h, s.accountId(), ref);
            if (c.isPresent()) return c.get();
        }
        return null;
    }

    private boolean isOwn(String from) {
        if (from == null) return false;
        String f = from.toLowerCase(Locale.ROOT);
        if (f.endsWith("@" + settings.inboundDomain())) return true;
        return settings.smtp().from() != null && MailAddresses.bare(settings.smtp().from()).equals(f);
    }

    private static String text(ParsedMail mail) {
        String t = mail.text().isBlank() ? (mail.attachments().isEmpty() ? "(empty mail)" : "(attachment)") : mail.text();
        return t.length() <= MAX_TEXT ? t : t.substring(0, MAX_TEXT - 1) + "…";
    }

    /** What the thread shows besides the text: the subject and the attachments (served by index). */
    private static String data(ParsedMail mail) {
        ObjectNode email = Json.object();
        email.put("subject", clip(mail.subject(), 300));
        email.put("from", mail.fromAddress());
        ArrayNode files = email.putArray("attachments");
        for (ParsedMail.Attachment a : mail.attachments()) {
            ObjectNode f = files.addObject();
            f.put("name", a.filename());
            f.put("content_type", a.contentType());
            f.put("size", a.size());
            f.put("stored", a.content() != null);
        }
        ObjectNode data = Json.object();
        data.set("email", email);
        return Json.write(data);
    }

    private static Jobs.Outcome done(long id, String state, String outcome, Long conversationId) {
        return new Jobs.Outcome.Done(h -> mark(h, id, state, outcome, conversationId));
    }

    private static void mark(Handle h, long id, String state, String outcome, Long conversationId) {
        h.createUpdate("""
                        UPDATE email_inbound SET state = :s, outcome = :o, conversation_id = :c, processed_at = now()
                        WHERE id = :id""")
                .bind("s", state).bind("o", clip(outcome, 500)).bind("c", conversationId).bind("id", id).execute();
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
