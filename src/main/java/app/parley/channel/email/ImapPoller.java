package app.parley.channel.email;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the shop's mailbox (PARLEY_IMAP_*): every unseen mail goes through the same door as the SMTP listener's
 * ({@link MailAcceptance}) and is flagged seen only once stored. Waits with IDLE when the server has it, else polls.
 */
public final class ImapPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImapPoller.class);

    private final MailSettings.Imap imap;
    private final MailAcceptance acceptance;
    private final Duration poll;
    private volatile boolean running;
    private volatile Store store;
    private Thread thread;

    public ImapPoller(MailSettings.Imap imap, MailAcceptance acceptance, Duration poll) {
        this.imap = imap;
        this.acceptance = acceptance;
        this.poll = poll;
    }

    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("parley-imap").start(this::loop);
    }

    private void loop() {
        long failures = 0;
        while (running) {
            try {
                session();
                failures = 0;
            } catch (MessagingException | IOException | RuntimeException e) {
                if (!running) return;
                failures++;
                log.warn("Reading the mailbox {} failed (attempt {}): {}", imap, failures, e.toString());
            }
            pause(Math.min(poll.toMillis() * Math.max(1, failures), 300_000));
        }
    }

    /** One connection: read what is unseen, then wait for more (IDLE) until the connection ends. */
    private void session() throws MessagingException, IOException {
        Properties p = new Properties();
        String proto = imap.tls() ? "imaps" : "imap";
        p.put("mail." + proto + ".connectiontimeout", "10000");
        p.put("mail." + proto + ".timeout", "300000");
        Session session = Session.getInstance(p);
        try (Store s = session.getStore(proto)) {
            store = s;
            s.connect(imap.host(), imap.port(), imap.user(), imap.password());
            Folder folder = s.getFolder(imap.folder());
            folder.open(Folder.READ_WRITE);
            boolean idle = s instanceof IMAPStore is && is.hasCapability("IDLE");
            while (running && folder.isOpen()) {
                readUnseen(folder);
                if (idle && folder instanceof IMAPFolder f) f.idle(true);
                else pause(poll.toMillis());
            }
        } finally {
            store = null;
        }
    }

    /** Reads and stores every unseen mail now (tests, and each wake-up). */
    private void readUnseen(Folder folder) throws MessagingException, IOException {
        Message[] unseen = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        for (Message m : unseen) {
            // Reading must not mark it seen: only a stored mail is (a failed store leaves it for the next read).
            if (m instanceof org.eclipse.angus.mail.imap.IMAPMessage im) im.setPeek(true);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            m.writeTo(raw);
            try {
                acceptance.accept(raw.toByteArray(), List.of(), "imap");
            } catch (IllegalArgumentException e) {
                log.warn("Mailbox message {} is not a mail Parley can read: {}", m.getMessageNumber(), e.getMessage());
            }
            m.setFlag(Flags.Flag.SEEN, true);
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Store s = store;
        if (s != null) {
            try {
                s.close();
            } catch (MessagingException ignored) {
                // closing ends IDLE; an error here changes nothing
            }
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
