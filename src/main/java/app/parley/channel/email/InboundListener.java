package app.parley.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.TooMuchDataException;
import org.subethamail.smtp.server.SMTPServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's own SMTP listener for the inbound domain (SubEthaSMTP, the maintained fork): it takes mail only for
 * addresses that reach an account (a conversation's reply address, an account's public address), so it relays
 * nothing, and answers "250" only once the mail is stored ({@link MailAcceptance}).
 */
public final class InboundListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InboundListener.class);

    private final SMTPServer server;

    public InboundListener(MailAcceptance acceptance, int port) {
        this.server = SMTPServer.port(port)
                .hostName(acceptance.inboundDomain())
                .softwareName("Parley")
                .maxMessageSize(MailAcceptance.MAX_MAIL)
                .maxRecipients(20)
                .connectionTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                .messageHandlerFactory(ctx -> new Session(acceptance, ctx))
                .build();
    }

    public void start() {
        server.start();
        log.info("Inbound SMTP listening on port {}", port());
    }

    public int port() {
        return server.getPortAllocated();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static final class Session implements MessageHandler {
        private final MailAcceptance acceptance;
        private final List<String> recipients = new ArrayList<>();

        Session(MailAcceptance acceptance, MessageContext ctx) {
            this.acceptance = acceptance;
        }

        @Override
        public void from(String from) {
            // Any sender: bounces come from the null sender, replies from anyone.
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            try {
                if (acceptance.accountOf(recipient).isEmpty()) throw new RejectException(550, "5.1.1 No such mailbox here");
            } catch (RuntimeException e) {
                log.error("Checking a recipient failed", e);
                throw new RejectException(451, "4.3.0 Try again later");
            }
            recipients.add(recipient.toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public String data(InputStream data) throws RejectException, TooMuchDataException, IOException {
            byte[] raw = data.readNBytes(MailAcceptance.MAX_MAIL + 1);
            if (raw.length > MailAcceptance.MAX_MAIL) throw new TooMuchDataException("5.3.4 The mail is too big");
            try {
                acceptance.accept(raw, recipients, "smtp");
            } catch (IllegalArgumentException e) {
                throw new RejectException(554, "5.6.0 Not a mail");
            } catch (RuntimeException e) {
                // Not stored: the sender keeps the mail and tries again, so nothing is lost.
                log.error("Storing an inbound mail failed", e);
                throw new RejectException(451, "4.3.0 Try again later");
            }
            return null;
        }

        @Override
        public void done() {
        }
    }
}
