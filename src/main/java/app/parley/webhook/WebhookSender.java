package app.parley.webhook;

import app.parley.store.Jobs;
import app.parley.store.RetrySchedule;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs that post deliveries to their endpoints: a 2xx is delivered; anything else (an error status, a redirect,
 * a timeout, a refused connection) is retried on the {@link RetrySchedule} until it is dead. Redirects are never
 * followed: a signed body goes only to the address the admin entered.
 *
 * <p>Two kinds of job, so that the common case costs one job per endpoint and consumer batch, not one per event:
 * <ul>
 * <li>{@link #BATCH}: an endpoint's deliveries made from one batch of events, in event order; an endpoint's batches
 * run one after the other. A conversation's deliveries in it go one after the other, conversations side by side.
 * When one fails, it and the rest of its conversation move to that conversation's own queue of {@link #KIND} jobs,
 * and the batch goes on: a failing conversation holds back only itself. A later batch finding a conversation's
 * queue still there puts that conversation's deliveries behind it.
 * <li>{@link #KIND}: one delivery: a retry in its conversation's queue, a test event, an admin's resend.
 * </ul>
 */
public final class WebhookSender implements Jobs.BatchHandler {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    public static final String KIND = "webhook.deliver";
    public static final String BATCH = "webhook.deliver_batch";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR = 500;

    /**
     * A delivery to post. {@code body} is what is sent: the row's own, or rendered from the event log when the row
     * has none ({@code stored} false); null when neither is there any more (the event was pruned).
     */
    private record Target(long deliveryId, long endpointId, long accountId, Long seq, Long conversationId, int attempts,
                          String url, String secret, boolean active, String event, String body, boolean stored, boolean hasRow) {
        /** The body to keep on the row when the delivery leaves the happy path: it may outlive its event. */
        String toKeep() {
            return stored ? null : body;
        }
    }

    private final Jdbi jdbi;
    private final Jobs.Gate gate;
    private final RetrySchedule schedule;
    private final HttpClient http = Http.CLIENT;

    /**
     * One client for the process (a test JVM makes many Parleys): Jetty's, whose cost per POST is a fraction of the
     * JDK client's, which at a delivery per chat message weighed as much as the chat. Keep-alive HTTP/1.1, no
     * redirects, daemon threads: it never holds a stopping process.
     */
    private static final class Http {
        static final HttpClient CLIENT = start();

        private static HttpClient start() {
            HttpClient c = new HttpClient();
            QueuedThreadPool threads = new QueuedThreadPool(16, 1);
            threads.setName("parley-webhook-http");
            threads.setDaemon(true);
            c.setExecutor(threads);
            c.setScheduler(new ScheduledExecutorScheduler("parley-webhook-timeouts", true));
            c.setFollowRedirects(false);
            c.setConnectTimeout(5_000);
            c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Parley-Webhooks/1"));
            // No redirects, no authentication challenges, no Expect: 100-continue: nothing for a protocol handler to
            // do, and each response was matched against them all.
            c.getProtocolHandlers().clear();
            // A batch posts a request per conversation at once: they queue here rather than fail.
            c.setMaxRequestsQueuedPerDestination(1 << 20);
            try {
                c.start();
            } catch (Exception e) {
                throw new IllegalStateException("The webhook HTTP client did not start", e);
            }
            return c;
        }
    }

    public WebhookSender(Jdbi jdbi, Jobs.Gate gate, RetrySchedule schedule) {
        this.jdbi = jdbi;
        this.gate = gate;
        this.schedule = schedule;
    }

    /** Deliveries of one conversation to one endpoint queue behind each other; others do not wait. */
    static String queueKey(long endpointId, Long conversationId) {
        return conversationId == null ? null : "webhook:" + endpointId + ":" + conversationId;
    }

    /** An endpoint's batches run in order. */
    static String batchKey(long endpointId) {
        return "webhook:" + endpointId;
    }

    /**
     * What a delivery attempt came to, recorded on its row with the others of its batch; {@code keep}: the body to
     * store on the row (it had none and did not get through).
     */
    private record Attempt(long deliveryId, String state, Integer status, String error, Instant next, String keep) {}

    /** A delivery that goes to its conversation's queue: after a failure (due at its retry), or behind one. */
    private record Moved(long deliveryId, String queueKey, Instant due, int attempts, String keep) {}

    /** A conversation's part of a batch: what was attempted, and what moved to its queue. */
    private record Part(List<Attempt> attempts, List<Moved> moved) {
        static final Part NONE = new Part(List.of(), List.of());
    }

    /**
     * A delivery as a job names it: by its row ({@code id}: a test event, a resend, a retry, a visitor's arrival or
     * departure), or, made from the event log and without a row yet, by its event ({@code id:seq:conversation:event},
     * a {@link #BATCH} job's entries as {@link WebhookConsumer} writes them).
     */
    private record Named(long id, long endpointId, Long seq, Long conversationId, String event) {
        boolean hasRow() {
            return seq == null;
        }
    }

    private static List<Named> named(Jobs.Job job) {
        // A batch's queue key is its endpoint's (batchKey); a single delivery's row names its endpoint.
        long endpoint = job.kind().equals(BATCH) && job.queueKey() != null ? Long.parseLong(job.queueKey().substring(8)) : -1;
        List<Named> out = new ArrayList<>();
        for (String entry : job.payload().split(",")) {
            if (entry.indexOf(':') < 0) {
                out.add(new Named(Long.parseLong(entry), endpoint, null, null, null));
                continue;
            }
            String[] f = entry.split(":", 4);
            out.add(new Named(Long.parseLong(f[0]), endpoint, Long.parseLong(f[1]), f[2].isEmpty() ? null : Long.parseLong(f[2]), f[3]));
        }
        return out;
    }

    /**
     * Runs jobs of one kind together: what the deliveries need (their rows, or their events from the log) is read in
     * two queries, posts go out concurrently, and the outcomes are written in a few statements that commit with the
     * jobs': a delivery made from the log gets its row here, once, with its outcome (no body unless it failed).
     */
    @Override
    public Jobs.Batch runAll(List<Jobs.Job> jobs) {
        List<List<Named>> namedOfJob = jobs.stream().map(WebhookSender::named).toList();
        List<Named> withRow = namedOfJob.stream().flatMap(List::stream).filter(Named::hasRow).toList();
        List<Named> fromLog = namedOfJob.stream().flatMap(List::stream).filter(n -> !n.hasRow()).toList();
        Map<Long, Target> targets = new HashMap<>();
        Set<String> waiting = new HashSet<>();
        gate.call(() -> jdbi.withHandle(h -> {
            // A row without a body is rendered from its event, read by the log's primary key (LIMIT 1 keeps it a probe
            // per row: a hash join over the whole log costs more the longer the log).
            if (!withRow.isEmpty()) h.createQuery("""
                            SELECT d.id, d.endpoint_id, d.conversation_id, d.attempts, e.url, e.secret,
                                   e.active AND NOT EXISTS (SELECT 1 FROM accounts acc
                                                            WHERE acc.id = e.account_id AND acc.suspended_at IS NOT NULL),
                                   d.event, d.body, d.account_id, ev.type, ev.created_at, ev.agent_payload, d.event_seq
                            FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                            LEFT JOIN LATERAL (SELECT type, created_at, agent_payload FROM events
                                               WHERE d.body IS NULL AND account_id = d.account_id AND seq = d.event_seq
                                               LIMIT 1) ev ON true
                            WHERE d.id = ANY(:ids)""")
                    .bindArray("ids", Long.class, withRow.stream().map(Named::id).toList())
                    .map((rs, ctx) -> {
                        String stored = rs.getString(9);
                        String event = rs.getString(8);
                        Long conversation = (Long) rs.getObject(3);
                        String body = stored != null ? stored : rs.getString(11) == null ? null : WebhookPayloads.render(
                                event, rs.getString(11), rs.getTimestamp(12).toInstant(), rs.getLong(10), conversation, rs.getString(13));
                        return new Target(rs.getLong(1), rs.getLong(2), rs.getLong(10), (Long) rs.getObject(14), conversation,
                                rs.getInt(4), rs.getString(5), rs.getString(6), rs.getBoolean(7), event, body, stored != null, true);
                    })
                    .forEach(t -> targets.put(t.deliveryId(), t));
            if (!fromLog.isEmpty()) {
                Map<Long, Named> byId = new HashMap<>();
                for (Named n : fromLog) byId.put(n.id(), n);
                h.createQuery("""
                                SELECT t.id, e.id, e.account_id, e.url, e.secret,
                                       e.active AND NOT EXISTS (SELECT 1 FROM accounts acc
                                                                WHERE acc.id = e.account_id AND acc.suspended_at IS NOT NULL),
                                       ev.type, ev.created_at, ev.agent_payload
                                FROM unnest(:ids, :endpoints, :seqs) AS t(id, endpoint_id, seq)
                                JOIN webhook_endpoints e ON e.id = t.endpoint_id
                                LEFT JOIN LATERAL (SELECT type, created_at, agent_payload FROM events
                                                   WHERE account_id = e.account_id AND seq = t.seq LIMIT 1) ev ON true""")
                        .bindArray("ids", Long.class, fromLog.stream().map(Named::id).toList())
                        .bindArray("endpoints", Long.class, fromLog.stream().map(Named::endpointId).toList())
                        .bindArray("seqs", Long.class, fromLog.stream().map(Named::seq).toList())
                        .map((rs, ctx) -> {
                            Named n = byId.get(rs.getLong(1));
                            long account = rs.getLong(3);
                            String body = rs.getString(7) == null ? null : WebhookPayloads.render(n.event(), rs.getString(7),
                                    rs.getTimestamp(8).toInstant(), account, n.conversationId(), rs.getString(9));
                            return new Target(n.id(), n.endpointId(), account, n.seq(), n.conversationId(), 0, rs.getString(4),
                                    rs.getString(5), rs.getBoolean(6), n.event(), body, false, false);
                        })
                        .forEach(t -> targets.put(t.deliveryId(), t));
            }
            if (jobs.getFirst().kind().equals(BATCH)) {
                List<String> keys = targets.values().stream().map(t -> queueKey(t.endpointId(), t.conversationId()))
                        .filter(java.util.Objects::nonNull).distinct().toList();
                waiting.addAll(h.createQuery("""
                                SELECT DISTINCT queue_key FROM jobs WHERE queue_key = ANY(:k) AND state IN ('pending', 'queued')""")
                        .bindArray("k", String.class, keys).mapTo(String.class).list());
            }
            return null;
        }));

        List<CompletableFuture<Jobs.Outcome>> outcomes = new ArrayList<>(jobs.size());
        List<CompletableFuture<Part>> parts = new ArrayList<>();
        Map<String, List<Target>> byConversation = new java.util.LinkedHashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            Jobs.Job job = jobs.get(i);
            List<Target> mine = namedOfJob.get(i).stream().map(n -> targets.get(n.id())).filter(java.util.Objects::nonNull).toList(); // gone: endpoint deleted
            if (job.kind().equals(KIND)) {
                CompletableFuture<Attempt> one = mine.isEmpty() ? CompletableFuture.completedFuture(null) : attempt(mine.getFirst(), job.attempts());
                parts.add(one.thenApply(a -> a == null ? Part.NONE : new Part(List.of(a), List.of())));
                // A dead delivery's job row is not needed to resend (that makes a new job): the delivery row is the dead letter.
                outcomes.add(one.thenApply(a -> a == null || a.next() == null ? new Jobs.Outcome.Done(Jobs.Write.NOTHING)
                        : new Jobs.Outcome.RetryAt(a.next(), a.error(), Jobs.Write.NOTHING)));
                continue;
            }
            for (Target t : mine) {
                String key = queueKey(t.endpointId(), t.conversationId());
                byConversation.computeIfAbsent(key == null ? "delivery:" + t.deliveryId() : key, k -> new ArrayList<>()).add(t);
            }
            outcomes.add(CompletableFuture.completedFuture(new Jobs.Outcome.Done(Jobs.Write.NOTHING)));
        }
        // Across the call's batches (an endpoint's, coalesced, in id order): a conversation's deliveries one after
        // the other, conversations side by side.
        byConversation.forEach((key, ts) -> parts.add(waiting.contains(key)
                ? CompletableFuture.completedFuture(new Part(List.of(), ts.stream()
                        .map(t -> new Moved(t.deliveryId(), key, null, t.attempts(), t.toKeep())).toList()))
                : inOrder(ts, 0, new ArrayList<>())));
        List<Attempt> made = new ArrayList<>();
        List<Moved> moved = new ArrayList<>();
        for (CompletableFuture<Part> p : parts) {
            Part part = p.join();
            made.addAll(part.attempts());
            moved.addAll(part.moved());
        }
        return new Jobs.Batch(outcomes.stream().map(CompletableFuture::join).toList(), h -> {
            List<Attempt> onRows = made.stream().filter(a -> targets.get(a.deliveryId()).hasRow()).toList();
            record(h, onRows);
            keep(h, onRows.stream().filter(a -> a.keep() != null).collect(java.util.stream.Collectors.toMap(Attempt::deliveryId, Attempt::keep)));
            keep(h, moved.stream().filter(m -> m.keep() != null && targets.get(m.deliveryId()).hasRow())
                    .collect(java.util.stream.Collectors.toMap(Moved::deliveryId, Moved::keep)));
            Set<Long> written = firstRows(h, made.stream().filter(a -> !targets.get(a.deliveryId()).hasRow()).toList(),
                    moved.stream().filter(m -> !targets.get(m.deliveryId()).hasRow()).toList(), targets);
            for (Moved m : moved) {
                // A row that another run of this batch wrote first (it outlived its lease) has its job already.
                if (!targets.get(m.deliveryId()).hasRow() && !written.contains(m.deliveryId())) continue;
                long id = Jobs.enqueue(h, KIND, m.queueKey(), Long.toString(m.deliveryId()), m.due());
                // The job counts the attempts already made, so the schedule goes on where the batch left it.
                if (m.attempts() > 0) h.createUpdate("UPDATE jobs SET attempts = :n WHERE id = :id")
                        .bind("n", m.attempts()).bind("id", id).execute();
            }
        });
    }

    /**
     * Writes the rows of deliveries made from the log, once, with their outcome: delivered ones narrow (the body is
     * the log's), the others with their body, as they may outlive their event. A row already there (this batch ran
     * twice) is left as it is. Returns the ids of the rows that are not delivered and were written here. (Not ON
     * CONFLICT: its speculative insertion cost more per row than the rest of the insert. Two runs of one batch at the
     * same moment, a lease that ran out while the first still worked, would make the second's outcomes fail on the
     * primary key; its jobs then run again, and find the rows.)
     */
    private static Set<Long> firstRows(Handle h, List<Attempt> attempts, List<Moved> moved, Map<Long, Target> targets) {
        List<Target> delivered = new ArrayList<>();
        List<Integer> deliveredStatus = new ArrayList<>();
        Map<Long, Attempt> others = new java.util.LinkedHashMap<>();
        Set<Long> seen = new HashSet<>(); // a delivery named twice in one run (never made so) is still one row
        for (Attempt a : attempts) {
            if (!seen.add(a.deliveryId())) continue;
            if (a.state().equals("delivered")) {
                delivered.add(targets.get(a.deliveryId()));
                deliveredStatus.add(a.status());
            } else {
                others.put(a.deliveryId(), a);
            }
        }
        moved = moved.stream().filter(m -> !seen.contains(m.deliveryId()) || others.containsKey(m.deliveryId())).toList();
        // Not tried (behind a failure, or behind its conversation's queue): waiting, with no attempt yet.
        for (Moved m : moved) others.putIfAbsent(m.deliveryId(), new Attempt(m.deliveryId(), "pending", null, null, null, m.keep()));
        if (!delivered.isEmpty()) h.createUpdate("""
                        INSERT INTO webhook_deliveries (id, endpoint_id, account_id, event, event_seq, conversation_id, state,
                                                        attempts, last_status, delivered_at)
                        SELECT id, ep, acc, ev, seq, conv, 'delivered', 1, st, now()
                        FROM unnest(:ids, :eps, :accs, string_to_array(:evs, ','), :seqs, :convs, :sts) AS t(id, ep, acc, ev, seq, conv, st)
                        WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = t.id)""")
                .bindArray("ids", Long.class, delivered.stream().map(Target::deliveryId).toList())
                .bindArray("eps", Long.class, delivered.stream().map(Target::endpointId).toList())
                .bindArray("accs", Long.class, delivered.stream().map(Target::accountId).toList())
                // Event names ([a-z._]) as one text: the driver escapes a text array character by character.
                .bind("evs", String.join(",", delivered.stream().map(Target::event).toList()))
                .bindArray("seqs", Long.class, delivered.stream().map(Target::seq).toList())
                .bindArray("convs", Long.class, delivered.stream().map(Target::conversationId).toList())
                .bindArray("sts", Integer.class, deliveredStatus)
                .execute();
        if (others.isEmpty()) return Set.of();
        List<Attempt> rest = List.copyOf(others.values());
        List<Target> of = rest.stream().map(a -> targets.get(a.deliveryId())).toList();
        return new HashSet<>(h.createQuery("""
                        INSERT INTO webhook_deliveries (id, endpoint_id, account_id, event, event_seq, conversation_id, body, state,
                                                        attempts, last_status, last_error, next_attempt_at)
                        SELECT id, ep, acc, ev, seq, conv, body, state, CASE WHEN status IS NULL AND error IS NULL THEN 0 ELSE 1 END,
                               status, error, to_timestamp(next / 1000.0)
                        FROM unnest(:ids, :eps, :accs, :evs, :seqs, :convs, :bodies, :states, :statuses, :errors, :nexts)
                             AS t(id, ep, acc, ev, seq, conv, body, state, status, error, next)
                        WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = t.id)
                        RETURNING id""")
                .bindArray("ids", Long.class, of.stream().map(Target::deliveryId).toList())
                .bindArray("eps", Long.class, of.stream().map(Target::endpointId).toList())
                .bindArray("accs", Long.class, of.stream().map(Target::accountId).toList())
                .bindArray("evs", String.class, of.stream().map(Target::event).toList())
                .bindArray("seqs", Long.class, of.stream().map(Target::seq).toList())
                .bindArray("convs", Long.class, of.stream().map(Target::conversationId).toList())
                .bindArray("bodies", String.class, rest.stream().map(Attempt::keep).toList())
                .bindArray("states", String.class, rest.stream().map(Attempt::state).toList())
                .bindArray("statuses", Integer.class, rest.stream().map(Attempt::status).toList())
                .bindArray("errors", String.class, rest.stream().map(Attempt::error).toList())
                // Epoch milliseconds: Jdbi binds no arrays of timestamps.
                .bindArray("nexts", Long.class, rest.stream().map(a -> a.next() == null ? null : a.next().toEpochMilli()).toList())
                .mapTo(Long.class).list());
    }

    /**
     * A conversation's deliveries of a batch, one after the other from {@code from}; the first that fails takes
     * its retry in the conversation's queue, and the ones after it wait there behind it.
     */
    private CompletableFuture<Part> inOrder(List<Target> ts, int from, List<Attempt> done) {
        if (from == ts.size()) return CompletableFuture.completedFuture(new Part(done, List.of()));
        Target t = ts.get(from);
        return attempt(t, t.attempts() + 1).thenCompose(a -> {
            done.add(a);
            if (!"pending".equals(a.state())) return inOrder(ts, from + 1, done);
            List<Moved> moved = new ArrayList<>();
            String key = queueKey(t.endpointId(), t.conversationId());
            moved.add(new Moved(t.deliveryId(), key, a.next(), t.attempts() + 1, null)); // its attempt keeps its body
            for (Target later : ts.subList(from + 1, ts.size())) moved.add(new Moved(later.deliveryId(), key, null, later.attempts(), later.toKeep()));
            return CompletableFuture.completedFuture(new Part(done, moved));
        });
    }

    /** Posts one delivery; its attempt number decides between a retry and the dead letter. */
    private CompletableFuture<Attempt> attempt(Target t, int attemptNo) {
        if (!t.active()) return CompletableFuture.completedFuture(new Attempt(t.deliveryId(), "dead", null, "The endpoint is disabled.", null, t.toKeep()));
        if (t.body() == null) {
            // Its event was pruned from the log before the delivery went out (a backlog older than the retention).
            return CompletableFuture.completedFuture(new Attempt(t.deliveryId(), "dead", null,
                    "The event is no longer in Parley's event log (older than the retention).", null, null));
        }
        return post(t).handle((status, failure) -> attempt(t, attemptNo, status, failure));
    }

    private CompletableFuture<Integer> post(Target t) {
        byte[] body = t.body().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Request request;
        try {
            request = http.newRequest(uri(t.url()));
        } catch (RuntimeException badAddress) {
            return CompletableFuture.failedFuture(badAddress);
        }
        request.method(HttpMethod.POST)
                .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put("X-Parley-Event", t.event())
                        .put("X-Parley-Delivery", Long.toString(t.deliveryId()))
                        .put("X-Parley-Timestamp", Long.toString(Instant.now().getEpochSecond()))
                        .put(Signature.HEADER, Signature.of(t.secret(), body)))
                .body(new BytesRequestContent("application/json", body))
                .send(result -> {
                    if (result.isFailed()) status.completeExceptionally(result.getFailure());
                    else status.complete(result.getResponse().getStatus());
                });
        return status;
    }

    /** Endpoint addresses parsed once, not per post (bounded: cleared when full). */
    private static final Map<String, URI> URIS = new java.util.concurrent.ConcurrentHashMap<>();

    private static URI uri(String url) {
        URI known = URIS.get(url);
        if (known != null) return known;
        URI parsed = URI.create(url);
        if (URIS.size() >= 1024) URIS.clear();
        URIS.put(url, parsed);
        return parsed;
    }

    /** A 2xx is delivered; anything else is tried again on the schedule, or dead once it is exhausted. */
    private Attempt attempt(Target t, int attempts, Integer status, Throwable failure) {
        if (failure == null && status / 100 == 2) return new Attempt(t.deliveryId(), "delivered", status, null, null, null);
        String error = failure == null ? (status / 100 == 3 ? "Answered " + status + " (redirects are not followed)" : "Answered " + status)
                : describe(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
        if (schedule.exhausted(attempts)) {
            // Said once, without the URL's query or the secret: enough for an operator to look at the settings.
            log.warn("Webhook delivery {} ({}) is dead after {} attempts: {}", t.deliveryId(), t.event(), attempts, error);
            return new Attempt(t.deliveryId(), "dead", status, clip(error), null, t.toKeep());
        }
        return new Attempt(t.deliveryId(), "pending", status, clip(error), Instant.now().plus(schedule.after(attempts)), t.toKeep());
    }

    private static String describe(Throwable e) {
        if (e instanceof TimeoutException) return "No answer within " + TIMEOUT.toSeconds() + " s";
        if (e instanceof IOException) return "Could not connect: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        return "Failed: " + e.getClass().getSimpleName();
    }

    private static void record(Handle h, List<Attempt> made) {
        if (made.isEmpty()) return;
        h.createUpdate("""
                        UPDATE webhook_deliveries d SET state = t.state, attempts = d.attempts + 1, last_status = t.status,
                               last_error = t.error, next_attempt_at = to_timestamp(t.next / 1000.0),
                               delivered_at = CASE WHEN t.state = 'delivered' THEN now() ELSE d.delivered_at END
                        FROM unnest(:ids, :states, :statuses, :errors, :nexts) AS t(id, state, status, error, next)
                        WHERE d.id = t.id""")
                .bindArray("ids", Long.class, made.stream().map(Attempt::deliveryId).toList())
                .bindArray("states", String.class, made.stream().map(Attempt::state).toList())
                .bindArray("statuses", Integer.class, made.stream().map(Attempt::status).toList())
                .bindArray("errors", String.class, made.stream().map(Attempt::error).toList())
                // Epoch milliseconds: Jdbi binds no arrays of timestamps.
                .bindArray("nexts", Long.class, made.stream().map(a -> a.next() == null ? null : a.next().toEpochMilli()).toList())
                .execute();
    }

    /**
     * Stores the bodies of deliveries that left the happy path (failed, dead, or waiting behind a failure): they may
     * be retried or resent after their event has left the log. Rare, so one statement only when there are some.
     */
    private static void keep(Handle h, Map<Long, String> bodies) {
        if (bodies.isEmpty()) return;
        h.createUpdate("""
                        UPDATE webhook_deliveries d SET body = t.body FROM unnest(:ids, :bodies) AS t(id, body)
                        WHERE d.id = t.id AND d.body IS NULL""")
                .bindArray("ids", Long.class, List.copyOf(bodies.keySet()))
                .bindArray("bodies", String.class, bodies.keySet().stream().map(bodies::get).toList())
                .execute();
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }
}
