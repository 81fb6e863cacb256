package app.parley.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Entities;

/**
 * Builds the mail of an agent's reply (issue #12, point 1): the agent's name with the shop's address, the
 * conversation's reply address, a Message-ID Parley can find again, In-Reply-To and the complete References,
 * Outlook's Thread-Index, plain and HTML parts, and the recent thread quoted below. Every text is escaped in the
 * HTML part: what visitors and agents wrote is never markup.
 */
public final class MailComposer {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE, d MMM yyyy 'at' HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** One earlier message quoted below the reply. */
    public record Quoted(String author, Instant at, String text) {}

    /** What one mail says and where it belongs. */
    public record Draft(String fromName, String fromAddress, String replyTo, String replyToName, String to,
                        String subject, String messageId, String inReplyTo, List<String> references, String threadIndex,
                        String text, List<Quoted> quoted, boolean automatic) {}

    private MailComposer() {}

    public static MimeMessage compose(Session session, Draft d) throws MessagingException {
        return compose(session, d, List.of());
    }

    /** A reply that carries files (an agent's upload sent by email): multipart/mixed, the text first, then each file. */
    public static MimeMessage compose(Session session, Draft d, List<app.parley.files.FileStore.Content> files)
            throws MessagingException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", d.messageId());
            }
        };
        try {
            m.setFrom(new InternetAddress(d.fromAddress(), d.fromName(), "UTF-8"));
            if (d.replyTo() != null) m.setReplyTo(new InternetAddress[] {new InternetAddress(d.replyTo(), d.replyToName(), "UTF-8")});
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always there", e);
        }
        m.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(d.to(), false));
        m.setSubject(d.subject(), "UTF-8");
        m.setSentDate(new Date());
        if (d.inReplyTo() != null) m.setHeader("In-Reply-To", d.inReplyTo());
        if (!d.references().isEmpty()) m.setHeader("References", String.join(" ", d.references()));
        if (d.threadIndex() != null) m.setHeader("Thread-Index", d.threadIndex());
        // A notification or a test is machine-made: responders must not answer it (RFC 3834).
        if (d.automatic()) m.setHeader("Auto-Submitted", "auto-generated");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(plain(d), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(html(d), "UTF-8", "html");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        if (files.isEmpty()) {
            m.setContent(alternative);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            for (app.parley.files.FileStore.Content f : files) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new jakarta.activation.DataHandler(
                        new jakarta.mail.util.ByteArrayDataSource(f.bytes(), f.file().contentType())));
                // RFC 2231 parameters carry a name in any script; the name is masked already (card numbers).
                part.setFileName(f.file().filename());
                part.setDisposition(jakarta.mail.Part.ATTACHMENT);
                // Always base64: a mostly-ASCII file (a PDF) would otherwise go as text, its line ends rewritten.
                part.setHeader("Content-Transfer-Encoding", "base64");
                mixed.addBodyPart(part);
            }
            m.setContent(mixed);
        }
        m.saveChanges();
        return m;
    }

    /** A machine-made mail with its own HTML (a notification, a transcript): marked so responders stay quiet. */
    public static MimeMessage notice(Session session, String fromName, String fromAddress, String to, String subject,
                                     String text, String html, String messageId) throws MessagingException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        try {
            m.setFrom(new InternetAddress(fromAddress, fromName, "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always there", e);
        }
        m.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(to, false));
        m.setSubject(subject, "UTF-8");
        m.setSentDate(new Date());
        m.setHeader("Auto-Submitted", "auto-generated");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8", "plain");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html, "UTF-8", "html");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(rich);
        m.setContent(alternative);
        m.saveChanges();
        return m;
    }

    static String plain(Draft d) {
        StringBuilder b = new StringBuilder(d.text()).append("\n");
        for (Quoted q : d.quoted()) {
            b.append("\nOn ").append(WHEN.format(q.at())).append(", ").append(q.author()).append(" wrote:\n");
            for (String line : q.text().split("\n", -1)) b.append("> ").append(line).append("\n");
        }
        return b.toString();
    }

    static String html(Draft d) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"UTF-8\"></head>"
                + "<body style=\"font-family:Arial,sans-serif;font-size:14px;color:#1f2933\">");
        b.append("<div>").append(paragraphs(d.text())).append("</div>");
        for (Quoted q : d.quoted()) {
            b.append("<div style=\"margin-top:16px;color:#52606d\">On ").append(escape(WHEN.format(q.at()))).append(", ")
                    .append(escape(q.author())).append(" wrote:</div>")
                    .append("<blockquote style=\"margin:4px 0 0 4px;padding-left:10px;border-left:2px solid #cbd2d9;color:#52606d\">")
                    .append(paragraphs(q.text())).append("</blockquote>");
        }
        return b.append("</body></html>").toString();
    }

    static String paragraphs(String text) {
        return escape(text).replace("\n", "<br>");
    }

    static String escape(String s) {
        return Entities.escape(s == null ? "" : s);
    }

    /**
     * Outlook's Thread-Index: 22 bytes for a thread's first mail (the start time as FILETIME's high 6 bytes and a
     * 16-byte id, here from the token), plus 5 bytes for each mail after it, base64. Outlook groups by it.
     */
    public static String threadIndex(String token, Instant start, int earlier) {
        long filetime = start.toEpochMilli() * 10_000L + 116_444_736_000_000_000L;
        ByteBuffer b = ByteBuffer.allocate(22 + 5 * earlier);
        byte[] time = ByteBuffer.allocate(8).putLong(filetime).array();
        b.put(time, 0, 6);
        b.put(md5(token));
        for (int i = 1; i <= earlier; i++) {
            long child = (long) i << 18;
            b.put((byte) (child >>> 32)).put((byte) (child >>> 24)).put((byte) (child >>> 16)).put((byte) (child >>> 8)).put((byte) child);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static byte[] md5(String s) {
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
