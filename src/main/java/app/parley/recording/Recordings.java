package app.parley.recording;

import app.parley.core.Json;
import app.parley.core.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The recordings an agent may watch: a session is shown once no chunk came for {@code ready} (the visitor left, or
 * the tab went quiet), so the card lists finished recordings only (docs/PRODUCT.md §4: ~3 minutes after leaving).
 */
public final class Recordings {
    /** One recording on the visitor card: when, how long, which pages, when the visitor wrote. */
    public record Summary(long id, OffsetDateTime startedAt, long durationMs, List<Mark> pages, List<Long> chats,
                          long storedBytes) {}

    /** A page change on the timeline: milliseconds from the recording's start, and the address. */
    public record Mark(long atMs, String url) {}

    private final Jdbi jdbi;
    private final Duration ready;

    public Recordings(Jdbi jdbi, Duration ready) {
        this.jdbi = jdbi;
        this.ready = ready;
    }

    /** The visitor's finished recordings, newest first (the caller checked the visitor is theirs to see). */
    public List<Summary> ofVisitor(long accountId, long visitorId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, started_at, first_event_ms, last_event_ms, pages, chats, stored_bytes FROM recordings
                        WHERE visitor_id = :v AND account_id = :a AND last_chunk_at <= now() - make_interval(secs => :ready)
                        ORDER BY started_at DESC LIMIT 50""")
                .bind("v", visitorId).bind("a", accountId).bind("ready", (double) ready.toMillis() / 1000)
                .map((rs, ctx) -> {
                    long first = rs.getLong("first_event_ms");
                    List<Mark> pages = new ArrayList<>();
                    for (JsonNode p : Json.tree(rs.getString("pages"))) {
                        pages.add(new Mark(p.path("at").asLong() - first, p.path("url").asText()));
                    }
                    pages.sort(Comparator.comparingLong(Mark::atMs));
                    List<Long> chats = new ArrayList<>();
                    for (JsonNode c : Json.tree(rs.getString("chats"))) chats.add(c.asLong() - first);
                    chats.sort(null);
                    return new Summary(rs.getLong("id"), rs.getObject("started_at", OffsetDateTime.class),
                            rs.getLong("last_event_ms") - first, pages, chats, rs.getLong("stored_bytes"));
                }).list());
    }

    /** A finished recording's events in time order, as one JSON array for the player. */
    public byte[] events(long accountId, long recordingId) {
        List<byte[]> chunks = jdbi.withHandle(h -> {
            boolean visible = h.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM recordings WHERE id = :r AND account_id = :a
                                           AND last_chunk_at <= now() - make_interval(secs => :ready))""")
                    .bind("r", recordingId).bind("a", accountId).bind("ready", (double) ready.toMillis() / 1000)
                    .mapTo(Boolean.class).one();
            if (!visible) throw Refusal.notFound("The recording");
            // A chunk the chat box sent twice (a retry after a lost answer) is read once.
            return h.createQuery("""
                            SELECT DISTINCT ON (seq) data FROM recording_chunks
                            WHERE recording_id = :r AND account_id = :a ORDER BY seq, received_at""")
                    .bind("r", recordingId).bind("a", accountId).mapTo(byte[].class).list();
        });
        List<JsonNode> events = new ArrayList<>();
        for (byte[] chunk : chunks) {
            for (JsonNode e : RecordedText.parse(ChunkCodec.gunzip(chunk))) events.add(e);
        }
        events.sort(Comparator.comparingLong(e -> e.path("timestamp").asLong()));
        ArrayNode out = Json.MAPPER.createArrayNode();
        out.addAll(events);
        return RecordedText.write(out);
    }

    /** The visitor a recording belongs to, for the caller's visibility check. */
    public long visitorOf(long accountId, long recordingId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT visitor_id FROM recordings WHERE id = :r AND account_id = :a")
                .bind("r", recordingId).bind("a", accountId).mapTo(Long.class).findOne()
                .orElseThrow(() -> Refusal.notFound("The recording")));
    }
}
