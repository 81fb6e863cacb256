package app.parley.channel.email;

import app.parley.conversation.ChannelMessages;
import app.parley.conversation.Message;
import app.parley.conversation.MessageKind;
import app.parley.conversation.Messages;
import app.parley.store.Jobs;
import app.parley.store.RetrySchedule;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job that sends one agent's message by mail and reports its delivery on the message (sent, or failed with the
 * reason). A refused connection or a 4xx is retried with back-off; a 5xx or a missing address fails at once. A mail
 * already marked sent is never sent again; if Parley dies between the server's "250" and that mark, the mail goes
 * once more with the same Message-ID, which mail clients show once (SMTP has no exactly-once).
 */
public final class EmailSender implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(EmailSender.class);
    public static final String KIND = "email.send";
    private static final int QUOTED = 4;

    private record Context(EmailThreads.Outgoing out, EmailThreads.Thread thread, Message message, String shop,
                           List<String> before, String inReplyTo, int earlier, Instant threadStart, List<Message> history,
                           MailSettings.Smtp smtp) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final ChannelMessages messages;
    private final MailSettings settings;
    private final RetrySchedule schedule;
    private final app.parley.files.FileStore files;

    public EmailSender(Jdbi jdbi, Jobs.Gate gate, ChannelMessages messages, MailSettings settings, RetrySchedule schedule) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.messages = messages;
        this.settings = settings;
        this.schedule = schedule;
        this.files = new app.parley.files.FileStore(jdbi);
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        long messageId = Long.parseLong(job.payload());
        Optional<Context> found = gate.call(() -> jdbi.withHandle(h -> {
            Optional<EmailThreads.Outgoing> out = EmailThreads.outgoing(h, messageId);
            if (out.isEmpty()) return Optional.empty();
            EmailThreads.Outgoing o = out.get();
            EmailThreads.Thread t = EmailThreads.byConversation(h, o.conversationId()).orElseThrow();
            List<Message> page = Messages.page(h, o.conversationId(), messageId + 1, QUOTED + 1, false);
            Message m = page.stream().filter(x -> x.id() == messageId).findFirst().orElseThrow();
            List<Message> history = new ArrayList<>(page.stream()
                    .filter(x -> x.id() != messageId && x.kind() == MessageKind.MESSAGE).toList());
            history.sort((a, b) -> Long.compare(b.id(), a.id()));
            String shop = h.createQuery("SELECT name FROM accounts WHERE id = :a").bind("a", o.accountId()).mapTo(String.class).one();
            Instant start = h.createQuery("SELECT created_at FROM email_threads WHERE conversation_id = :c")
                    .bind("c", o.conversationId()).mapTo(java.time.OffsetDateTime.class).one().toInstant();
            return Optional.of(new Context(o, t, m, shop, EmailThreads.before(h, o.conversationId(), o.id()),
                    EmailThreads.lastIncoming(h, o.conversationId(), o.id()).orElse(null),
                    EmailThreads.outgoingBefore(h, o.conversationId(), o.id()), start, history,
                    EmailSettings.effective(h, o.accountId(), settings)));
        }));
        if (found.isEmpty()) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        Context c = found.get();
        if (!ChannelMessages.Delivery.SENDING.wire().equals(c.out().status())) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        if (c.thread().address() == null || c.thread().address().isBlank()) {
            return failed(c, "No email address is known for this visitor.");
        }
        if (!c.smtp().configured()) return failed(c, "No SMTP server is configured (Settings → Email, or PARLEY_SMTP_HOST).");
        try {
            ReplyAddress reply = new ReplyAddress(c.thread().token(), settings.inboundDomain());
            Session session = SmtpClient.session(c.smtp(), reply.address());
            String author = c.message().agent() == null ? c.shop() : c.message().agent().name();
            String subject = c.earlier() == 0 ? c.thread().subject() : reSubject(c.thread().subject());
            var draft = new MailComposer.Draft(author + " (" + c.shop() + ")", MailAddresses.bare(c.smtp().from()),
                    reply.address(), c.shop(), c.thread().address(), subject, c.out().messageId(),
                    c.inReplyTo() != null ? c.inReplyTo() : c.before().isEmpty() ? null : c.before().getLast(), c.before(),
                    MailComposer.threadIndex(c.thread().token(), c.threadStart(), c.earlier()), c.message().text(),
                    c.history().stream().map(x -> new MailComposer.Quoted(
                            x.agent() != null ? x.agent().name() : "You", x.createdAt().toInstant(), x.text())).toList(),
                    false);
            SmtpClient.send(session, c.smtp(), MailComposer.compose(session, draft,
                    gate.call(() -> files.ofMessage(c.out().accountId(), messageId))));
        } catch (SmtpClient.Failure f) {
            if (f.permanent() || schedule.exhausted(job.attempts())) {
                log.warn("Mail for message {} failed after {} attempts: {}", messageId, job.attempts(), f.getMessage());
                return failed(c, f.getMessage());
            }
            return new Jobs.Outcome.RetryAt(Instant.now().plus(schedule.after(job.attempts())), f.getMessage(), Jobs.Write.NOTHING);
        } catch (MessagingException | RuntimeException e) {
            log.error("Composing the mail for message {} failed", messageId, e);
            return failed(c, "The mail could not be made: " + e.getClass().getSimpleName());
        }
        messages.delivery(c.out().accountId(), messageId, ChannelMessages.Delivery.SENT, null);
        return new Jobs.Outcome.Done(h -> EmailThreads.setStatus(h, c.out().id(), ChannelMessages.Delivery.SENT.wire(), null));
    }

    private Jobs.Outcome failed(Context c, String reason) {
        messages.delivery(c.out().accountId(), c.out().parleyMessageId(), ChannelMessages.Delivery.FAILED, reason);
        return new Jobs.Outcome.Done(h -> EmailThreads.setStatus(h, c.out().id(), ChannelMessages.Delivery.FAILED.wire(), reason));
    }

    static String reSubject(String subject) {
        return subject.regionMatches(true, 0, "Re:", 0, 3) ? subject : "Re: " + subject;
    }
}
