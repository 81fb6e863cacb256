package app.parley.files;

import app.parley.account.Tokens;
import app.parley.account.Viewer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one store of conversation files (table {@code files}): what visitors and agents upload, and what the
 * channels bring (a mail's attachments, a Messenger customer's image) once they move onto it. Who may read a file
 * is decided here from the conversation it belongs to: an agent who sees the conversation, or its own visitor.
 */
public final class FileStore {
    /** A file's bytes: the original, or its thumbnail. */
    public record Content(StoredFile file, byte[] bytes) {}

    private static final String COLUMNS = """
            f.id, f.public_id, f.account_id, f.conversation_id, f.message_id, f.source, f.filename, f.content_type,
            f.size, f.width, f.height, f.thumbnail IS NOT NULL AS has_thumbnail""";

    private final Jdbi jdbi;

    public FileStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A checked file about to become a message: kept (pending) in its own transaction, outside the journal's. */
    StoredFile pending(long accountId, long conversationId, StoredFile.Source source, String filename, String type,
                       byte[] content, Thumbnails.Result picture) {
        return jdbi.withHandle(h -> insert(h, accountId, conversationId, null, source, filename, type, content, picture));
    }

    /**
     * A channel's file, kept beside its message in the channel's transaction (a mail's attachment, a Messenger
     * customer's image): checked for size by the channel, typed and thumbnailed here.
     */
    public StoredFile keep(Handle h, long accountId, long conversationId, long messageId, StoredFile.Source source,
                           String filename, byte[] content) {
        return keep(h, accountId, conversationId, messageId, source, filename, content, null).orElseThrow();
    }

    /**
     * As above, as the message's {@code ordinal}-th file in the channel's numbering; empty when that file is kept
     * already (the channel's work ran twice).
     */
    public Optional<StoredFile> keep(Handle h, long accountId, long conversationId, long messageId,
                                     StoredFile.Source source, String filename, byte[] content, Integer ordinal) {
        String type = FileType.sniff(content, filename);
        return insert(h, accountId, conversationId, messageId, source, filename, type, content,
                FileType.image(type) ? Thumbnails.of(content) : null, ordinal);
    }

    private static StoredFile insert(Handle h, long accountId, long conversationId, Long messageId,
                                     StoredFile.Source source, String filename, String type, byte[] content,
                                     Thumbnails.Result picture) {
        return insert(h, accountId, conversationId, messageId, source, filename, type, content, picture, null).orElseThrow();
    }

    private static Optional<StoredFile> insert(Handle h, long accountId, long conversationId, Long messageId,
                                               StoredFile.Source source, String filename, String type, byte[] content,
                                               Thumbnails.Result picture, Integer ordinal) {
        return h.createQuery("""
                        INSERT INTO files (public_id, account_id, conversation_id, message_id, source, filename,
                                           content_type, size, sha256, content, width, height, thumbnail, ordinal)
                        VALUES (:p, :a, :c, :m, :s, :n, :t, :size, :sha, :content, :w, :h, :thumb, :ordinal)
                        ON CONFLICT (message_id, ordinal) WHERE ordinal IS NOT NULL DO NOTHING
                        RETURNING id, public_id, account_id, conversation_id, message_id, source, filename, content_type,
                                  size, width, height, thumbnail IS NOT NULL AS has_thumbnail""")
                .bind("p", Tokens.random(18)).bind("a", accountId).bind("c", conversationId).bind("m", messageId)
                .bind("s", source.name().toLowerCase(Locale.ROOT)).bind("n", filename).bind("t", type)
                .bind("size", content.length).bind("sha", sha256(content)).bind("content", content)
                .bind("w", picture == null ? null : picture.width()).bind("h", picture == null ? null : picture.height())
                .bind("thumb", picture == null ? null : picture.thumbnail()).bind("ordinal", ordinal)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    /** A message's {@code ordinal}-th file in its channel's numbering, within the account and conversation. */
    public Optional<Content> nth(long accountId, long conversationId, long messageId, int ordinal) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", f.content AS bytes FROM files f "
                        + "WHERE f.account_id = :a AND f.conversation_id = :c AND f.message_id = :m AND f.ordinal = :o")
                .bind("a", accountId).bind("c", conversationId).bind("m", messageId).bind("o", ordinal)
                .map((rs, ctx) -> new Content(map(rs), rs.getBytes("bytes"))).findOne());
    }

    /** Ties a pending file to its message, in the message's transaction. */
    static void attach(Handle h, long fileId, long messageId) {
        h.createUpdate("UPDATE files SET message_id = :m WHERE id = :id AND message_id IS NULL")
                .bind("m", messageId).bind("id", fileId).execute();
    }

    /** Forgets a pending file whose message was refused or was there already (a retried upload). */
    void dropPending(long fileId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM files WHERE id = :id AND message_id IS NULL").bind("id", fileId).execute());
    }

    /**
     * Forgets uploads whose message never came (Parley stopped between keeping the bytes and committing the
     * message); an upload's own refusals drop theirs at once. Returns how many.
     */
    public static int forgetAbandoned(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createUpdate(
                "DELETE FROM files WHERE message_id IS NULL AND created_at < now() - interval '1 hour'").execute());
    }

    /** A file of a message an agent who sees its conversation may read; empty for anything else (no hint why). */
    public Optional<Content> forAgent(Viewer viewer, String publicId, boolean thumbnail) {
        return read(publicId, thumbnail, """
                AND f.account_id = :a AND (:full OR cardinality(CAST(:groups AS bigint[])) = 0 OR c.group_id IS NULL
                                            OR c.group_id = ANY(CAST(:groups AS bigint[])))""",
                q -> q.bind("a", viewer.accountId()).bind("full", viewer.role().fullAccess())
                        .bindArray("groups", Long.class, viewer.groupIds()));
    }

    /** A file of a message in one of this visitor's own conversations; empty for anything else. */
    public Optional<Content> forVisitor(long accountId, long visitorId, String publicId, boolean thumbnail) {
        // A note is never the visitor's, whatever it carries.
        return read(publicId, thumbnail, """
                AND f.account_id = :a AND c.visitor_id = :v
                AND EXISTS (SELECT 1 FROM messages m WHERE m.id = f.message_id AND m.kind <> 'note')""",
                q -> q.bind("a", accountId).bind("v", visitorId));
    }

    private Optional<Content> read(String publicId, boolean thumbnail, String scope,
                                   java.util.function.Consumer<org.jdbi.v3.core.statement.Query> binds) {
        if (publicId == null || publicId.length() > 64) return Optional.empty();
        String bytes = thumbnail ? "f.thumbnail" : "f.content";
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT " + COLUMNS + ", " + bytes + " AS bytes FROM files f "
                    + "JOIN conversations c ON c.id = f.conversation_id "
                    + "WHERE f.public_id = :p AND f.message_id IS NOT NULL " + scope).bind("p", publicId);
            binds.accept(q);
            return q.map((rs, ctx) -> new Content(map(rs), rs.getBytes("bytes"))).findOne()
                    .filter(c -> c.bytes() != null);
        });
    }

    /** The files a message carries, with their bytes: what a channel sends out (a mail's attachments, Messenger). */
    public List<Content> ofMessage(long accountId, long messageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", f.content AS bytes FROM files f "
                        + "WHERE f.account_id = :a AND f.message_id = :m ORDER BY f.id")
                .bind("a", accountId).bind("m", messageId)
                .map((rs, ctx) -> new Content(map(rs), rs.getBytes("bytes"))).list());
    }

    /** A file's bytes by its public id within the account (a channel fetching what it must send). */
    public Optional<Content> inAccount(long accountId, String publicId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", f.content AS bytes FROM files f "
                        + "WHERE f.account_id = :a AND f.public_id = :p AND f.message_id IS NOT NULL")
                .bind("a", accountId).bind("p", publicId)
                .map((rs, ctx) -> new Content(map(rs), rs.getBytes("bytes"))).findOne());
    }

    /**
     * The chat box's visitor: its account's chat key and the visitor key the chat box keeps (its token); empty for a
     * visitor not stored yet or blocked.
     */
    public Optional<app.parley.conversation.VisitorActions.Who> visitor(String chatKey, String visitorKey) {
        if (chatKey == null || visitorKey == null || chatKey.length() > 200 || visitorKey.length() > 200) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT v.account_id, v.id FROM visitors v JOIN accounts a ON a.id = v.account_id
                        WHERE a.chat_key = :k AND v.visitor_key = :v AND NOT v.blocked""")
                .bind("k", chatKey).bind("v", visitorKey)
                .map((rs, ctx) -> new app.parley.conversation.VisitorActions.Who(rs.getLong(1), rs.getLong(2), null))
                .findOne());
    }

    private static StoredFile map(ResultSet rs) throws SQLException {
        long message = rs.getLong("message_id");
        Long messageId = rs.wasNull() ? null : message;
        int w = rs.getInt("width");
        Integer width = rs.wasNull() ? null : w;
        int hh = rs.getInt("height");
        Integer height = rs.wasNull() ? null : hh;
        return new StoredFile(rs.getLong("id"), rs.getString("public_id"), rs.getLong("account_id"),
                rs.getLong("conversation_id"), messageId,
                StoredFile.Source.valueOf(rs.getString("source").toUpperCase(Locale.ROOT)), rs.getString("filename"),
                rs.getString("content_type"), rs.getInt("size"), width, height, rs.getBoolean("has_thumbnail"));
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
