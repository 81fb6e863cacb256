package app.parley.recording;

import app.parley.contact.VisitorKeys;
import app.parley.contact.Visitors;
import app.parley.core.CardNumberMasker;
import app.parley.core.Json;
import app.parley.core.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Takes a chunk of a visitor's recording from the chat box: unpacks it, masks card numbers in every recorded text
 * ({@link RecordedText}), keeps the timeline's marks (page changes, chat messages) on the recording's row and
 * stores the events compressed in today's partition. Off the chat's write path: its own small transaction.
 */
public final class RecordingIngest {
    /** rrweb's event types used for the timeline: Meta (a page loaded) and Custom (the chat box's marks). */
    static final int META = 4;
    static final int CUSTOM = 5;
    public static final String CHAT_TAG = "parley.chat";
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final int MAX_MARKS = 500;

    /** What was stored: sizes for the benches. */
    public record Accepted(long recordingId, int events, int rawBytes, int storedBytes, int maskedTexts) {}

    private final Jdbi jdbi;
    private final VisitorKeys keys;
    private final RecordingSettings settings;

    public RecordingIngest(Jdbi jdbi, RecordingSettings settings) {
        this.jdbi = jdbi;
        this.keys = VisitorKeys.load(jdbi);
        this.settings = settings;
    }

    public Accepted accept(long accountId, String visitorKey, String session, int seq, byte[] gzipped) {
        if (session == null || !SESSION.matcher(session).matches()) {
            throw Refusal.invalid("session", "session is 8 to 64 letters, digits, '-' or '_'.");
        }
        if (seq < 0 || seq > 1_000_000) throw Refusal.invalid("seq", "seq is a chunk number from 0.");
        if (!settings.of(accountId).enabled()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "recording_off", "Session recording is switched off for this chat box.");
        }
        long visitorId = visitorOf(accountId, visitorKey);
        JsonNode tree = RecordedText.parse(ChunkCodec.gunzip(gzipped));
        if (!(tree instanceof ArrayNode events) || events.isEmpty()) {
            throw Refusal.badRequest("malformed_chunk", "A recording chunk is a JSON array of rrweb events.");
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        ArrayNode pages = Json.MAPPER.createArrayNode();
        ArrayNode chats = Json.MAPPER.createArrayNode();
        for (JsonNode e : events) {
            if (!e.isObject() || !e.path("type").isInt() || !e.path("timestamp").isIntegralNumber()) {
                throw Refusal.badRequest("malformed_chunk", "Each recorded event has a numeric type and timestamp.");
            }
            long at = e.get("timestamp").asLong();
            first = Math.min(first, at);
            last = Math.max(last, at);
            int type = e.get("type").asInt();
            if (type == META && e.path("data").path("href").isTextual()) {
                ObjectNode page = pages.addObject();
                page.put("at", at);
                page.put("url", CardNumberMasker.mask(e.get("data").get("href").asText()));
            } else if (type == CUSTOM && CHAT_TAG.equals(e.path("data").path("tag").asText())) {
                chats.add(at);
            }
        }
        int masked = RecordedText.maskCards(events);
        byte[] raw = RecordedText.write(events);
        byte[] stored = ChunkCodec.gzip(raw);
        long firstAt = first;
        long lastAt = last;
        long recordingId = jdbi.inTransaction(h -> {
            // A chunk sent again (its answer was lost, or the next page resent what the last one saved): once is enough.
            Long known = h.createQuery("""
                            SELECT r.id FROM recordings r WHERE r.account_id = :a AND r.visitor_id = :v AND r.session_key = :s
                              AND EXISTS (SELECT 1 FROM recording_chunks c WHERE c.recording_id = r.id AND c.seq = :seq)""")
                    .bind("a", accountId).bind("v", visitorId).bind("s", session).bind("seq", seq)
                    .mapTo(Long.class).findOne().orElse(null);
            if (known != null) return known;
            long id = h.createQuery("""
                            INSERT INTO recordings (account_id, visitor_id, session_key, started_at, last_chunk_at, first_event_ms,
                                                    last_event_ms, pages, chats, chunks, stored_bytes, raw_bytes)
                            VALUES (:a, :v, :s, now(), now(), :first, :last, CAST(:pages AS jsonb), CAST(:chats AS jsonb), 1, :stored, :raw)
                            ON CONFLICT (account_id, visitor_id, session_key) DO UPDATE SET
                                last_chunk_at = now(),
                                first_event_ms = least(recordings.first_event_ms, :first),
                                last_event_ms = greatest(recordings.last_event_ms, :last),
                                pages = CASE WHEN jsonb_array_length(recordings.pages) < :max
                                             THEN recordings.pages || CAST(:pages AS jsonb) ELSE recordings.pages END,
                                chats = CASE WHEN jsonb_array_length(recordings.chats) < :max
                                             THEN recordings.chats || CAST(:chats AS jsonb) ELSE recordings.chats END,
                                chunks = recordings.chunks + 1,
                                stored_bytes = recordings.stored_bytes + :stored,
                                raw_bytes = recordings.raw_bytes + :raw
                            RETURNING id""")
                    .bind("a", accountId).bind("v", visitorId).bind("s", session).bind("first", firstAt).bind("last", lastAt)
                    .bind("pages", Json.write(pages)).bind("chats", Json.write(chats)).bind("max", MAX_MARKS)
                    .bind("stored", (long) stored.length).bind("raw", (long) raw.length)
                    .mapTo(Long.class).one();
            h.createUpdate("""
                            INSERT INTO recording_chunks (recording_id, account_id, seq, received_at, codec, data)
                            VALUES (:r, :a, :seq, now(), :codec, :data)""")
                    .bind("r", id).bind("a", accountId).bind("seq", seq).bind("codec", ChunkCodec.GZIP).bind("data", stored)
                    .execute();
            return id;
        });
        return new Accepted(recordingId, events.size(), raw.length, stored.length, masked);
    }

    /** The visitor a chat box key names: one we issued (signed), or a stored visitor's older key. */
    private long visitorOf(long accountId, String key) {
        var issued = keys.idOf(accountId, key);
        if (issued.isPresent()) return issued.getAsLong();
        if (key == null || key.isBlank()) throw Refusal.invalid("visitor", "visitor is the chat box's visitor key.");
        return jdbi.withHandle(h -> Visitors.byKey(h, accountId, key))
                .map(v -> v.id())
                .orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "unknown_visitor", "This chat box visitor is not known."));
    }
}
