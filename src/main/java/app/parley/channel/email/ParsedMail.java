package app.parley.channel.email;

import java.util.List;

/**
 * A received mail as Parley reads it: who wrote, the threading keys, the visible text (quotes trimmed, masked),
 * its attachments, and what kind of mail it is. Built by {@link MailReader}.
 */
public record ParsedMail(
        String messageId,
        String fromAddress,
        String fromName,
        String subject,
        List<String> recipients,
        String inReplyTo,
        List<String> references,
        String text,
        List<Attachment> attachments,
        Kind kind,
        Bounce bounce) {

    /** What a mail is: a person's mail, an automatic answer (vacation, bulk), or a delivery report. */
    public enum Kind { PERSONAL, AUTOMATIC, BOUNCE }

    /** A file that came with the mail; {@code content} null when it was over the size limit. */
    public record Attachment(String filename, String contentType, byte[] content, int size, String sha256) {}

    /** A delivery report (RFC 3464): the Message-ID of the mail that failed and why. */
    public record Bounce(String originalMessageId, boolean failed, String reason) {}
}
