package app.parley.realtime;

import app.parley.contact.CardScope;
import app.parley.core.Json;
import app.parley.tracking.PageViewWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The card's live browsing history (issue #11 §1): after the page-view writer commits a batch, a {@code visitor.page}
 * signal to each dashboard that shows that visitor's card ({@link Hub#watch}) and whose agent may see the visitor (by
 * {@link CardScope}, as the card itself), so an open card fetches the new page at once. Ephemeral, like typing: page
 * views are not journal events, and a dashboard that missed one reads the card again when it reconnects. Visitors
 * whose card nobody has open cost nothing here: no query, no frame.
 */
public final class LivePages implements Consumer<List<PageViewWriter.Stored>>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LivePages.class);

    private final Hub hub;
    private final Jdbi jdbi;
    // Joined on close: the executor counts as terminated a moment before its thread has ended.
    private volatile Thread worker;
    // The scope query runs here, not on the page-view writer's thread: ingest never waits for it. One thread keeps
    // batches in order; when it falls behind the oldest batches' signals are dropped (the card's slow poll remains).
    // After close, DiscardOldestPolicy drops new batches silently (the writer's last flush may still call accept).
    private final ExecutorService teller = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64), r -> worker = Thread.ofPlatform().daemon().name("parley-live-pages").unstarted(r),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    /** Per watched visitor, the time of the last page told here: the poll reads only what came after it. */
    private final Map<Long, java.time.Instant> told = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Thread poller;
    private volatile boolean running = true;

    public LivePages(Hub hub, Jdbi jdbi) {
        this.hub = hub;
        this.jdbi = jdbi;
    }

    /**
     * Several nodes (issue #15): a visitor's pages are written by the node their chat box is connected to, which
     * knows nothing of the cards open on other nodes. Each node therefore reads, every {@code every}, the pages of
     * the visitors whose card its own dashboards show: one query for all of them, none when no card is open.
     */
    public void pollOtherNodes(java.time.Duration every) {
        poller = Thread.ofVirtual().name("parley-live-pages-poll").start(() -> {
            while (running) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    poll();
                } catch (RuntimeException e) {
                    if (running) log.warn("Reading watched visitors' pages failed: {}", e.getMessage());
                }
            }
        });
    }

    /**
     * The newest page of each watched visitor, told when it is newer than the last one told here and than the card's
     * opening. Pages are compared by the time they were viewed, not by when their batch committed (the node that
     * wrote them may have been slow), so none is missed for having committed late.
     */
    private void poll() {
        Map<Long, java.time.Instant> watched = hub.watchedVisitors();
        told.keySet().retainAll(watched.keySet());
        if (watched.isEmpty()) return;
        Map<Long, PageViewWriter.Stored> newest = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT DISTINCT ON (visitor_id) account_id, visitor_id, url, title, viewed_at FROM page_views
                        WHERE visitor_id = ANY(:v) ORDER BY visitor_id, viewed_at DESC""")
                .bindArray("v", Long.class, List.copyOf(watched.keySet()))
                .map((rs, ctx) -> new PageViewWriter.Stored(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), false))
                .forEach(st -> {
                    java.time.Instant last = told.getOrDefault(st.visitorId(), watched.get(st.visitorId()));
                    if (st.at().isAfter(last)) newest.put(st.visitorId(), st);
                }));
        if (!newest.isEmpty()) tell(newest);
    }

    @Override
    public void accept(List<PageViewWriter.Stored> batch) {
        // The newest change per visitor whose card some dashboard shows.
        Map<Long, PageViewWriter.Stored> watched = new LinkedHashMap<>();
        for (PageViewWriter.Stored s : batch) {
            if (!hub.watchers(s.visitorId()).isEmpty()) watched.put(s.visitorId(), s);
        }
        if (watched.isEmpty()) return;
        teller.execute(() -> {
            try {
                tell(watched);
            } catch (RuntimeException e) {
                log.warn("Telling agents of {} visitors' pages failed", watched.size(), e);
            }
        });
    }

    private void tell(Map<Long, PageViewWriter.Stored> watched) {
        watched.values().forEach(st -> told.merge(st.visitorId(), st.at(), (a, b) -> a.isAfter(b) ? a : b));
        Map<Long, CardScope> scopes = jdbi.withHandle(h -> CardScope.ofVisitors(h, new ArrayList<>(watched.keySet())));
        for (PageViewWriter.Stored s : watched.values()) {
            CardScope scope = scopes.get(s.visitorId());
            String frame = frame(s);
            for (Client c : hub.watchers(s.visitorId())) {
                if (c.accountId() == s.accountId() && scope.seenBy(c.viewer())) c.signal(frame);
            }
        }
    }

    private String frame(PageViewWriter.Stored s) {
        ObjectNode f = Json.object();
        f.put("type", "visitor.page");
        f.put("ephemeral", true);
        f.put("seq", hub.lastSeq(s.accountId()));
        ObjectNode d = f.putObject("data");
        d.put("visitor_id", s.visitorId());
        d.put("url", s.url());
        d.put("title", s.title());
        d.put("at", s.at().toString());
        d.put("left", s.left());
        return Json.write(f);
    }

    /**
     * Stops the teller thread; call after the page-view writer has closed and before the database does. Signals still
     * queued are ephemeral and dropped: a reconnecting dashboard reads the card again.
     */
    @Override
    public void close() {
        running = false;
        Thread p = poller;
        if (p != null) p.interrupt();
        teller.shutdownNow();
        try {
            Thread t = worker;
            if (!teller.awaitTermination(5, TimeUnit.SECONDS) || t != null && !t.join(java.time.Duration.ofSeconds(5))) {
                log.warn("The live pages thread did not stop in 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
