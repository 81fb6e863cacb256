package app.parley.channel.email;

import app.parley.core.CardNumberMasker;
import app.parley.store.Jobs;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of the inbound pipeline, shared by the SMTP listener and the IMAP poller: a mail is stored (masked) with
 * its processing job in one transaction before the sender is told "accepted", so nothing accepted is lost; what
 * the mail means is decided later by {@link InboundPipeline}. The same Message-ID of an account is stored once.
 */
public final class MailAcceptance {
    private static final Logger log = LoggerFactory.getLogger(MailAcceptance.class);
    /** Attachments up to 20 MB, base64 makes them a third bigger, plus the text. */
    public static final int MAX_MAIL = 30 * 1024 * 1024;

    public enum Result { ACCEPTED, DUPLICATE }

    private final Jdbi jdbi;
    private final MailSettings settings;
    private final Runnable wakeJobs;
    // Many SMTP sessions at once must never take most of the connection pool the chat's write path shares.
    private final java.util.concurrent.Semaphore database = new java.util.concurrent.Semaphore(2);

    public MailAcceptance(Jdbi jdbi, MailSettings settings, Runnable wakeJobs) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.wakeJobs = wakeJobs;
    }

    public String inboundDomain() {
        return settings.inboundDomain();
    }

    /** The account a recipient address reaches: a reply address's conversation's, or the account of a public address. */
    public Optional<Long> accountOf(String recipient) {
        return gated(() -> jdbi.withHandle(h -> accountOf(h, recipient)));
    }

    private <T> T gated(java.util.function.Supplier<T> work) {
        database.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            database.release();
        }
    }

    private Optional<Long> accountOf(Handle h, String recipient) {
        Optional<String> token = ReplyAddress.tokenOf(recipient, settings.inboundDomain());
        if (token.isPresent()) return EmailThreads.byToken(h, token.get()).map(EmailThreads.Thread::accountId);
        return EmailThreads.accountOfAddress(h, MailAddresses.bare(recipient), settings.smtp().from());
    }

    /**
     * Stores a mail for the account its recipients reach ({@code envelope} from SMTP, or the mail's own headers when
     * empty). Card numbers are masked in the raw source before it is stored.
     */
    public Result accept(byte[] raw, Collection<String> envelope, String via) {
        byte[] masked = CardNumberMasker.mask(new String(raw, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        MimeMessage mime = MailReader.mime(masked);
        String messageId = MailReader.messageId(mime, masked);
        List<String> recipients = new ArrayList<>(envelope);
        if (recipients.isEmpty()) recipients.addAll(ParsedHeaders.recipients(mime));
        String from = ParsedHeaders.from(mime);
        Result result = gated(() -> jdbi.inTransaction(h -> {
            Long account = null;
            for (String r : recipients) {
                account = accountOf(h, r).orElse(null);
                if (account != null) break;
            }
            if (account == null) account = h.createQuery("SELECT min(id) FROM accounts").mapTo(Long.class).one();
            Long id = h.createQuery("""
                            INSERT INTO email_inbound (account_id, message_id, envelope_to, from_address, raw, via)
                            VALUES (:a, :m, :to, :from, :raw, :via)
                            ON CONFLICT (account_id, message_id) DO NOTHING RETURNING id""")
                    .bind("a", account).bind("m", messageId).bindArray("to", String.class, recipients)
                    .bind("from", from).bind("raw", masked).bind("via", via)
                    .mapTo(Long.class).findOne().orElse(null);
            if (id == null) return Result.DUPLICATE;
            Jobs.enqueue(h, InboundPipeline.KIND, null, Long.toString(id), null);
            return Result.ACCEPTED;
        }));
        if (result == Result.ACCEPTED) wakeJobs.run();
        else log.info("Mail {} was received before; stored once", messageId);
        return result;
    }
}
