package app.parley.files;

import app.parley.account.Agent;
import app.parley.conversation.AgentActions;
import app.parley.conversation.Channel;
import app.parley.conversation.Message;
import app.parley.conversation.MessageKind;
import app.parley.conversation.VisitorActions;
import app.parley.core.CardNumberMasker;
import app.parley.core.Input;
import app.parley.core.Refusal;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;

/**
 * A visitor or an agent sends a file (issue #18 point 7): checked (size, type read from the bytes, name masked),
 * kept, then written into the conversation as a message through the journal's use cases, so it shows live on
 * both sides and in the history. The bytes are written before the message, outside the journal's single writer
 * (20 MB would hold every chat up); the message's transaction ties them together, and a refused or repeated
 * message drops the kept bytes, so nothing is left half-written.
 */
public final class Uploads {
    public static final int MAX_BYTES = 20 * 1024 * 1024;
    private static final int MAX_NAME = 255;

    private final Jdbi jdbi;
    private final FileStore store;
    private final AgentActions agents;
    private final VisitorActions visitors;

    public Uploads(Jdbi jdbi, FileStore store, AgentActions agents, VisitorActions visitors) {
        this.jdbi = jdbi;
        this.store = store;
        this.agents = agents;
        this.visitors = visitors;
    }

    /** A checked upload: its masked name, the type its bytes show, and the picture facts of an image. */
    private record Checked(String name, String type, byte[] content, Thumbnails.Result picture) {}

    /** An agent's file in a conversation they see; {@code channel} as for a text reply (null: the conversation's). */
    public Message fromAgent(Agent author, long conversationId, String filename, byte[] content, String clientId,
                             Channel channel) {
        Checked f = check(filename, content);
        String id = Input.clientId(clientId);
        if (!author.active()) throw Refusal.forbidden("An inactive agent cannot chat.");
        Long group = conversationGroup(author.accountId(), conversationId);
        if (group == null || !author.viewer().sees(group == NO_GROUP ? null : group)) throw Refusal.notFound("The conversation");
        StoredFile kept = store.pending(author.accountId(), conversationId, StoredFile.Source.AGENT, f.name(), f.type(),
                f.content(), f.picture());
        try {
            Message m = agents.write(author, conversationId, MessageKind.MESSAGE, f.name(), id, channel,
                    kept.messageData(), (tx, message) -> FileStore.attach(tx.handle(), kept.id(), message.id()));
            store.dropPending(kept.id());
            return m;
        } catch (RuntimeException e) {
            store.dropPending(kept.id());
            throw e;
        }
    }

    /** A visitor's file in their current conversation (reopened if resolved, as a message reopens it). */
    public CompletableFuture<VisitorActions.Sent> fromVisitor(VisitorActions.Who who, String filename, byte[] content,
                                                              String clientId) {
        Checked f = check(filename, content);
        String id = Input.clientId(clientId);
        Long conversationId = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id FROM conversations WHERE visitor_id = :v AND account_id = :a ORDER BY id DESC LIMIT 1")
                .bind("v", who.visitorId()).bind("a", who.accountId()).mapTo(Long.class).findOne().orElse(null));
        if (conversationId == null) {
            throw new Refusal(Refusal.Kind.CONFLICT, "no_conversation", "Write a message first, then attach files.");
        }
        StoredFile kept = store.pending(who.accountId(), conversationId, StoredFile.Source.VISITOR, f.name(), f.type(),
                f.content(), f.picture());
        VisitorActions.Who here = new VisitorActions.Who(who.accountId(), who.visitorId(), conversationId);
        CompletableFuture<VisitorActions.Sent> sent;
        try {
            sent = visitors.sendFile(here, id, f.name(), kept.messageData(),
                    (tx, message) -> FileStore.attach(tx.handle(), kept.id(), message.id()));
        } catch (RuntimeException e) {
            store.dropPending(kept.id());
            throw e;
        }
        return sent.whenComplete((s, e) -> store.dropPending(kept.id()));
    }

    private static final long NO_GROUP = -1;

    /** The conversation's group ({@link #NO_GROUP} for none), or null when it is not in the account. */
    private Long conversationGroup(long accountId, long conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(group_id, -1) FROM conversations WHERE id = :c AND account_id = :a")
                .bind("c", conversationId).bind("a", accountId).mapTo(Long.class).findOne().orElse(null));
    }

    private static Checked check(String filename, byte[] content) {
        String name = name(filename);
        if (content.length == 0) throw new Refusal(Refusal.Kind.INVALID, "empty_file", "The file is empty.", "file");
        if (content.length > MAX_BYTES) throw tooLarge();
        String type = FileType.sniff(content, name);
        if (!FileType.allowed(type)) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE, "file_type_not_allowed",
                    "This kind of file cannot be sent. Send images, PDF, office documents, text, CSV, XML, MP4 or MOV.", "file");
        }
        return new Checked(name, type, content, FileType.image(type) ? Thumbnails.of(content) : null);
    }

    /** The refusal of a file over 20 MB (docs/PRODUCT.md §2.1), also given before the body is read. */
    public static Refusal tooLarge() {
        return new Refusal(Refusal.Kind.INVALID, "file_too_large", "A file may have at most 20 MB.", "file");
    }

    /** The name as shown and stored: its last path segment, without control characters, card numbers masked. */
    static String name(String filename) {
        if (filename == null || filename.isBlank()) throw Refusal.invalid("name", "name is required: the file's name.");
        String n = filename.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).strip();
        Input.refuseControlCharacters("name", n, false);
        if (n.isEmpty() || n.equals(".") || n.equals("..")) throw Refusal.invalid("name", "name is not a file name.");
        if (n.length() > MAX_NAME) throw Refusal.invalid("name", "A file name may have at most " + MAX_NAME + " characters.");
        return CardNumberMasker.mask(n);
    }
}
