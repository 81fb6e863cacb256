package app.parley.tracking;

import app.parley.account.Viewer;
import app.parley.contact.CardScope;
import app.parley.contact.Visitor;
import app.parley.contact.Visitors;
import app.parley.core.Refusal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads for the visitors list and the visitor card: who is browsing, where from, on what, and what they read.
 * Every query is served by an index (VisitorQueriesExplainTest): the list by {@code visitor_activity_recent}, a
 * card's pages by {@code page_views_visitor}.
 */
public final class VisitorDirectory {
    /** Attribution DB-IP's licence (CC BY 4.0) asks for wherever a location is shown. */
    public static final Map<String, String> ATTRIBUTION = Map.of("text", "IP geolocation by DB-IP", "url", "https://db-ip.com");
    static final int HISTORY = 50;
    // A chat box says it is still here every minute; two missed and the visitor is taken as gone.
    private static final String ONLINE = "(a.left_at IS NULL AND a.last_seen_at > now() - interval '150 seconds')";

    public record Row(long id, String name, String email, boolean identified, Map<String, Object> location,
                      String currentUrl, String currentTitle, long timeOnSiteSeconds, long pages, int visits,
                      boolean online, boolean inChat, boolean blocked, OffsetDateTime lastSeenAt, OffsetDateTime leftAt,
                      String browser, String os) {}

    public record Listing(List<Row> items, String after) {}

    private final Jdbi jdbi;

    public VisitorDirectory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static final String ROW = """
            SELECT a.*, v.name, v.email, v.contact_id, """ + ONLINE + """
             AS online,
                   EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = a.visitor_id AND c.status = 'open') AS in_chat
            FROM visitor_activity a LEFT JOIN visitors v ON v.id = a.visitor_id""";

    /** Newest activity first (to the minute); {@code after} is the cursor the previous page returned. */
    public Listing list(Viewer viewer, VisitorFilter filter, String after, int limit) {
        Instant[] atHolder = new Instant[1];
        long[] cursor = decode(after, atHolder);
        boolean limited = !viewer.role().fullAccess() && !viewer.groupIds().isEmpty();
        String sql = listSql(filter, cursor != null, limited);
        List<Listed> listed = jdbi.withHandle(h -> {
            var q = h.createQuery(sql).bind("a", viewer.accountId()).bind("limit", limit + 1);
            if (cursor != null) q.bind("cursorAt", atHolder[0].atOffset(ZoneOffset.UTC)).bind("cursorId", cursor[0]);
            if (limited) q.bindArray("groups", Long.class, viewer.groupIds().toArray(Long[]::new));
            return q.map((rs, ctx) -> new Listed(row(rs), rs.getObject("recent_at", OffsetDateTime.class))).list();
        });
        String next = null;
        if (listed.size() > limit) {
            listed = listed.subList(0, limit);
            Listed last = listed.getLast();
            next = encode(last.recentAt(), last.row().id());
        }
        return new Listing(listed.stream().map(Listed::row).toList(), next);
    }

    /** A row and where it stands in the list's order (the minute of its last activity, see V23). */
    private record Listed(Row row, OffsetDateTime recentAt) {}

    static String listSql(VisitorFilter filter, boolean cursor, boolean limited) {
        return ROW + " WHERE a.account_id = :a" + filter.condition()
                + (cursor ? " AND (a.recent_at, a.visitor_id) < (:cursorAt, :cursorId)" : "")
                // A limited agent sees visitors who have no conversation yet, or one of their groups (or of none).
                + (limited ? " AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = a.visitor_id"
                        + " AND NOT (c.group_id IS NULL OR c.group_id = ANY(:groups)))" : "")
                // By the minute of the last activity: the index holds no value that changes with every page (V23).
                + " ORDER BY a.recent_at DESC, a.visitor_id DESC LIMIT :limit";
    }

    static final String PAGES = """
            SELECT url, title, referrer, viewed_at FROM page_views
            WHERE visitor_id = :v AND account_id = :a ORDER BY viewed_at DESC LIMIT :n""";

    /**
     * What tracking knows for one visitor's card (the stored visitor's own fields are contact's): location, device,
     * counts and the newest pages. Not found unless the viewer sees one of the visitor's conversations.
     */
    public Map<String, Object> card(Viewer viewer, long visitorId) {
        return jdbi.withHandle(h -> {
            if (!CardScope.ofVisitor(h, visitorId).seenBy(viewer)) throw Refusal.notFound("The visitor");
            Visitor stored = Visitors.byId(h, viewer.accountId(), visitorId).orElse(null);
            var activity = h.createQuery(ROW + " WHERE a.visitor_id = :v AND a.account_id = :a")
                    .bind("v", visitorId).bind("a", viewer.accountId()).map((rs, ctx) -> new Object[] {row(rs),
                            rs.getObject("first_seen_at", OffsetDateTime.class), rs.getString("ip"),
                            rs.getString("entry_url"), rs.getString("entry_referrer"), rs.getString("device_class"),
                            rs.getString("os_name"), rs.getString("os_version"), rs.getString("browser_name"),
                            rs.getString("browser_version")}).findOne().orElse(null);
            if (stored == null && activity == null) throw Refusal.notFound("The visitor");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", visitorId);
            int chats = h.createQuery("SELECT count(*) FROM conversations WHERE visitor_id = :v AND account_id = :a")
                    .bind("v", visitorId).bind("a", viewer.accountId()).mapTo(Integer.class).one();
            boolean inChat = h.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM conversations WHERE visitor_id = :v AND status = 'open')""")
                    .bind("v", visitorId).mapTo(Boolean.class).one();
            if (activity == null) {
                // Written or identified, never seen browsing since tracking started: what the visitor row knows.
                out.put("online", false);
                out.put("left_at", null);
                out.put("in_chat", inChat);
                out.put("blocked", stored.blocked());
                out.put("ip", stored.ip());
                out.put("location", null);
                out.put("device", null);
                out.put("counts", counts(stored.visits(), chats, 0, stored.firstSeenAt(), stored.lastSeenAt()));
                out.put("current_url", stored.currentUrl());
                out.put("current_title", stored.currentTitle());
                out.put("entry_url", null);
                out.put("entry_referrer", stored.referrer());
                out.put("time_on_site_seconds", null);
                out.put("pages", List.of());
                return out;
            }
            Row r = (Row) activity[0];
            out.put("online", r.online());
            out.put("left_at", r.leftAt());
            out.put("in_chat", inChat);
            out.put("blocked", r.blocked() || (stored != null && stored.blocked()));
            out.put("ip", activity[2]);
            Map<String, Object> location = null;
            if (r.location() != null) {
                location = new LinkedHashMap<>(r.location());
                location.put("ip", activity[2]);
            }
            out.put("location", location);
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("class", activity[5]);
            device.put("os", activity[6]);
            device.put("os_version", activity[7]);
            device.put("browser", activity[8]);
            device.put("browser_version", activity[9]);
            out.put("device", device);
            out.put("counts", counts(r.visits(), chats, r.pages(), (OffsetDateTime) activity[1], r.lastSeenAt()));
            out.put("current_url", r.currentUrl());
            out.put("current_title", r.currentTitle());
            out.put("entry_url", activity[3]);
            out.put("entry_referrer", activity[4]);
            out.put("time_on_site_seconds", r.timeOnSiteSeconds());
            out.put("pages", pages(h, viewer.accountId(), visitorId, r.lastSeenAt(), r.pages()));
            return out;
        });
    }

    static List<PageHistory.Page> pages(Handle h, long accountId, long visitorId, OffsetDateTime lastSeen, long total) {
        List<PageHistory.Viewed> viewed = h.createQuery(PAGES)
                .bind("v", visitorId).bind("a", accountId).bind("n", HISTORY)
                .map((rs, ctx) -> new PageHistory.Viewed(rs.getString("url"), rs.getString("title"), rs.getString("referrer"),
                        rs.getObject("viewed_at", OffsetDateTime.class))).list();
        return PageHistory.of(viewed, lastSeen, viewed.size() >= total);
    }

    private static Map<String, Object> counts(int visits, int chats, long pages, OffsetDateTime first, OffsetDateTime last) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("visits", visits);
        c.put("chats", chats);
        c.put("pages", pages);
        c.put("first_seen_at", first);
        c.put("last_seen_at", last);
        return c;
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime last = rs.getObject("last_seen_at", OffsetDateTime.class);
        OffsetDateTime started = rs.getObject("visit_started_at", OffsetDateTime.class);
        String code = rs.getString("country_code");
        Map<String, Object> location = null;
        if (code != null) {
            location = new LinkedHashMap<>();
            location.put("code", code);
            location.put("country", new Location(code, null, null).country());
            location.put("region", rs.getString("region"));
            location.put("city", rs.getString("city"));
            location.put("attribution", ATTRIBUTION);
        }
        String browser = join(rs.getString("browser_name"), rs.getString("browser_version"));
        String os = join(rs.getString("os_name"), rs.getString("os_version"));
        return new Row(rs.getLong("visitor_id"), rs.getString("name"), rs.getString("email"),
                rs.getObject("contact_id") != null, location, rs.getString("current_url"), rs.getString("current_title"),
                Math.max(0, ChronoUnit.SECONDS.between(started, last)), rs.getLong("pages"), rs.getInt("visits"),
                rs.getBoolean("online"), rs.getBoolean("in_chat"), rs.getBoolean("blocked"), last,
                rs.getObject("left_at", OffsetDateTime.class), browser, os);
    }

    private static String join(String name, String version) {
        if (name == null) return null;
        return version == null ? name : name + " " + version;
    }

    static String encode(OffsetDateTime at, long id) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant());
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static long[] decode(String cursor, Instant[] at) {
        if (cursor == null || cursor.isBlank()) return null;
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (p.length != 2) throw new IllegalArgumentException();
            at[0] = Instant.EPOCH.plus(Long.parseLong(p[0]), ChronoUnit.MICROS);
            return new long[] {Long.parseLong(p[1])};
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("after", "after is the cursor a previous page returned.");
        }
    }
}
