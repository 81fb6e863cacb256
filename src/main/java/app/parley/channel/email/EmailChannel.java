package app.parley.channel.email;

import app.parley.conversation.AgentActions;
import app.parley.conversation.ChannelMessages;
import app.parley.core.Refusal;
import app.parley.store.EventConsumers;
import app.parley.store.Jobs;
import app.parley.store.RetrySchedule;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email channel's parts, built once by the composition root: the outbox consumer and sending job, the inbound
 * pipeline job, the SMTP listener and the IMAP poller (each only when configured), and the use cases http calls.
 */
public final class EmailChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);

    private final Jdbi jdbi;
    private final MailSettings settings;
    private final EmailReplies replies;
    private final EmailSettings accountSettings;
    private final Attachments attachments;
    private final MailAcceptance acceptance;
    private final InboundListener listener;
    private final ImapPoller imap;
    private final Transcripts transcripts;

    public EmailChannel(Jdbi jdbi, MailSettings settings, ChannelMessages messages, AgentActions actions, Jobs jobs,
                        EventConsumers consumers, Duration poll) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.replies = new EmailReplies(jdbi, actions);
        this.accountSettings = new EmailSettings(jdbi, settings);
        this.attachments = new Attachments(jdbi);
        this.acceptance = new MailAcceptance(jdbi, settings, jobs::wake);
        consumers.register(EmailOutbox.NAME, EventConsumers.StartAt.NOW, new EmailOutbox(settings), jobs::wake);
        jobs.register(EmailSender.KIND, new EmailSender(jdbi, jobs.gate(), messages, settings,
                RetrySchedule.upToAnHour(settings.retryBaseMillis(), settings.maxAttempts())));
        jobs.register(InboundPipeline.KIND, new InboundPipeline(jdbi, jobs.gate(), messages, settings));
        this.transcripts = new Transcripts(jdbi, jobs.gate(), this::sendNotice,
                RetrySchedule.upToAnHour(settings.retryBaseMillis(), settings.maxAttempts()), jobs::wake);
        jobs.register(Transcripts.KIND, transcripts);
        this.listener = settings.inboundSmtpPort() >= 0 ? new InboundListener(acceptance, settings.inboundSmtpPort()) : null;
        this.imap = settings.imap().configured() ? new ImapPoller(settings.imap(), acceptance, poll) : null;
    }

    public void start() {
        if (listener != null) listener.start();
        if (imap != null) imap.start();
    }

    /** The inbound SMTP listener's port, or -1 when there is none. */
    public int inboundPort() {
        return listener == null ? -1 : listener.port();
    }

    public EmailReplies replies() {
        return replies;
    }

    public EmailSettings settings() {
        return accountSettings;
    }

    public Transcripts transcripts() {
        return transcripts;
    }

    public Attachments attachments() {
        return attachments;
    }

    public MailAcceptance acceptance() {
        return acceptance;
    }

    /** "Send test email": one mail to {@code to} through the account's server now; a failure says why. */
    public void sendTest(long accountId, String to) {
        MailSettings.Smtp smtp = jdbi.withHandle(h -> EmailSettings.effective(h, accountId, settings));
        if (!smtp.configured()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "smtp_not_configured", "No SMTP server is set: fill in the server first.");
        }
        String shop = jdbi.withHandle(h -> h.createQuery("SELECT name FROM accounts WHERE id = :a").bind("a", accountId)
                .mapTo(String.class).one());
        Session session = SmtpClient.session(smtp, null);
        var draft = new MailComposer.Draft(shop, MailAddresses.bare(smtp.from()), null, null, to, "Parley test email",
                "<test/" + ReplyAddress.newToken() + "@" + settings.inboundDomain() + ">", null, List.of(), null,
                "This is a test from Parley: " + shop + " can send email through " + smtp.host() + ".", List.of(), true);
        try {
            SmtpClient.send(session, smtp, MailComposer.compose(session, draft));
        } catch (SmtpClient.Failure f) {
            throw new Refusal(Refusal.Kind.CONFLICT, "smtp_failed", f.getMessage());
        } catch (MessagingException e) {
            throw new Refusal(Refusal.Kind.CONFLICT, "smtp_failed", "The test mail could not be made: " + e.getMessage());
        }
    }

    /**
     * A machine-made mail to an agent (a notification, a transcript) through the account's server; throws when the
     * server did not take it, for the caller's job to retry.
     */
    public void sendNotice(long accountId, String to, String subject, String text, String html) throws SmtpClient.Failure {
        MailSettings.Smtp smtp = jdbi.withHandle(h -> EmailSettings.effective(h, accountId, settings));
        if (!smtp.configured()) throw new SmtpClient.Failure("No SMTP server is configured.", false, null);
        String shop = jdbi.withHandle(h -> h.createQuery("SELECT name FROM accounts WHERE id = :a").bind("a", accountId)
                .mapTo(String.class).one());
        Session session = SmtpClient.session(smtp, null);
        try {
            var m = MailComposer.notice(session, shop, MailAddresses.bare(smtp.from()), to, subject, text, html,
                    "<notice/" + ReplyAddress.newToken() + "@" + settings.inboundDomain() + ">");
            SmtpClient.send(session, smtp, m);
        } catch (MessagingException e) {
            throw new SmtpClient.Failure("The mail could not be made: " + e.getMessage(), true, e);
        }
    }

    @Override
    public void close() {
        if (imap != null) imap.close();
        if (listener != null) {
            try {
                listener.close();
            } catch (RuntimeException e) {
                log.warn("Stopping the SMTP listener failed", e);
            }
        }
    }
}
