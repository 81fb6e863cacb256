package app.parley.channel.email;

import app.parley.core.CardNumberMasker;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a raw mail (Jakarta Mail's MIME parser, the same library that writes Parley's mail) into a
 * {@link ParsedMail}: the visible text from the plain part, or from the HTML when there is none; quotes and
 * signatures trimmed; card numbers masked in the subject, the text and file names; and whether it is a person's
 * mail, an automatic answer or a delivery report. Jakarta Mail rather than mime4j: one MIME library for both ways.
 */
public final class MailReader {
    public static final int MAX_ATTACHMENT = 20 * 1024 * 1024;
    private static final Pattern ID = Pattern.compile("<[^<>\\s]+>");
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Pattern AUTO_SUBJECT = Pattern.compile(
            "^(Automatic reply|Auto(matische)?[ -]?(reply|antwort)|Out of (the )?office|Abwesenheitsnotiz|Réponse automatique"
                    + "|Respuesta automática|Automatická odpověď)\\b.*", Pattern.CASE_INSENSITIVE);

    private MailReader() {}

    public static MimeMessage mime(byte[] raw) {
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalArgumentException("Not a mail: " + e.getMessage(), e);
        }
    }

    /** The Message-ID a raw mail names, or one made from its bytes (the same bytes get the same id). */
    public static String messageId(MimeMessage m, byte[] raw) {
        try {
            String id = m.getMessageID();
            if (id != null) {
                Matcher x = ID.matcher(id);
                if (x.find()) return x.group();
            }
        } catch (MessagingException ignored) {
            // a malformed header: fall back to the content's hash
        }
        return "<" + sha256(raw) + "@parley.no-message-id>";
    }

    public static ParsedMail read(byte[] raw) {
        MimeMessage m = mime(raw);
        try {
            String messageId = messageId(m, raw);
            InternetAddress from = firstAddress(m.getHeader("From"));
            String subject = m.getSubject() == null ? "" : CardNumberMasker.mask(m.getSubject().strip());
            List<String> recipients = new ArrayList<>();
            for (String h : List.of("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")) {
                String[] values = m.getHeader(h);
                if (values == null) continue;
                for (String v : values) recipients.addAll(addresses(v));
            }
            String inReplyTo = first(ids(m.getHeader("In-Reply-To", " ")));
            List<String> references = ids(m.getHeader("References", " "));

            if (isReport(m)) {
                return new ParsedMail(messageId, address(from), name(from), subject, recipients, inReplyTo, references,
                        "", List.of(), ParsedMail.Kind.BOUNCE, bounce(m));
            }
            ParsedMail.Kind kind = automatic(m, subject) ? ParsedMail.Kind.AUTOMATIC : ParsedMail.Kind.PERSONAL;
            Body body = new Body();
            walk(m, body);
            String text;
            if (body.plain != null) text = QuoteTrimmer.trim(body.plain);
            else if (body.html != null) text = QuoteTrimmer.trim(HtmlText.of(body.html));
            else text = "";
            return new ParsedMail(messageId, address(from), name(from), subject, recipients, inReplyTo, references,
                    CardNumberMasker.mask(text), body.attachments, kind, null);
        } catch (MessagingException | IOException e) {
            throw new IllegalArgumentException("Cannot read this mail: " + e.getMessage(), e);
        }
    }

    /**
     * RFC 3834 and the headers real responders set: Auto-Submitted other than "no", Exchange's X-Autoreply,
     * X-Autorespond, Precedence bulk/junk/list/auto_reply, an empty Return-Path, list mail, or an auto-reply subject.
     */
    static boolean automatic(MimeMessage m, String subject) throws MessagingException {
        String auto = m.getHeader("Auto-Submitted", null);
        if (auto != null && !auto.strip().toLowerCase(Locale.ROOT).startsWith("no")) return true;
        if (m.getHeader("X-Autoreply") != null || m.getHeader("X-Autorespond") != null) return true;
        String precedence = m.getHeader("Precedence", null);
        if (precedence != null && Set.of("bulk", "junk", "list", "auto_reply").contains(precedence.strip().toLowerCase(Locale.ROOT))) {
            return true;
        }
        String returnPath = m.getHeader("Return-Path", null);
        if (returnPath != null && returnPath.replaceAll("\\s", "").equals("<>")) return true;
        if (m.getHeader("List-Id") != null || m.getHeader("List-Unsubscribe") != null) return true;
        return AUTO_SUBJECT.matcher(subject).matches();
    }

    private static boolean isReport(Part p) throws MessagingException {
        String type = p.getContentType() == null ? "" : p.getContentType().toLowerCase(Locale.ROOT);
        return type.startsWith("multipart/report") && type.replaceAll("\\s", "").contains("report-type=delivery-status")
                || type.startsWith("multipart/report") && type.contains("delivery-status");
    }

    /** The failed mail's Message-ID (from the returned message or its headers) and the status and diagnostic. */
    private static ParsedMail.Bounce bounce(MimeMessage m) throws MessagingException, IOException {
        String original = null;
        boolean failed = false;
        StringBuilder reason = new StringBuilder();
        if (m.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart part = mp.getBodyPart(i);
                String type = part.getContentType().toLowerCase(Locale.ROOT);
                if (type.startsWith("message/delivery-status") || type.startsWith("message/global-delivery-status")) {
                    String status = new String(bytes(part.getInputStream()), StandardCharsets.UTF_8);
                    for (String field : unfold(status)) {
                        String lower = field.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("action:") && lower.contains("failed")) failed = true;
                        if (lower.startsWith("status:") || lower.startsWith("diagnostic-code:")) {
                            if (!reason.isEmpty()) reason.append("; ");
                            reason.append(field.strip());
                        }
                    }
                } else if (type.startsWith("message/rfc822") || type.startsWith("text/rfc822-headers")) {
                    byte[] inner = bytes(part.getInputStream());
                    String id = mime(inner).getMessageID();
                    Matcher x = id == null ? null : ID.matcher(id);
                    if (x != null && x.find()) original = x.group();
                }
            }
        }
        String r = reason.isEmpty() ? "The mail could not be delivered." : reason.toString();
        return new ParsedMail.Bounce(original, failed, CardNumberMasker.mask(r.length() > 500 ? r.substring(0, 500) : r));
    }

    private static List<String> unfold(String fields) {
        List<String> out = new ArrayList<>();
        for (String line : fields.replace("\r\n", "\n").split("\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.getLast() + " " + line.strip());
            } else if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    private static final class Body {
        String plain;
        String html;
        final List<ParsedMail.Attachment> attachments = new ArrayList<>();
    }

    private static void walk(Part p, Body body) throws MessagingException, IOException {
        String type = p.getContentType() == null ? "text/plain" : p.getContentType().toLowerCase(Locale.ROOT);
        String filename = filename(p);
        boolean attached = Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || filename != null && !type.startsWith("text/");
        if (type.startsWith("multipart/")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) walk(mp.getBodyPart(i), body);
        } else if (!attached && type.startsWith("text/plain") && body.plain == null) {
            body.plain = text(p);
        } else if (!attached && type.startsWith("text/html") && body.html == null) {
            body.html = text(p);
        } else if (attached || filename != null) {
            byte[] content = bytes(p.getInputStream(), MAX_ATTACHMENT + 1);
            String name = filename == null ? "attachment" : CardNumberMasker.mask(filename);
            String mimeType = type.split(";")[0].strip();
            if (content.length > MAX_ATTACHMENT) {
                body.attachments.add(new ParsedMail.Attachment(name, mimeType, null, content.length, null));
            } else {
                body.attachments.add(new ParsedMail.Attachment(name, mimeType, content, content.length, sha256(content)));
            }
        }
    }

    private static String text(Part p) throws MessagingException, IOException {
        Object content = p.getContent();
        if (content instanceof String s) return s;
        return new String(bytes(p.getInputStream()), StandardCharsets.UTF_8);
    }

    private static String filename(Part p) throws MessagingException {
        String name = p.getFileName();
        if (name == null) return null;
        try {
            return MimeUtility.decodeText(name).strip();
        } catch (java.io.UnsupportedEncodingException e) {
            return name.strip();
        }
    }

    static byte[] bytes(InputStream in) throws IOException {
        return bytes(in, Integer.MAX_VALUE);
    }

    /** At most {@code limit} bytes: a part over the limit is known to be too big without holding it whole. */
    static byte[] bytes(InputStream in, int limit) throws IOException {
        try (in) {
            return in.readNBytes(limit);
        }
    }

    private static InternetAddress firstAddress(String[] headers) {
        if (headers == null) return null;
        for (String h : headers) {
            try {
                InternetAddress[] all = InternetAddress.parseHeader(h, false);
                if (all.length > 0) return all[0];
            } catch (MessagingException ignored) {
                // try the next header
            }
        }
        return null;
    }

    private static List<String> addresses(String header) {
        List<String> out = new ArrayList<>();
        try {
            for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
                if (a.getAddress() != null) out.add(a.getAddress().toLowerCase(Locale.ROOT));
            }
        } catch (MessagingException e) {
            Matcher x = Pattern.compile("[^\\s<>,;\"]+@[^\\s<>,;\"]+").matcher(header);
            while (x.find()) out.add(x.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static String address(InternetAddress a) {
        return a == null || a.getAddress() == null ? null : a.getAddress().strip().toLowerCase(Locale.ROOT);
    }

    private static String name(InternetAddress a) {
        return a == null || a.getPersonal() == null ? null : CardNumberMasker.mask(a.getPersonal().strip());
    }

    static List<String> ids(String header) {
        if (header == null) return List.of();
        Set<String> out = new LinkedHashSet<>();
        Matcher x = ID.matcher(header);
        while (x.find()) out.add(x.group());
        return List.copyOf(out);
    }

    private static String first(List<String> ids) {
        return ids.isEmpty() ? null : ids.getFirst();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
