package app.parley.channel.messenger;

import app.parley.files.FileStore;
import app.parley.files.StoredFile;
import app.parley.store.Jobs;
import java.io.IOException;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The job that keeps a customer's attachment: Meta's CDN URL expires (its {@code oe=} parameter), so the file is
 * fetched soon after receipt and served by Parley from then on. Retried with back-off; a URL that expired before it
 * could be fetched leaves the error on the attachment for agents to read.
 */
final class AttachmentFetcher implements Jobs.Handler {
    static final String KIND = "messenger.fetch";

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final GraphApi graph;
    private final FileStore files;

    private record Pending(String url, long accountId, long conversationId, long messageId, String type, int ordinal) {}

    AttachmentFetcher(Jdbi jdbi, Jobs.Gate gate, GraphApi graph) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.graph = graph;
        this.files = new FileStore(jdbi);
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        long id = Long.parseLong(job.payload());
        Optional<Pending> found = gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT a.source_url, a.account_id, m.conversation_id, a.message_id, a.type,
                               (SELECT count(*) FROM messenger_attachments b WHERE b.message_id = a.message_id AND b.id < a.id)
                        FROM messenger_attachments a JOIN messages m ON m.id = a.message_id
                        WHERE a.id = :id AND a.fetched_at IS NULL AND a.source_url IS NOT NULL""")
                .bind("id", id).map((rs, ctx) -> new Pending(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getString(5), rs.getInt(6))).findOne()));
        if (found.isEmpty()) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        Pending p = found.get();
        Optional<String> url = Optional.of(p.url());
        try {
            GraphApi.Download d = graph.download(url.get());
            // The bytes go to the one file store as the message's n-th file (issue #18); here only that it is kept.
            return new Jobs.Outcome.Done(h -> {
                files.keep(h, p.accountId(), p.conversationId(), p.messageId(), StoredFile.Source.MESSENGER,
                        p.type() + "-" + (p.ordinal() + 1), d.content(), p.ordinal());
                h.createUpdate("UPDATE messenger_attachments SET content_type = :t, fetched_at = now(), error = NULL WHERE id = :id")
                        .bind("t", d.contentType()).bind("id", id).execute();
            });
        } catch (IOException e) {
            String error = "Could not fetch the file from Meta: " + e.getMessage();
            Jobs.Outcome next = ProfileFetcher.again(job, error);
            Jobs.Write note = h -> h.createUpdate("UPDATE messenger_attachments SET error = :e WHERE id = :id")
                    .bind("e", error).bind("id", id).execute();
            return switch (next) {
                case Jobs.Outcome.RetryAt r -> new Jobs.Outcome.RetryAt(r.at(), r.error(), note);
                case Jobs.Outcome.Dead d -> new Jobs.Outcome.Done(note);
                case Jobs.Outcome.Done d -> d;
            };
        }
    }
}
