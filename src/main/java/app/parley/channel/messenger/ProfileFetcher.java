package app.parley.channel.messenger;

import app.parley.contact.ChannelVisitors;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job that learns who a new customer is: their name and picture from the Graph API (the only things Messenger
 * tells a page), the picture kept since Meta's CDN URL expires. Fetched once per person; a failure retries.
 */
final class ProfileFetcher implements Jobs.Handler {
    private static final Logger log = LoggerFactory.getLogger(ProfileFetcher.class);
    static final String KIND = "messenger.profile";
    private static final int MAX_ATTEMPTS = 8;

    private record Target(long accountId, long visitorId, String token) {}

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final GraphApi graph;
    private final ChannelVisitors visitors;
    private final TokenTrouble tokens;

    ProfileFetcher(Jdbi jdbi, Jobs.Gate gate, GraphApi graph, ChannelVisitors visitors, TokenTrouble tokens) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.graph = graph;
        this.visitors = visitors;
        this.tokens = tokens;
    }

    @Override
    public Jobs.Outcome run(Jobs.Job job) {
        String[] key = job.payload().split(":", 2);
        return fetch(key[0], key[1], job);
    }

    /**
     * Tried at once when a new customer first writes, so their first message already shows their name; the job
     * queued beside it retries if this fails. True: the profile is stored (or nothing was left to fetch).
     */
    boolean now(String pageId, String psid) {
        return fetch(pageId, psid, null) instanceof Jobs.Outcome.Done;
    }

    private Jobs.Outcome fetch(String pageId, String psid, Jobs.Job job) {
        Optional<Target> target = gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.account_id, c.visitor_id, p.page_access_token FROM messenger_contacts c
                        JOIN messenger_pages p ON p.page_id = c.page_id
                        WHERE c.page_id = :p AND c.psid = :s AND c.profile_fetched_at IS NULL""")
                .bind("p", pageId).bind("s", psid)
                .map((rs, ctx) -> new Target(rs.getLong(1), rs.getLong(2), rs.getString(3))).findOne()));
        if (target.isEmpty()) return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
        Target t = target.get();
        return switch (graph.profile(psid, t.token())) {
            case GraphApi.Answer.Ok ok -> stored(pageId, psid, t, ok.body());
            case GraphApi.Answer.Failed f when f.error().meaning() == GraphError.Meaning.TOKEN_INVALID -> {
                tokens.invalid(pageId, f.error());
                yield new Jobs.Outcome.Dead(f.error().explained(), Jobs.Write.NOTHING);
            }
            case GraphApi.Answer.Failed f when f.error().meaning() == GraphError.Meaning.TRANSIENT -> again(job, f.error().message());
            case GraphApi.Answer.Failed f -> new Jobs.Outcome.Dead(f.error().explained(), Jobs.Write.NOTHING);
            case GraphApi.Answer.Unreachable u -> again(job, u.why());
        };
    }

    private Jobs.Outcome stored(String pageId, String psid, Target t, JsonNode profile) {
        String name = (profile.path("first_name").asText("") + " " + profile.path("last_name").asText("")).strip();
        GraphApi.Download picture = null;
        String pictureUrl = profile.path("profile_pic").asText(null);
        if (pictureUrl != null) {
            try {
                picture = graph.download(pictureUrl);
            } catch (IOException e) {
                log.info("Messenger: the profile picture of a customer of page {} could not be fetched: {}", pageId, e.getMessage());
            }
        }
        GraphApi.Download pic = picture;
        gate.call(() -> jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE messenger_contacts SET name = :n, picture = coalesce(:pic, picture),
                               picture_type = coalesce(:type, picture_type), profile_fetched_at = now()
                        WHERE page_id = :p AND psid = :s""")
                .bind("n", name.isEmpty() ? null : name).bind("pic", pic == null ? null : pic.content())
                .bind("type", pic == null ? null : pic.contentType()).bind("p", pageId).bind("s", psid).execute()));
        if (!name.isEmpty()) visitors.named(t.accountId(), t.visitorId(), name).join();
        return new Jobs.Outcome.Done(Jobs.Write.NOTHING);
    }

    static Jobs.Outcome again(Jobs.Job job, String error) {
        if (job == null) return new Jobs.Outcome.RetryAt(Instant.now(), error, Jobs.Write.NOTHING);
        if (job.attempts() >= MAX_ATTEMPTS) return new Jobs.Outcome.Dead(error, Jobs.Write.NOTHING);
        return new Jobs.Outcome.RetryAt(Instant.now().plusSeconds(Math.min(3600, 5L << job.attempts())), error, Jobs.Write.NOTHING);
    }
}
