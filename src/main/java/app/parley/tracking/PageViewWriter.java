package app.parley.tracking;

import app.parley.core.Input;
import app.parley.store.Flush;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores page views off the conversation writer's path: sockets only queue them ({@link #offer} never blocks),
 * one thread drains the queue in batches and writes each batch (the views, and each visitor's activity row) in
 * one round trip and one transaction. User agents are parsed and addresses located here, not on socket threads.
 * When PostgreSQL falls behind and the queue is full, new views are dropped and counted: browsing history is worth
 * less than the chats the journal writes to the same database.
 */
public final class PageViewWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PageViewWriter.class);
    static final int MAX_BATCH = 5_000;
    private static final Duration STILL_HERE_EVERY = Duration.ofSeconds(60);

    private final Jdbi jdbi;
    private final Devices devices;
    private final Locations locations;
    private final TrackingSettings settings;
    private final BlockingQueue<Activity> queue;
    private final Duration gather;
    private final Thread thread;
    private final Map<String, Location> located = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Location> e) {
            return size() > 10_000;
        }
    };
    // Visitors whose activity row this writer has stored (or found): their views need no insert. Rows are never
    // deleted; only the writer's thread reads or changes this.
    private final Map<Long, Boolean> hasActivityRow = new LinkedHashMap<>(4096, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> e) {
            return size() > 200_000;
        }
    };
    // Chat boxes open per visitor on this node, and when each last said it is still here.
    private final Map<Long, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<Long, Long> stillHereAt = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;
    private volatile java.util.function.Consumer<List<Stored>> afterCommit = stored -> {};

    /**
     * What a committed batch changed for one visitor: their newest page in it ({@code url} null when they only left),
     * for the dashboard to show live. Told after the commit, never inside the batch's transaction.
     */
    public record Stored(long accountId, long visitorId, String url, String title, Instant at, boolean left) {}

    /**
     * {@code gather}: how long the first view of a batch waits for others. Each batch is one transaction, and its
     * fixed cost (statements planned, the commit flushed to disk) was most of a page view's cost when a busy shop's
     * views went a dozen at a time; a visitor's views in one batch also update their activity row once. Half a second
     * (the default) shows on a live card only as a short delay (bench/README.md, --page-rate).
     */
    public PageViewWriter(Jdbi jdbi, Devices devices, Locations locations, TrackingSettings settings, int capacity, Duration gather) {
        this.jdbi = jdbi;
        this.gather = gather;
        this.devices = devices;
        this.locations = locations;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("parley-page-views").start(this::run);
    }

    /**
     * A page view as a chat box reports it: {@code url} must be http(s) (else nothing is recorded), title and
     * referrer are optional; all three masked. Refuses bad input with the {@link Input} refusals.
     */
    public boolean pageView(long accountId, long visitorId, String url, String title, String referrer, String userAgent,
                            ClientHints hints, String ip) {
        String u = Input.url("url", url);
        if (u == null) return false;
        String t = Input.shortText("title", title, 500);
        String r = Input.url("referrer", referrer);
        return offer(new Activity.PageView(accountId, visitorId, Instant.now(), u, t, r, userAgent, hints, ip));
    }

    /** Told of each committed batch on the writer's thread: it must be quick and must not block (the hub's signals). */
    public void afterCommit(java.util.function.Consumer<List<Stored>> listener) {
        this.afterCommit = listener;
    }

    /** A chat box connected for this visitor. */
    public void arrived(long visitorId) {
        open.computeIfAbsent(visitorId, k -> new AtomicInteger()).incrementAndGet();
    }

    /** A chat box's keep-alive: recorded at most once a minute per visitor. */
    public void stillHere(long accountId, long visitorId) {
        long now = System.nanoTime();
        Long last = stillHereAt.get(visitorId);
        if (last != null && now - last < STILL_HERE_EVERY.toNanos()) return;
        stillHereAt.put(visitorId, now);
        offer(new Activity.StillHere(accountId, visitorId, Instant.now()));
    }

    /** A chat box closed; the visitor has left when it was their last one on this node. */
    public void closed(long accountId, long visitorId) {
        AtomicInteger n = open.get(visitorId);
        if (n != null && n.decrementAndGet() > 0) return;
        open.remove(visitorId);
        stillHereAt.remove(visitorId);
        offer(new Activity.Left(accountId, visitorId, Instant.now()));
    }

    private boolean offer(Activity a) {
        if (closing || !queue.offer(a)) {
            if (dropped.incrementAndGet() % 10_000 == 1) {
                log.warn("Page views arrive faster than PostgreSQL stores them: {} dropped so far", dropped.get());
            }
            return false;
        }
        return true;
    }

    /** Page views stored since start (the benchmark reads it). */
    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<Activity> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                Activity first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) return;
                    continue;
                }
                batch.add(first);
                if (!closing && queue.size() < MAX_BATCH - 1) Thread.sleep(gather);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                if (!closing) Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Never stop the writer for one bad batch; its views are lost, the next batch goes on.
                log.error("Storing {} page views failed", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Activity> batch) {
        List<Row> views = new ArrayList<>();
        Map<Long, Visit> visits = new LinkedHashMap<>();
        List<Activity> pings = new ArrayList<>();
        // The page views are written before the pings: a ping queued before a visitor's later page view in this
        // batch (the old page's chat box closing as the next page's opens) must not mark them gone after it.
        Map<Long, Integer> lastView = new java.util.HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) instanceof Activity.PageView v) lastView.put(v.visitorId(), i);
        }
        for (int i = 0; i < batch.size(); i++) {
            Activity a = batch.get(i);
            if (!(a instanceof Activity.PageView) && lastView.getOrDefault(a.visitorId(), -1) > i) continue;
            switch (a) {
                case Activity.PageView v -> {
                    Device device = devices.parse(v.userAgent(), v.hints());
                    if (device.bot()) continue; // docs/PRODUCT.md: crawlers are not visitors
                    Location where = locate(v.ip());
                    String ip = settings.anonymizeIp(v.accountId()) ? ClientAddress.truncated(v.ip()) : v.ip();
                    views.add(new Row(v));
                    visits.merge(v.visitorId(), new Visit(v, v, 1, device, where, ip), Visit::then);
                }
                case Activity.StillHere s -> pings.add(s);
                case Activity.Left l -> pings.add(l);
            }
        }
        Flush flush = new Flush();
        List<Long> fresh = List.of();
        if (!views.isEmpty()) {
            flush.add("""
                            INSERT INTO page_views (visitor_id, account_id, viewed_at, url, title, referrer)
                            SELECT v, acc, %s, u, t, r
                            FROM unnest(:pv_visitor, :pv_account, :pv_at, :pv_url, :pv_title, :pv_ref) AS x(v, acc, at, u, t, r)""".formatted(at("at")),
                    Flush.Column.of("pv_visitor", "bigint", views, r -> r.v.visitorId()),
                    Flush.Column.of("pv_account", "bigint", views, r -> r.v.accountId()),
                    Flush.Column.of("pv_at", "bigint", views, r -> micros(r.v.at())),
                    Flush.Column.of("pv_url", "text", views, r -> r.v.url()),
                    Flush.Column.of("pv_title", "text", views, r -> r.v.title()),
                    Flush.Column.of("pv_ref", "text", views, r -> r.v.referrer()));
            List<Visit> vs = new ArrayList<>(visits.values());
            fresh = vs.stream().map(v -> v.first.visitorId()).filter(id -> !hasActivityRow.containsKey(id)).toList();
            // A view more than 30 minutes after the visitor's last activity starts a new visit (its entry page).
            // Known visitors are updated, then new ones inserted: an upsert (ON CONFLICT DO UPDATE) first locks each
            // row it updates, a second write of every row per page view; the insert skips the rows just updated, and
            // is not sent at all when every visitor of the batch already has a row (the usual case).
            String rows = """
                            unnest(:va_visitor, :va_account, :va_first, :va_last,
                                   :va_pages, :va_url, :va_title, :va_entry, :va_ref, :va_ip, :va_cc, :va_region, :va_city,
                                   :va_class, :va_os, :va_osv, :va_browser, :va_bv)
                                 AS x(v, acc, first_us, last_us, n, cu, ct, eu, er, ip, cc, rg, ci, dc, osn, osv, bn, bv)
                                 CROSS JOIN LATERAL (SELECT %s AS f, %s AS l) t""".formatted(at("first_us"), at("last_us"));
            flush.add("""
                            UPDATE visitor_activity a SET
                                visits = a.visits + CASE WHEN t.f > a.last_seen_at + interval '30 minutes' THEN 1 ELSE 0 END,
                                visit_started_at = CASE WHEN t.f > a.last_seen_at + interval '30 minutes' THEN t.f ELSE a.visit_started_at END,
                                entry_url = CASE WHEN t.f > a.last_seen_at + interval '30 minutes' THEN x.eu ELSE a.entry_url END,
                                entry_referrer = CASE WHEN t.f > a.last_seen_at + interval '30 minutes' THEN x.er ELSE a.entry_referrer END,
                                last_seen_at = greatest(a.last_seen_at, t.l), left_at = NULL,
                                pages = a.pages + x.n, current_url = x.cu, current_title = x.ct, ip = coalesce(x.ip, a.ip),
                                country_code = coalesce(x.cc, a.country_code),
                                region = CASE WHEN x.cc IS NULL THEN a.region ELSE x.rg END,
                                city = CASE WHEN x.cc IS NULL THEN a.city ELSE x.ci END,
                                device_class = coalesce(x.dc, a.device_class),
                                os_name = coalesce(x.osn, a.os_name), os_version = coalesce(x.osv, a.os_version),
                                browser_name = coalesce(x.bn, a.browser_name), browser_version = coalesce(x.bv, a.browser_version)
                            FROM %s
                            WHERE a.visitor_id = x.v AND a.account_id = x.acc""".formatted(rows),
                    Flush.Column.of("va_visitor", "bigint", vs, v -> v.first.visitorId()),
                    Flush.Column.of("va_account", "bigint", vs, v -> v.first.accountId()),
                    Flush.Column.of("va_first", "bigint", vs, v -> micros(v.first.at())),
                    Flush.Column.of("va_last", "bigint", vs, v -> micros(v.last.at())),
                    Flush.Column.of("va_pages", "bigint", vs, v -> (long) v.pages),
                    Flush.Column.of("va_url", "text", vs, v -> v.last.url()),
                    Flush.Column.of("va_title", "text", vs, v -> v.last.title()),
                    Flush.Column.of("va_entry", "text", vs, v -> v.first.url()),
                    Flush.Column.of("va_ref", "text", vs, v -> v.first.referrer()),
                    Flush.Column.of("va_ip", "text", vs, v -> v.ip),
                    Flush.Column.of("va_cc", "text", vs, v -> v.where.countryCode()),
                    Flush.Column.of("va_region", "text", vs, v -> v.where.region()),
                    Flush.Column.of("va_city", "text", vs, v -> v.where.city()),
                    Flush.Column.of("va_class", "text", vs, v -> v.device.deviceClass()),
                    Flush.Column.of("va_os", "text", vs, v -> v.device.osName()),
                    Flush.Column.of("va_osv", "text", vs, v -> v.device.osVersion()),
                    Flush.Column.of("va_browser", "text", vs, v -> v.device.browserName()),
                    Flush.Column.of("va_bv", "text", vs, v -> v.device.browserVersion()));
            if (!fresh.isEmpty()) {
                flush.add("""
                                INSERT INTO visitor_activity (visitor_id, account_id, first_seen_at, last_seen_at, visit_started_at,
                                       pages, current_url, current_title, entry_url, entry_referrer, ip, country_code, region, city,
                                       device_class, os_name, os_version, browser_name, browser_version)
                                SELECT v, acc, f, l, f, n, cu, ct, eu, er, ip, cc, rg, ci, dc, osn, osv, bn, bv
                                FROM %s
                                WHERE x.v = ANY(:va_fresh) AND NOT EXISTS (SELECT 1 FROM visitor_activity e WHERE e.visitor_id = x.v)
                                ON CONFLICT (visitor_id) DO NOTHING""".formatted(rows),
                        Flush.Column.of("va_fresh", "bigint", fresh, id -> id));
            }
        }
        if (!pings.isEmpty()) {
            flush.add("""
                            UPDATE visitor_activity a SET last_seen_at = greatest(a.last_seen_at, t.at),
                                   left_at = CASE WHEN x.gone THEN t.at ELSE NULL END
                            FROM unnest(:pi_visitor, :pi_account, :pi_at, :pi_gone) AS x(v, acc, at_us, gone)
                                 CROSS JOIN LATERAL (SELECT %s AS at) t
                            WHERE a.visitor_id = x.v AND a.account_id = x.acc""".formatted(at("at_us")),
                    Flush.Column.of("pi_visitor", "bigint", pings, Activity::visitorId),
                    Flush.Column.of("pi_account", "bigint", pings, Activity::accountId),
                    Flush.Column.of("pi_at", "bigint", pings, a -> micros(a.at())),
                    Flush.Column.of("pi_gone", "boolean", pings, a -> a instanceof Activity.Left));
        }
        jdbi.useHandle(flush::execute);
        for (Long id : fresh) hasActivityRow.put(id, Boolean.TRUE);
        written.addAndGet(views.size());
        tell(visits, pings);
    }

    private void tell(Map<Long, Visit> visits, List<Activity> pings) {
        List<Stored> stored = new ArrayList<>(visits.size());
        for (Visit v : visits.values()) {
            stored.add(new Stored(v.last.accountId(), v.last.visitorId(), v.last.url(), v.last.title(), v.last.at(), false));
        }
        for (Activity a : pings) {
            if (a instanceof Activity.Left l && !visits.containsKey(l.visitorId())) {
                stored.add(new Stored(l.accountId(), l.visitorId(), null, null, l.at(), true));
            }
        }
        if (stored.isEmpty()) return;
        try {
            afterCommit.accept(stored);
        } catch (RuntimeException e) {
            // The views are stored; only the live update is lost, and the card's slow poll catches up.
            log.warn("Telling agents of {} visitors' pages failed", stored.size(), e);
        }
    }

    /** Times travel as microseconds since the epoch: no text to format here nor to parse in PostgreSQL. */
    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    /** The SQL for a {@link #micros} column back as a timestamp. */
    private static String at(String column) {
        return "(timestamptz 'epoch' + " + column + " * interval '1 microsecond')";
    }

    private Location locate(String ip) {
        if (ip == null) return Location.UNKNOWN;
        return located.computeIfAbsent(ip, locations::lookup);
    }

    private record Row(Activity.PageView v) {}

    /** A visitor's views in one batch: the first (entry, if a new visit) and the last (current page). */
    private record Visit(Activity.PageView first, Activity.PageView last, int pages, Device device, Location where, String ip) {
        Visit then(Visit later) {
            return new Visit(first, later.last, pages + later.pages, later.device, later.where, later.ip);
        }
    }

    /** Stores what was queued, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
