package app.parley.channel.messenger;

import app.parley.contact.ChannelVisitors;
import app.parley.conversation.Channel;
import app.parley.conversation.ChannelInbound;
import app.parley.conversation.ChannelMessages;
import app.parley.conversation.VisitorActions;
import app.parley.core.CardNumberMasker;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.store.Jobs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job that turns one stored webhook body into Parley's records, after Meta was answered. Bodies are processed
 * one at a time in arrival order (one queue key), so a customer's messages keep their order; a body processed
 * twice (a crash before it was marked) finds its messages by {@code mid} and stores nothing twice.
 */
final class InboundProcessor implements Jobs.BatchHandler {
    private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);
    static final String KIND = "messenger.inbound";
    static final String QUEUE = "messenger:inbound";

    /** {@code profileJob}: the id of the profile job queued with a new contact (0 when the contact was known). */
    private record Who(long accountId, long visitorId, boolean isNew, long profileJob) {
        Who(long accountId, long visitorId, boolean isNew) {
            this(accountId, visitorId, isNew, 0);
        }
    }

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final ChannelInbound inbound;
    private final VisitorActions visitors;
    private final Runnable jobsEnqueued;
    private final ProfileFetcher profiles;

    private final DeliveryStates states;

    InboundProcessor(Jdbi jdbi, Jobs.Gate gate, ChannelInbound inbound, VisitorActions visitors, ProfileFetcher profiles,
                     Runnable jobsEnqueued, DeliveryStates states) {
        this.states = states;
        this.profiles = profiles;
        this.jdbi = jdbi;
        this.gate = gate;
        this.inbound = inbound;
        this.visitors = visitors;
        this.jobsEnqueued = jobsEnqueued;
    }

    /**
     * The bodies of the jobs handed over together (the queue is coalescing: the head and the jobs queued behind it),
     * in arrival order, at most {@link #BODIES_PER_RUN} of them; the rest go back to the queue, in order, for the
     * next run. Under load one run, one read and a few journal batches serve many POSTs, instead of a job's claim,
     * read and record each.
     */
    @Override
    public Jobs.Batch runAll(List<Jobs.Job> jobs) {
        List<Jobs.Job> now = jobs.subList(0, Math.min(jobs.size(), BODIES_PER_RUN));
        List<Long> wanted = now.stream().map(j -> Long.parseLong(j.payload())).toList();
        record Body(long id, byte[] bytes) {}
        List<Body> bodies = gate.call(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, body FROM messenger_inbox WHERE id = ANY(:ids) AND processed_at IS NULL ORDER BY id")
                .bindArray("ids", Long.class, wanted).map((rs, ctx) -> new Body(rs.getLong(1), rs.getBytes(2))).list()));
        Run run = new Run();
        for (int from = 0; from < bodies.size(); from += BATCH) {
            List<Body> chunk = bodies.subList(from, Math.min(bodies.size(), from + BATCH));
            List<CompletableFuture<?>> writes = process(run,
                    chunk.stream().map(b -> Json.tree(new String(b.bytes(), java.nio.charset.StandardCharsets.UTF_8))).toList());
            run.submitted.add(new Submitted(chunk.stream().map(Body::id).toList(), writes));
            run.settle(IN_FLIGHT - 1);
        }
        run.settle(0);
        Instant soon = Instant.now();
        List<Jobs.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            outcomes.add(i < now.size() ? new Jobs.Outcome.Done(Jobs.Write.NOTHING)
                    : new Jobs.Outcome.RetryAt(soon, "waits for the next run", Jobs.Write.NOTHING));
        }
        return new Jobs.Batch(outcomes, Jobs.Write.NOTHING);
    }

    // Small enough that one journal batch of Messenger messages never holds the chat back for long.
    private static final int BATCH = 5;
    /*
     * Chunks whose journal writes may be on their way at once. The journal runs commands in the order they were
     * submitted, so a chunk need not wait for the one before it to commit: waiting for each in turn left the run idle
     * for a whole journal round (tens of milliseconds beside a busy chat) every 50 events. Four keep at most 200
     * Messenger commands ahead of the chat's in the journal's queue.
     */
    private static final int IN_FLIGHT = 4;
    /*
     * Every run of a coalescing queue leases the jobs queued behind its head (up to 256, store.Jobs) and records an
     * outcome for each, so a run takes most of what it leased rather than handing it back (20 bodies a run once
     * re-leased a backlog of thousands for 200 events). It holds the job slots while it runs and must end well
     * within its lease (a minute).
     */
    static final int BODIES_PER_RUN = 200;
    private static final java.time.Duration PROFILE_RETRY = java.time.Duration.ofSeconds(30);
    private static final int PROFILE_CALLS_AT_ONCE = 16;

    private record Submitted(List<Long> bodyIds, List<CompletableFuture<?>> writes) {}

    /** What one run has seen and sent, so its chunks can follow each other without waiting for each commit. */
    private final class Run {
        // The mids taken by this run, committed or not: a mid repeated in a later chunk is not stored twice.
        final Set<String> known = new HashSet<>();
        final Map<String, Who> who = new HashMap<>();
        final java.util.ArrayDeque<Submitted> submitted = new java.util.ArrayDeque<>();

        /**
         * Waits until every message taken so far is committed: a delivery, a read or a reaction changes rows those
         * messages write (a reaction to the shop's answer from Facebook a moment before), so it must come after them.
         */
        void caughtUp(List<CompletableFuture<?>> current) {
            for (Submitted s : submitted) for (CompletableFuture<?> f : s.writes()) f.join();
            for (CompletableFuture<?> f : current) f.join();
        }

        /** Waits for the oldest chunks until at most {@code leave} are on their way, marking each body once its writes committed. */
        void settle(int leave) {
            boolean wrote = false;
            while (submitted.size() > leave) {
                Submitted s = submitted.poll();
                for (CompletableFuture<?> f : s.writes()) f.join();
                wrote |= !s.writes().isEmpty();
                gate.call(() -> jdbi.inTransaction(h -> {
                    // Losing this mark in a crash only repeats the chunk, which the mids make harmless: no fsync to wait for.
                    h.execute("SET LOCAL synchronous_commit = off");
                    return h.createUpdate("UPDATE messenger_inbox SET processed_at = now() WHERE id = ANY(:ids)")
                            .bindArray("ids", Long.class, s.bodyIds()).execute();
                }));
            }
            if (wrote) jobsEnqueued.run();
        }
    }

    /** Submits the chunk's messages to the journal; the futures complete when they are committed. */
    private List<CompletableFuture<?>> process(Run run, List<JsonNode> roots) {
        List<MessengerEvent> events = new ArrayList<>();
        Map<String, Pages.Credentials> pages = new HashMap<>();
        for (JsonNode root : roots) {
            // Within a body, timestamp order; bodies in the order they arrived.
            events.addAll(eventsOf(root, pages));
        }
        return apply(run, events, pages);
    }

    private List<MessengerEvent> eventsOf(JsonNode root, Map<String, Pages.Credentials> pages) {
        List<MessengerEvent> events = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            String pageId = entry.path("id").asText("");
            Pages.Credentials page = pages.computeIfAbsent(pageId,
                    p -> gate.call(() -> jdbi.withHandle(h -> Pages.credentials(h, p))).orElse(null));
            if (page == null) {
                // Another Parley's page, or one disconnected since: nobody here may read it.
                log.info("Messenger: an entry for page {} that no account has connected was ignored", pageId);
                continue;
            }
            events.addAll(MessengerEvent.of(pageId, entry.path("messaging")));
        }
        events.sort(java.util.Comparator.comparing(MessengerEvent::at));
        return events;
    }

    private List<CompletableFuture<?>> apply(Run run, List<MessengerEvent> events, Map<String, Pages.Credentials> pages) {
        Set<String> known = run.known;
        known.addAll(knownMids(events));
        Map<String, Who> who = run.who;
        knownContacts(events, pages, who);
        firstContacts(events, pages, who);
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (MessengerEvent e : events) {
            Pages.Credentials page = pages.get(e.pageId());
            if (e.psid() == null) continue;
            switch (e) {
                case MessengerEvent.Text t -> {
                    if (t.mid() == null || !known.add(t.mid())) continue;
                    Who w = who(who, page, t.psid());
                    writes.add(inbound.arrive(arrival(w, t.mid(), text(t.text()), preview(t.attachments()),
                            textData(t), t.at()), (tx, m) -> recordIn(tx, page, t.psid(), m, "in", t.at(), t.attachments())));
                }
                case MessengerEvent.Postback p -> {
                    if (!known.add(p.mid())) continue;
                    Who w = who(who, page, p.psid());
                    ObjectNode data = data(p.mid());
                    ((ObjectNode) data.get("messenger")).put("postback", p.payload());
                    String title = text(p.title() == null ? p.payload() : p.title());
                    writes.add(inbound.arrive(arrival(w, p.mid(), title, null, Json.write(data), p.at()),
                            (tx, m) -> recordIn(tx, page, p.psid(), m, "in", p.at(), List.of())));
                }
                case MessengerEvent.Echo echo -> {
                    // Parley's own reply (its mid is known, or it is our app's and its Send API answer is still on the
                    // way): it is stored already. Anything else is the shop answering from Facebook.
                    if (echo.mid() == null || !known.add(echo.mid()) || page.appId().equals(echo.appId())) continue;
                    Who w = who(who, page, echo.psid());
                    ObjectNode data = data(echo.mid());
                    ((ObjectNode) data.get("messenger")).put("sent_outside_parley", true).put("app_id", echo.appId());
                    attachmentsData(data, echo.attachments());
                    writes.add(inbound.echo(arrival(w, echo.mid(), text(echo.text()), preview(echo.attachments()),
                            Json.write(data), echo.at()), (tx, m) -> recordIn(tx, page, echo.psid(), m, "echo", echo.at(), echo.attachments())));
                }
                case MessengerEvent.Delivery d -> {
                    run.caughtUp(writes);
                    List<Long> delivered = gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                                    UPDATE messenger_messages SET delivery_status = 'delivered', delivered_at = coalesce(delivered_at, :wm)
                                    WHERE page_id = :p AND psid = :psid AND direction = 'out' AND delivery_status = 'sent'
                                      AND (mid = ANY(:mids) OR sent_at <= :wm)
                                    RETURNING message_id""")
                            .bind("p", d.pageId()).bind("psid", d.psid()).bind("wm", Timestamp.from(d.watermark()))
                            .bindArray("mids", String.class, d.mids()).mapTo(Long.class).list()));
                    for (long id : delivered) states.announce(page.accountId(), id, ChannelMessages.Delivery.DELIVERED, null);
                }
                case MessengerEvent.Read r -> {
                    run.caughtUp(writes);
                    read(page, r);
                }
                case MessengerEvent.Reaction r -> {
                    run.caughtUp(writes);
                    String reaction = r.react() ? Input.name("reaction", CardNumberMasker.mask(r.reaction())) : null;
                    String emoji = r.react() ? r.emoji() : null;
                    List<Long> reacted = gate.call(() -> jdbi.withHandle(h -> h.createQuery("""
                                    UPDATE messenger_messages SET reaction = :r, reaction_emoji = :e WHERE mid = :mid AND page_id = :p
                                    RETURNING message_id""")
                            .bind("r", reaction).bind("e", emoji).bind("mid", r.mid()).bind("p", r.pageId())
                            .mapTo(Long.class).list()));
                    for (long id : reacted) states.reacted(page.accountId(), id, reaction, emoji);
                }
            }
        }
        return writes;
    }

    /** The mids of this body Parley has already: a redelivery, or the echo of a reply it sent. */
    private Set<String> knownMids(List<MessengerEvent> events) {
        List<String> mids = new ArrayList<>();
        for (MessengerEvent e : events) {
            switch (e) {
                case MessengerEvent.Text t -> mids.add(t.mid());
                case MessengerEvent.Postback p -> mids.add(p.mid());
                case MessengerEvent.Echo x -> mids.add(x.mid());
                default -> { }
            }
        }
        mids.removeIf(java.util.Objects::isNull);
        if (mids.isEmpty()) return new HashSet<>();
        return gate.call(() -> jdbi.withHandle(h -> new HashSet<>(h.createQuery(
                        "SELECT mid FROM messenger_messages WHERE mid = ANY(:m)")
                .bindArray("m", String.class, mids).mapTo(String.class).list())));
    }

    /** Everything Parley sent before the watermark is seen: the thread's "Seen" moves with the journal's read mark. */
    private void read(Pages.Credentials page, MessengerEvent.Read r) {
        record Last(long messageId, long conversationId, long visitorId) {}
        List<Long> seen = new java.util.ArrayList<>();
        Optional<Last> last = gate.call(() -> jdbi.inTransaction(h -> {
            seen.clear();
            seen.addAll(h.createQuery("""
                            UPDATE messenger_messages SET delivery_status = 'seen', seen_at = :wm,
                                   delivered_at = coalesce(delivered_at, :wm)
                            WHERE page_id = :p AND psid = :psid AND direction = 'out' AND sent_at <= :wm
                              AND delivery_status IN ('sent', 'delivered')
                            RETURNING message_id""")
                    .bind("p", page.pageId()).bind("psid", r.psid()).bind("wm", Timestamp.from(r.watermark()))
                    .mapTo(Long.class).list());
            return h.createQuery("""
                            SELECT m.message_id, m.conversation_id, c.visitor_id FROM messenger_messages m
                            JOIN messenger_contacts c ON c.page_id = m.page_id AND c.psid = m.psid
                            WHERE m.page_id = :p AND m.psid = :psid AND m.direction = 'out' AND m.delivery_status = 'seen'
                            ORDER BY m.message_id DESC LIMIT 1""")
                    .bind("p", page.pageId()).bind("psid", r.psid())
                    .map((rs, ctx) -> new Last(rs.getLong(1), rs.getLong(2), rs.getLong(3))).findOne();
        }));
        for (long id : seen) states.announce(page.accountId(), id, ChannelMessages.Delivery.SEEN, null);
        last.ifPresent(l -> visitors.read(new VisitorActions.Who(page.accountId(), l.visitorId(), l.conversationId()), l.messageId()).join());
    }

    /**
     * The customers of these events Parley knows already, read in one query per page: a customer's own look-up (a
     * transaction each) is left for first contacts only.
     */
    private void knownContacts(List<MessengerEvent> events, Map<String, Pages.Credentials> pages, Map<String, Who> who) {
        Map<String, Set<String>> psids = new HashMap<>();
        for (MessengerEvent e : events) {
            if (e.psid() != null && pages.get(e.pageId()) != null && !who.containsKey(e.pageId() + ":" + e.psid())) {
                psids.computeIfAbsent(e.pageId(), p -> new HashSet<>()).add(e.psid());
            }
        }
        for (var page : psids.entrySet()) {
            long accountId = pages.get(page.getKey()).accountId();
            gate.call(() -> jdbi.withHandle(h -> h.createQuery(
                            "SELECT psid, visitor_id FROM messenger_contacts WHERE page_id = :p AND psid = ANY(:s)")
                    .bind("p", page.getKey()).bindArray("s", String.class, List.copyOf(page.getValue()))
                    .map((rs, ctx) -> Map.entry(page.getKey() + ":" + rs.getString(1), new Who(accountId, rs.getLong(2), false)))
                    .list())).forEach(e -> who.put(e.getKey(), e.getValue()));
        }
    }

    /**
     * The customers of these events who write for the first time, made in one transaction, then their profiles looked
     * up at once, side by side: one by one, each new customer cost a transaction, a Graph call and a journal round
     * trip (their name) before the next, and a page with many new customers processed a handful of events a second.
     */
    private void firstContacts(List<MessengerEvent> events, Map<String, Pages.Credentials> pages, Map<String, Who> who) {
        Map<String, Pages.Credentials> fresh = new java.util.LinkedHashMap<>();
        for (MessengerEvent e : events) {
            Pages.Credentials page = pages.get(e.pageId());
            if (page == null || e.psid() == null || !storesMessage(e, page)) continue;
            String key = e.pageId() + ":" + e.psid();
            if (!who.containsKey(key)) fresh.put(key, page);
        }
        if (fresh.isEmpty()) return;
        Map<String, Who> made = gate.call(() -> jdbi.inTransaction(h -> {
            Map<String, Who> m = new HashMap<>();
            for (var f : fresh.entrySet()) m.put(f.getKey(), contact(h, f.getValue(), f.getKey().substring(f.getValue().pageId().length() + 1)));
            return m;
        }));
        who.putAll(made);
        List<Thread> lookups = new ArrayList<>();
        List<Long> fetched = java.util.Collections.synchronizedList(new ArrayList<>());
        // Side by side, but not a thousand at once against the Graph API's rate limits.
        java.util.concurrent.Semaphore calls = new java.util.concurrent.Semaphore(PROFILE_CALLS_AT_ONCE);
        for (var m : made.entrySet()) {
            if (!m.getValue().isNew()) continue;
            String pageId = fresh.get(m.getKey()).pageId();
            String psid = m.getKey().substring(pageId.length() + 1);
            long job = m.getValue().profileJob();
            lookups.add(Thread.ofVirtual().name("messenger-profile").start(() -> {
                try {
                    calls.acquire();
                    try {
                        if (profiles.now(pageId, psid)) fetched.add(job);
                    } finally {
                        calls.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // The profile job queued with the contact tries again.
                    log.info("Messenger: a new customer's profile of page {} was not fetched now: {}", pageId, e.toString());
                }
            }));
        }
        for (Thread t : lookups) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // The safety nets of the look-ups that worked are not needed: left, they came due together 30 s later and
        // took the job runner from the Messenger queue for a second or two (a hole in the processed events per second).
        if (!fetched.isEmpty()) gate.call(() -> jdbi.withHandle(h -> {
            Jobs.cancel(h, fetched);
            return null;
        }));
    }

    /** Whether this event may store a message for its customer (and so make them a contact). */
    private static boolean storesMessage(MessengerEvent e, Pages.Credentials page) {
        return switch (e) {
            case MessengerEvent.Text t -> t.mid() != null;
            case MessengerEvent.Postback p -> true;
            case MessengerEvent.Echo x -> x.mid() != null && !page.appId().equals(x.appId());
            default -> false;
        };
    }

    /** The visitor a PSID is (made by {@link #firstContacts} before the events are applied). */
    private Who who(Map<String, Who> cache, Pages.Credentials page, String psid) {
        return cache.computeIfAbsent(page.pageId() + ":" + psid, k -> {
            Who w = gate.call(() -> jdbi.inTransaction(h -> contact(h, page, psid)));
            if (w.isNew()) profiles.now(page.pageId(), psid);
            return w;
        });
    }

    private static Who contact(Handle h, Pages.Credentials page, String psid) {
        Optional<Long> known = h.createQuery("SELECT visitor_id FROM messenger_contacts WHERE page_id = :p AND psid = :s")
                .bind("p", page.pageId()).bind("s", psid).mapTo(Long.class).findOne();
        if (known.isPresent()) return new Who(page.accountId(), known.get(), false);
        long visitorId = ChannelVisitors.ensure(h, page.accountId(), "messenger:" + page.pageId() + ":" + psid);
        h.createUpdate("""
                        INSERT INTO messenger_contacts (page_id, psid, account_id, visitor_id) VALUES (:p, :s, :a, :v)
                        ON CONFLICT DO NOTHING""")
                .bind("p", page.pageId()).bind("s", psid).bind("a", page.accountId()).bind("v", visitorId).execute();
        // The safety net behind the look-up made at once (ProfileFetcher.now): due later, so that a job runner does not
        // fetch the same profile beside it; it finds nothing to do when the look-up worked.
        long job = Jobs.enqueue(h, ProfileFetcher.KIND, null, page.pageId() + ":" + psid, Instant.now().plus(PROFILE_RETRY));
        return new Who(page.accountId(), visitorId, true, job);
    }

    private static ChannelInbound.Arrival arrival(Who w, String mid, String text, String preview, String data, Instant at) {
        return new ChannelInbound.Arrival(w.accountId(), w.visitorId(), Channel.FACEBOOK, mid, text, preview, data,
                at.atOffset(ZoneOffset.UTC));
    }

    /** Parley's rows beside the message, in its transaction: the mid (de-duplication), the attachments to fetch. */
    private static void recordIn(app.parley.store.Tx tx, Pages.Credentials page, String psid, app.parley.conversation.Message m,
                                 String direction, Instant at, List<MessengerEvent.Attachment> attachments) {
        InboundRows.of(tx).add(new InboundRows.Row(m.id(), m.clientId(), m.accountId(), m.conversationId(), page.pageId(),
                psid, direction, at));
        if (attachments.isEmpty()) return;
        Handle h = tx.handle();
        for (MessengerEvent.Attachment a : attachments) {
            long attachmentId = h.createQuery("""
                            INSERT INTO messenger_attachments (message_id, account_id, type, source_url)
                            VALUES (:m, :a, :t, :u) RETURNING id""")
                    .bind("m", m.id()).bind("a", m.accountId()).bind("t", a.type()).bind("u", a.url())
                    .mapTo(Long.class).one();
            // Meta's CDN URL expires within days: the file is fetched now, in a job that survives restarts.
            if (a.url() != null) Jobs.enqueue(h, AttachmentFetcher.KIND, null, Long.toString(attachmentId), null);
        }
    }

    private static ObjectNode data(String mid) {
        ObjectNode data = Json.object();
        data.putObject("messenger").put("mid", mid);
        return data;
    }

    private static String textData(MessengerEvent.Text t) {
        ObjectNode data = data(t.mid());
        ObjectNode m = ((ObjectNode) data.get("messenger"));
        if (t.quickReply() != null) m.put("quick_reply", t.quickReply());
        if (t.replyTo() != null) m.put("reply_to", t.replyTo());
        attachmentsData(data, t.attachments());
        return Json.write(data);
    }

    private static void attachmentsData(ObjectNode data, List<MessengerEvent.Attachment> attachments) {
        if (attachments.isEmpty()) return;
        ArrayNode list = ((ObjectNode) data.get("messenger")).putArray("attachments");
        for (int i = 0; i < attachments.size(); i++) list.addObject().put("index", i).put("type", attachments.get(i).type());
    }

    /** A customer's or an admin's text as stored: control characters dropped, card numbers masked, clipped. */
    static String text(String raw) {
        if (raw == null) return null;
        StringBuilder b = new StringBuilder(raw.length());
        raw.codePoints().filter(c -> c >= 0x20 || c == '\n' || c == '\t').filter(c -> c != 0x7f).forEach(b::appendCodePoint);
        String t = b.toString().strip();
        if (t.isEmpty()) return null;
        if (t.length() > Input.MAX_TEXT) t = t.substring(0, Input.MAX_TEXT);
        return CardNumberMasker.mask(t);
    }

    private static String preview(List<MessengerEvent.Attachment> attachments) {
        if (attachments.isEmpty()) return null;
        return switch (attachments.getFirst().type()) {
            case "image" -> "📷 Image";
            case "video" -> "🎬 Video";
            case "audio" -> "🎤 Audio";
            default -> "📎 File";
        };
    }
}
