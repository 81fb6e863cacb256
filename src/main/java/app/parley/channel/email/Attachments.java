package app.parley.channel.email;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The files that came with visitors' mails, served to agents who see the conversation (the caller checks). */
public final class Attachments {
    public record File(String filename, String contentType, byte[] content) {}

    private final Jdbi jdbi;

    public Attachments(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<File> get(long accountId, long conversationId, long messageId, int ordinal) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT filename, content_type, content FROM email_attachments
                        WHERE account_id = :a AND conversation_id = :c AND parley_message_id = :m AND ordinal = :o""")
                .bind("a", accountId).bind("c", conversationId).bind("m", messageId).bind("o", ordinal)
                .map((rs, ctx) -> new File(rs.getString(1), rs.getString(2), rs.getBytes(3))).findOne());
    }
}
