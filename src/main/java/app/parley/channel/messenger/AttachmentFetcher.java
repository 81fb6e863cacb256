package app.parley.channel.messenger;

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

    AttachmentFetcher(Jdbi jdbi, Jobs.Gate gate, GraphApi graph) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.graph = graph;
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        long id = Long.parseLong(job.payload());
        Optional<String> url = gate.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT source_url FROM messenger_attachments WHERE id = :id AND content IS NULL")
                .bind("id", id).mapTo(String.class).findOne()));
        if (url.isEmpty()) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        try {
            GraphApi.Download d = graph.download(url.get());
            return new Jobs.Outcome.Done(h -> h.createUpdate("""
                            UPDATE messenger_attachments SET content = :c, content_type = :t, fetched_at = now(), error = NULL
                            WHERE id = :id""")
                    .bind("c", d.content()).bind("t", d.contentType()).bind("id", id).execute());
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
