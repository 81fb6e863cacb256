package app.parley.channel.email;

import app.parley.files.FileStore;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The files that came with visitors' mails, served to agents who see the conversation (the caller checks). Kept in
 * the one file store ({@link FileStore}) as the message's n-th attachment, counting those too large to keep.
 */
public final class Attachments {
    public record File(String filename, String contentType, byte[] content) {}

    private final FileStore files;

    public Attachments(Jdbi jdbi) {
        this.files = new FileStore(jdbi);
    }

    public Optional<File> get(long accountId, long conversationId, long messageId, int ordinal) {
        return files.nth(accountId, conversationId, messageId, ordinal)
                .map(c -> new File(c.file().filename(), c.file().contentType(), c.bytes()));
    }
}
