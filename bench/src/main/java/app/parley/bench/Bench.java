package app.parley.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Parley's load benchmark, the load-generating JVM (bench/run starts the server in another JVM first).
 * Phases, one after the other against one server: PostgreSQL reference, closed-loop throughput with 200
 * visitors, closed-loop throughput with enough visitors to stay under the per-visitor rate limit, open-loop
 * delivery latency at 1,000 msg/s, 20,000 idle chat-box sockets, and open-loop latency with those held.
 * Every loop is bounded in count and time. See bench/README.md.
 */
public final class Bench {
    private static final long SEC = 1_000_000_000L;
    private static final String HOST = "127.0.0.1";
    private static final String MESSAGE_CREATED = "{\"type\":\"message.created\"";
    private static final String ACK = "{\"type\":\"ack\"";
    private static final String ERROR = "{\"type\":\"error\"";
    private static final long ORIGIN = System.nanoTime();
    /** Every reader loop ends by this time at the latest (--max-seconds, default 900 s after start). */
    private static volatile long deadline = ORIGIN + 900 * SEC;

    private final Map<String, String> opt;
    private final int port;
    private final long serverPid;
    /** Every node's port and JVM (bench/run --nodes N); node 1 (index 0) owns the embedded PostgreSQL. */
    private final int[] ports;
    private final long[] serverPids;
    private final Path dataDir;
    private final List<String[]> table = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Procs procs;
    private String chatKey;
    private AgentConn agent;
    private final AtomicInteger visitorSeq = new AtomicInteger();
    /** --webhook 1: a local endpoint subscribed to the chat's events; null when not asked for. */
    private WebhookSink webhooks;
    /** --webhook 1: registers the endpoint, after the reference loops that run without it. */
    private Registration webhookRegistration;
    private LoopResult webhookReference;
    private LatResult webhookLatencyReference;

    @FunctionalInterface
    private interface Registration {
        void run() throws Exception;
    }
    /** --messenger 1: signed Messenger webhook POSTs while the chat runs; null when not asked for. */
    private MessengerLoad messenger;
    /** --messenger 1: the unpaced flood runs beside phase A (--messenger-rate alone runs paced loops after it). */
    private boolean messengerFlood;
    /** Started by the next closed loop once its visitors are primed, so its load meets only that loop. */
    private Runnable beforeLoop;
    /** The Messenger figures of the last closed loop's window (null without Messenger load). */
    private MessengerWindow messengerWindow;
    private int pgPort;

    private Bench(Map<String, String> opt) {
        this.opt = opt;
        this.port = Integer.parseInt(req("port"));
        this.serverPid = Long.parseLong(req("server-pid"));
        this.ports = java.util.Arrays.stream(opt.getOrDefault("ports", Integer.toString(port)).split(","))
                .mapToInt(p -> Integer.parseInt(p.trim())).toArray();
        this.serverPids = java.util.Arrays.stream(opt.getOrDefault("server-pids", Long.toString(serverPid)).split(","))
                .mapToLong(p -> Long.parseLong(p.trim())).toArray();
        if (ports.length != serverPids.length || ports[0] != port || serverPids[0] != serverPid) {
            throw new IllegalArgumentException("--ports and --server-pids list the nodes in the same order, node 1 first");
        }
        this.dataDir = Path.of(req("data-dir"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + args[i]);
            opt.put(args[i].substring(2), args[i + 1]);
        }
        deadline = ORIGIN + Long.parseLong(opt.getOrDefault("max-seconds", "900")) * SEC;
        Thread watchdog = Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(Long.parseLong(opt.getOrDefault("max-seconds", "900")) * 1000);
                System.err.println("bench: time limit reached; giving up");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        });
        int status = 0;
        try {
            new Bench(opt).run();
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        watchdog.interrupt();
        System.exit(status);
    }

    private String req(String name) {
        String v = opt.get(name);
        if (v == null) throw new IllegalArgumentException("missing --" + name);
        return v;
    }

    private int intOpt(String name, int fallback) {
        return Integer.parseInt(opt.getOrDefault(name, Integer.toString(fallback)));
    }

    private double doubleOpt(String name, double fallback) {
        return Double.parseDouble(opt.getOrDefault(name, Double.toString(fallback)));
    }

    // ------------------------------------------------------------------------------------------------ run

    private void run() throws Exception {
        List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
        long postmasterPid = Long.parseLong(pidFile.get(0).trim());
        int pgPort = Integer.parseInt(pidFile.get(3).trim());
        this.pgPort = pgPort;
        procs = new Procs(serverPids, postmasterPid);
        if (ports.length > 1) log("%d nodes on ports %s (pids %s): the agent on node 1, visitors round-robin over the first %d",
                ports.length, java.util.Arrays.toString(ports), java.util.Arrays.toString(serverPids),
                Math.min(ports.length, intOpt("visitor-nodes", ports.length)));
        log("server pid %d on %s:%d, PostgreSQL postmaster pid %d on port %d, %d CPUs",
                serverPid, HOST, port, postmasterPid, pgPort, Runtime.getRuntime().availableProcessors());

        // 0. The reference: single-row durable commits against the same PostgreSQL.
        int pgSeconds = intOpt("pg-seconds", 5);
        log("PostgreSQL reference: single-row INSERT commits, 1 then 8 connections, %d s each…", pgSeconds);
        Procs.Cpu c0 = procs.cpu();
        PgReference.Result pg = pgSeconds > 0 ? new PgReference(pgPort, pgPassword()).run(1, pgSeconds)
                : new PgReference.Result(Double.NaN, Double.NaN, "skipped");
        log("  1 connection %,.0f/s, 8 connections %,.0f/s (%s); %s", pg.oneConnection(), pg.eightConnections(),
                pg.settings(), procs.cpu().since(c0));
        String pgRef = String.format("PG single-row commits: 1 conn %,.0f/s, 8 conns %,.0f/s", pg.oneConnection(), pg.eightConnections());
        Histogram disk = DiskSync.measure(dataDir, intOpt("disk-syncs", 2000));
        String diskRef = String.format("disk fdatasync of 8 KiB p50 %s, p99 %s", ms(disk, 50), ms(disk, 99));
        log("  %s, p99.9 %s (the floor under any durable ack)", diskRef, ms(disk, 99.9));

        // 1. The agent: signs in, goes online, listens on /ws/agent.
        signInAgent();

        // 2. Closed loop, 200 visitors, as the issue asks.
        double limit = doubleOpt("visitor-limit", 5);
        int visitors = intOpt("visitors", 200);
        // The server's JIT needs ~30 s of load to settle (the per-second lines show the ramp): closed loops measure
        // the steady state after 20 s; the latency loops run later, on a warm server, after 5 s.
        int warmup = intOpt("warmup", 20);
        int latWarmup = intOpt("lat-warmup", 5);
        int window = intOpt("window", 20);
        row("PostgreSQL single-row commits/s: 1 conn / 8 conns", fmt(pg.oneConnection()) + " / " + fmt(pg.eightConnections()),
                "reference, same PostgreSQL, same run; " + pg.settings());
        int latVisitors = intOpt("lat-visitors", 250);
        double latRate = doubleOpt("lat-rate", 1000);
        int latWindow = intOpt("lat-window", 20);
        if (webhookRegistration != null) {
            // The reference for "the chat figures unchanged": the same loops on the same server, before any endpoint.
            if (visitors > 0) {
                LoopResult ref = closedLoop("A0", visitors, 0, warmup, window);
                webhookReference = ref;
                row(String.format("msg/s end to end, %d visitors, NO webhook (reference)", visitors), fmt(ref.acked),
                        "same server, same run, before the endpoint is registered");
                row("  CPU per message: server + PG / load client", perMessage(ref.cpu, ref.acked), projection(ref.cpu, ref.acked));
            }
            if (latWindow > 0) {
                List<Visitor> lv = openVisitors("latency-ref", latVisitors, false, 64, 8192);
                LatResult ref = openLoop("latency-ref", lv, latRate, latWarmup, latWindow);
                closeAll(lv);
                webhookLatencyReference = ref;
                row(String.format("delivery latency p50 / p99 @ %,.0f msg/s, NO webhook (reference)", latRate),
                        ms(ref.latency, 50) + " / " + ms(ref.latency, 99), "same server, same run");
            }
            drain("reference");
            webhookRegistration.run();
        }
        if (visitors > 0) {
        int mailSessions = intOpt("mail-sessions", 4);
        MailLoad mails = opt.containsKey("mail-port") && mailSessions > 0
                ? new MailLoad(HOST, intOpt("mail-port", 0), opt.getOrDefault("mail-to", "support@shop.bench"), mailSessions) : null;
        long mailAccepted0 = mails == null ? 0 : mails.accepted.sum();
        long mailStart = System.nanoTime();
        if (messenger != null) agent.messenger = messenger;
        if (messengerFlood) beforeLoop = () -> messenger.start(intOpt("messenger-senders", 1), intOpt("messenger-customers", 200));
        LoopResult a = closedLoop("A", visitors, 0, warmup, window);
        if (messengerFlood) messenger.stop();
        if (mails != null) {
            double secs = (System.nanoTime() - mailStart) / 1e9;
            long sent = mails.accepted.sum() - mailAccepted0;
            mails.close();
            long[] processed = mailsProcessed(pgPort, mailStart);
            row("  inbound mails/s through the SMTP listener (beside the chat)", fmt(sent / secs),
                    String.format("%d SMTP sessions, a new conversation each; %d accepted, %d refused; %d processed, %s",
                            mailSessions, sent, mails.refused.sum(), processed[0],
                            processed[1] > 0 ? String.format("%,.0f/s threaded while the chat ran", processed[0] / (processed[1] / 1e3))
                                    : "none threaded yet"));
        }
        row(String.format("msg/s end to end, %d visitors closed loop", visitors), fmt(a.acked),
                String.format("goal ≥ 10,000; ceiling by the %s msg/s-per-visitor limit ≈ %,.0f/s; %s", fmtRate(limit), visitors * limit, pgRef));
        row("  delivered to the agent socket /s", fmt(a.delivered), "should equal acked");
        row("  refused rate_limited /s (retried after 200 ms)", fmt(a.rateLimited), String.format("visitor limit: %s msg/s, burst %s", fmtRate(limit), fmtRate(4 * limit)));
        row("  send→ack p50 / p99 (no-retry msgs)", ms(a.rtt, 50) + " / " + ms(a.rtt, 99), "");
        row("  CPU cores: server / PG / load client", cores(a.cpu), others(a.cpu));
        row("  CPU per message: server + PG / load client", perMessage(a.cpu, a.acked), projection(a.cpu, a.acked));
        if (webhooks != null) row("  webhook events delivered /s", fmt(a.webhooksDelivered), "signed, to a local endpoint (--webhook 1)");
        if (webhookReference != null) row("  msg/s with webhook ÷ without (reference)", String.format("%.2f", a.acked / webhookReference.acked),
                "1.00 = unchanged");
        double pageRate = doubleOpt("page-rate", 0);
        if (pageRate > 0) withPageViews(pgPort, visitors, warmup, window, pageRate, a);
        if (messengerFlood) {
            row("  Messenger webhook events processed /s", fmt(a.messengerProcessed),
                    String.format("stored as messages, while the chat above ran; signed POSTs of 10, %d senders; answered %,.0f events/s",
                            intOpt("messenger-senders", 1), a.messengerPosted));
            messengerRows(messengerWindow);
            messengerBacklog("after phase A");
        }
        if (messenger != null && opt.containsKey("messenger-rate")) messengerPaced(visitors, warmup, window, messengerFlood ? null : a);
        }

        // 3. Closed loop with enough visitors that none passes its 5 msg/s limit: what the server can carry.
        int paced = intOpt("paced-visitors", 4000);
        double pacedRate = doubleOpt("paced-rate", 0.9 * limit);
        if (paced > 0) {
            LoopResult b = closedLoop("B", paced, pacedRate, warmup, window);
            row(String.format("msg/s end to end, %,d visitors ≤ %.1f msg/s each", paced, pacedRate), fmt(b.acked),
                    String.format("goal ≥ 10,000; offered ceiling %,.0f/s", paced * pacedRate));
            row("  delivered to the agent socket /s", fmt(b.delivered), "should equal acked");
            row("  refused rate_limited /s", fmt(b.rateLimited), "");
            row("  send→ack p50 / p99", ms(b.rtt, 50) + " / " + ms(b.rtt, 99), "");
            row("  CPU cores: server / PG / load client", cores(b.cpu), others(b.cpu));
            row("  CPU per message: server + PG / load client", perMessage(b.cpu, b.acked), projection(b.cpu, b.acked));
            row("  new conversations /s (each visitor's 1st message)", fmt(b.conversationsPerSec), "timed before the loop");
            if (webhooks != null) row("  webhook events delivered /s", fmt(b.webhooksDelivered), "signed, to a local endpoint (--webhook 1)");
        }

        // 4. Open loop: 1,000 msg/s at fixed times, latency from the scheduled time to the agent socket.
        if (latWindow > 0) {
        List<Visitor> lv = openVisitors("latency", latVisitors, false, 64, 8192);
        double lowRate = doubleOpt("lat-low-rate", 100);
        if (lowRate > 0) {
            LatResult low = openLoop("latency@" + (int) lowRate, lv, lowRate, latWarmup, 10);
            row(String.format("delivery latency p50 / p99 @ %,.0f msg/s", lowRate),
                    ms(low.latency, 50) + " / " + ms(low.latency, 99) + (low.missing > 0 ? " ≥" : ""),
                    String.format("unloaded reference; p99.9 %s, %d of %d not delivered; %s", ms(low.latency, 99.9), low.missing, low.scheduled, diskRef));
        }
        LatResult lat = openLoop("latency", lv, latRate, latWarmup, latWindow);
        closeAll(lv);
        row(String.format("delivery latency p50 @ %,.0f msg/s open loop", latRate), ms(lat.latency, 50), "");
        row("  p99", ms(lat.latency, 99), "goal ≤ 2.5 ms; " + diskRef);
        if (webhookLatencyReference != null) row("  p50 / p99 with webhook ÷ without (reference)",
                String.format("%.2f / %.2f", lat.latency.getValueAtPercentile(50) / (double) webhookLatencyReference.latency.getValueAtPercentile(50),
                        lat.latency.getValueAtPercentile(99) / (double) webhookLatencyReference.latency.getValueAtPercentile(99)),
                "webhook events delivered during the window: " + fmt(lat.webhooksDelivered) + "/s");
        row("  p99.9 / max", ms(lat.latency, 99.9) + " / " + ms(lat.latency, 100), "");
        if (lat.crossNode() != null) row("  sent to another node than the agent's: p50 / p99 / p99.9",
                ms(lat.crossNode(), 50) + " / " + ms(lat.crossNode(), 99) + " / " + ms(lat.crossNode(), 99.9),
                String.format("%,d of the window's messages (visitors round-robin over %d nodes, the agent on node 1)",
                        lat.crossNode().getTotalCount(), ports.length));
        row("  not delivered in 10 s / sent in window", lat.missing + " / " + lat.scheduled,
                (lat.missing > 0 ? "undelivered counted at their lower bound; " : "") + "client send lag p99 " + ms(lat.lateness, 99));
        row("  CPU cores: server / PG / load client", cores(lat.cpu), others(lat.cpu));
        }

        // 5. Idle chat boxes.
        int idle = intOpt("idle", 20_000);
        if (idle > 0) idlePhase(idle, latVisitors, latRate, latWarmup);

        // 7. Several nodes: the last one is killed under load (last: the later phases would miss it).
        int failoverRate = intOpt("failover-rate", 500);
        if (ports.length > 1 && failoverRate > 0) failoverPhase(failoverRate);

        // so the server can stop cleanly (a Messenger backlog left is durable: it need not be waited for)
        drain("end", messenger != null ? 10 : 90);
        if (messenger != null) messenger.close();
        if (webhooks != null) webhookBacklog(pgPort);
        agent.close();
        printTable();
    }

    // ------------------------------------------------------------------------------------------------ agent

    private void signInAgent() throws Exception {
        String base = "http://" + HOST + ":" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String email = opt.getOrDefault("email", "bench@parley.local");
        String password = req("password");
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) throw new IOException("login: " + login.statusCode() + " " + login.body());
        String cookie = login.headers().allValues("set-cookie").stream()
                .filter(s -> s.startsWith("parley_session=")).map(s -> s.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new IOException("login set no session cookie"));
        String csrf = jsonString(login.body(), "csrf_token");
        chatKey = jsonString(login.body(), "chat_key");
        HttpResponse<String> online = http.send(HttpRequest.newBuilder(URI.create(base + "/auth/me"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"online\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (online.statusCode() != 200 || !online.body().contains("\"status\":\"online\"")) {
            throw new IOException("going online: " + online.statusCode() + " " + online.body());
        }
        if ("1".equals(opt.get("webhook"))) webhookRegistration = () -> registerWebhook(http, base, cookie, csrf);
        messengerFlood = "1".equals(opt.get("messenger"));
        if (messengerFlood || opt.containsKey("messenger-rate")) {
            messenger = new MessengerLoad(Integer.parseInt(req("graph-port")), base);
            messenger.connect(cookie, csrf);
            log("Messenger page connected: signed webhook POSTs of 10 messages will run %s", messengerFlood
                    ? "beside phase A" : "paced, beside closed loops after phase A (" + opt.get("messenger-rate") + " events/s)");
        }
        Ws ws = Ws.connect(HOST, port, null, "/ws/agent", Map.of("Cookie", cookie, "Origin", base), 15_000, 65_536);
        ws.setReadTimeout(15_000);
        // The welcome should come first; an ephemeral "tabs" frame can overtake it (noted in the report).
        String welcome = ws.readText();
        for (int i = 0; i < 10 && !welcome.startsWith("{\"type\":\"welcome\""); i++) {
            notes.add("The agent socket sent a frame before its welcome: " + welcome);
            welcome = ws.readText();
        }
        if (!welcome.startsWith("{\"type\":\"welcome\"")) throw new IOException("agent socket: " + welcome);
        ws.setReadTimeout(0);
        agent = new AgentConn(ws);
        log("agent signed in, online, connected to /ws/agent; chat key %s", chatKey);
    }

    /** Subscribes a local endpoint to every event a chat makes, so each message is also a signed delivery. */
    private void registerWebhook(HttpClient http, String base, String cookie, String csrf) throws Exception {
        webhooks = new WebhookSink();
        String body = "{\"url\":\"" + webhooks.url() + "\",\"secret\":\"" + WebhookSink.SECRET + "\",\"events\":["
                + "\"conversation.opened\",\"conversation.contact_replied\",\"conversation.agent_replied\","
                + "\"conversation.closed\",\"conversation.closed_by_contact\"]}";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/webhooks"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) throw new IOException("webhook: " + created.statusCode() + " " + created.body());
        log("webhook endpoint %s registered: every message is also a signed delivery", webhooks.url());
    }

    /** Messenger events Parley has processed: customer messages stored with their mid. */
    private long messengerStored() throws Exception {
        if (messenger == null) return 0;
        String url = "jdbc:postgresql://" + HOST + ":" + pgPort + "/postgres?ApplicationName=parley-bench";
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", pgPassword()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM messenger_messages WHERE direction = 'in'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** After a loop: how long Parley took to process the Messenger events it had answered (≤ --messenger-drain s). */
    private void messengerBacklog(String when) throws Exception {
        long started = System.nanoTime();
        long posted = messenger.posted.sum();
        long stored = messengerStored();
        long left0 = posted - stored;
        int drainSeconds = intOpt("messenger-drain", 60);
        for (int i = 0; i < drainSeconds * 10 && stored < posted; i++) {
            Thread.sleep(100);
            stored = messengerStored();
        }
        double secs = (System.nanoTime() - started) / 1e9;
        row("  Messenger events answered / processed " + when, posted + " / " + stored, stored >= posted
                ? String.format("the backlog of %,d was processed %.1f s after the loop (%,.0f events/s alone); %d POSTs refused",
                        left0, secs, left0 / Math.max(secs, 0.001), messenger.refused.sum())
                : String.format("%,d still waiting after %.0f s (%,.0f events/s processed alone); %d POSTs refused",
                        posted - stored, secs, (left0 - (posted - stored)) / secs, messenger.refused.sum()));
    }

    /** The window's Messenger figures, as rows under the loop they ran beside. */
    private void messengerRows(MessengerWindow w) {
        if (w == null) return;
        row("  Messenger events offered / accepted / processed /s", fmt(w.offered()) + " / " + fmt(w.accepted()) + " / " + fmt(w.processed()),
                String.format("processed counted in the database; backlog (accepted, not yet on the agent socket) %,d → %,d: %s",
                        w.backlogStart(), w.backlogEnd(), w.flat() ? "flat" : String.format("grows %,.0f/s", w.growth())));
        row("  Messenger lag accepted→stored p50 / p95 / max", ms(w.lag(), 50) + " / " + ms(w.lag(), 95) + " / " + ms(w.lag(), 100),
                String.format("from the 200 to message.created on the agent socket; %,d events timed%s", w.lag().getTotalCount(),
                        w.skipped() > 0 ? String.format("; %,d events not offered (256 POSTs open)", w.skipped()) : ""));
        log("%s: Messenger per second offered/accepted/processed(backlog):%s", w.label(), w.perSecond());
    }

    /**
     * --messenger-rate R[,R2…]: for each rate, the closed loop again while Messenger events are offered at that rate,
     * beside the same loop without them (phase A when it ran without the flood, else a loop of its own).
     */
    private void messengerPaced(int visitors, int warmup, int window, LoopResult reference) throws Exception {
        if (reference == null) reference = closedLoop("A0", visitors, 0, warmup, window);
        row(String.format("msg/s end to end, %d visitors, NO Messenger load (reference)", visitors), fmt(reference.acked),
                "same server, same run");
        int customers = intOpt("messenger-customers", 200);
        for (String rate : opt.get("messenger-rate").split(",")) {
            double r = Double.parseDouble(rate.trim());
            beforeLoop = () -> messenger.startPaced(r, customers);
            LoopResult l = closedLoop("M" + rate.trim(), visitors, 0, warmup, window);
            messenger.stop();
            row(String.format("msg/s end to end, %d visitors, Messenger paced at %,.0f events/s", visitors, r), fmt(l.acked),
                    String.format("%.2f of the reference; CPU server / PG / client %s", l.acked / reference.acked, cores(l.cpu)));
            messengerRows(messengerWindow);
            messengerBacklog("after the loop");
        }
    }

    /**
     * The embedded PostgreSQL's password: Parley makes it at its first start and keeps it in the data folder,
     * owner-only (README, "Configuration"); the server accepts nobody without it.
     */
    private String pgPassword() throws IOException {
        return Files.readString(dataDir.resolve("postgres-password")).strip();
    }

    /**
     * --page-rate N (issue #11): the same closed loop again while browsing chat boxes send N page views a second;
     * prints the page views PostgreSQL stored per second beside the chat's msg/s with and without them, and what a
     * view cost the machine: the CPU of the loop with views, less what its messages cost in the loop without them
     * (same jar, same run), per view stored. {@code --page-floor 1}: first a loop while the boxes send views Parley
     * reads and drops (not http(s)), the cost of the transport and of parsing alone, which no storage work can go under.
     */
    private void withPageViews(int pgPort, int visitors, int warmup, int window, double pageRate, LoopResult alone) throws Exception {
        int sockets = intOpt("page-sockets", 200);
        int returning = (int) Math.round(sockets * doubleOpt("page-returning", 0.5));
        try (PageViewLoad load = new PageViewLoad(HOST, port, chatKey, sockets, returning, pageRate)) {
            log("page views: %d browsing chat boxes (%d of returning customers, who wrote once) offering %,.0f page views/s; chat loop again…",
                    sockets, returning, pageRate);
            if (intOpt("page-floor", 0) > 0) {
                // First, before any view is stored: what comes after stored views pays for their writing back and
                // vacuuming too.
                load.discard = true;
                Thread.sleep(5_000);
                PageLoop f = pageLoop("A+dropped", pgPort, visitors, warmup, window, load);
                row(String.format("msg/s end to end, %d visitors closed loop, with views read and dropped", visitors), fmt(f.chat.acked),
                        String.format("%+.1f %% vs %s msg/s without: the floor (%s/s sent, %d stored, %d socket errors)",
                                100 * (f.chat.acked - alone.acked) / alone.acked, fmt(alone.acked), fmt(f.sent), f.stored,
                                load.errors.sum()));
                row("  CPU cores: server / PG / load client", cores(f.chat.cpu), others(f.chat.cpu));
                row("  CPU per view read and dropped: server + PG / load client", perView(alone, f.chat, f.sent), "");
                load.discard = false;
            }
            // Rounds of a loop with views, then one without (the boxes stay connected, idle): each loop with views
            // is compared with the loops without on either side of it (phase A first), as the server warms up and
            // its tables grow over the run (--page-rounds, default 2).
            int rounds = Math.max(1, intOpt("page-rounds", 2));
            List<Double> ratios = new ArrayList<>();
            double before = alone.acked;
            for (int r = 1; r <= rounds; r++) {
                Thread.sleep(5_000);
                PageLoop p = pageLoop("A+pages#" + r, pgPort, visitors, warmup, window, load);
                load.paused = true;
                Thread.sleep(3_000);
                LoopResult w = closedLoop("A#" + (r + 1), visitors, 0, warmup, window);
                load.paused = false;
                double reference = (before + w.acked) / 2;
                ratios.add(p.chat.acked / reference);
                double stored = p.stored / p.secs;
                row(String.format("msg/s end to end, %d visitors closed loop, with page views (round %d)", visitors, r), fmt(p.chat.acked),
                        String.format("%+.1f %% vs %s msg/s without, the mean of the loops before (%s) and after (%s)",
                                100 * (p.chat.acked / reference - 1), fmt(reference), fmt(before), fmt(w.acked)));
                row("  page views stored /s (counted in page_views)", fmt(stored),
                        String.format("goal ≥ 5,000; offered %s/s from %d chat boxes (%d returning), %d socket errors", fmt(p.sent), sockets,
                                returning, load.errors.sum()));
                row("  CPU cores: server / PG / load client", cores(p.chat.cpu), others(p.chat.cpu));
                row("  CPU per page view: server + PG / load client", perView(alone, p.chat, stored),
                        "the loop's CPU less its messages' at phase A's cost per message");
                before = w.acked;
            }
            List<Double> sorted = new ArrayList<>(ratios);
            java.util.Collections.sort(sorted);
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            row("msg/s with page views ÷ without, median of the rounds", String.format("%.3f", median),
                    String.format("goal ≥ 0.900 (within 10 %%); rounds %s", ratios.stream().map(x -> String.format("%.3f", x)).toList()));
        }
    }

    private record PageLoop(LoopResult chat, double secs, double sent, long stored) {}

    /** The closed loop while {@code load} browses: views sent per second, and those Parley stored that arrived in it. */
    private PageLoop pageLoop(String label, int pgPort, int visitors, int warmup, int window, PageViewLoad load) throws Exception {
        java.time.Instant from = java.time.Instant.now();
        long sent0 = load.sent.sum();
        long t0 = System.nanoTime();
        LoopResult chat = closedLoop(label, visitors, 0, warmup, window);
        long nanos = System.nanoTime() - t0;
        double secs = nanos / 1e9;
        double sent = (load.sent.sum() - sent0) / secs;
        return new PageLoop(chat, secs, sent, storedBetween(pgPort, from, from.plusNanos(nanos)));
    }

    /** What a view cost: the loop's CPU less its messages' (at the cost per message of the loop without views), per view. */
    private static String perView(LoopResult alone, LoopResult with, double viewsPerSec) {
        if (viewsPerSec <= 0 || alone.acked <= 0) return "-";
        double share = with.acked / alone.acked;
        double serverPg = (with.cpu.server() + with.cpu.pg()) - (alone.cpu.server() + alone.cpu.pg()) * share;
        double client = with.cpu.client() - alone.cpu.client() * share;
        return String.format("%.0f µs / %.0f µs", 1e6 * serverPg / viewsPerSec, 1e6 * client / viewsPerSec);
    }

    /**
     * Page views Parley received in [from, to) (their {@code viewed_at}, the server's clock on this machine), counted
     * once the writer has stored what it was gathering: a count of rows before and after would miss the views still
     * gathering at the end and add those of the start.
     */
    private long storedBetween(int pgPort, java.time.Instant from, java.time.Instant to) throws Exception {
        Thread.sleep(2_000);
        String url = "jdbc:postgresql://" + HOST + ":" + pgPort + "/postgres?ApplicationName=parley-bench";
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", pgPassword());
             var st = c.prepareStatement("SELECT count(*) FROM page_views WHERE viewed_at >= ? AND viewed_at < ?")) {
            st.setObject(1, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            st.setObject(2, java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** After the load: how many deliveries were made, and how long the endpoint took to get the rest. */
    /** Mails threaded by the pipeline since the phase began, and over how many milliseconds (first to last). */
    private long[] mailsProcessed(int pgPort, long since) throws Exception {
        String url = "jdbc:postgresql://" + HOST + ":" + pgPort + "/postgres?ApplicationName=parley-bench";
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", pgPassword()); var st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT count(*), coalesce(extract(epoch FROM max(processed_at) - min(received_at)) * 1000, 0)
                     FROM email_inbound WHERE state = 'threaded'""")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private void webhookBacklog(int pgPort) throws Exception {
        String url = "jdbc:postgresql://" + HOST + ":" + pgPort + "/postgres?ApplicationName=parley-bench";
        long started = System.nanoTime();
        long made = 0;
        long done = 0;
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", pgPassword())) {
            for (int i = 0; i < 1200; i++) {
                try (var st = c.createStatement(); var rs = st.executeQuery(
                        "SELECT count(*), count(*) FILTER (WHERE state = 'delivered') FROM webhook_deliveries")) {
                    rs.next();
                    made = rs.getLong(1);
                    done = rs.getLong(2);
                }
                if (done >= made) break;
                Thread.sleep(100);
            }
        }
        double secs = (System.nanoTime() - started) / 1e9;
        row("webhook deliveries made / delivered after the load", made + " / " + done,
                String.format("the rest delivered %.1f s after the last phase; %d bad signatures; endpoint received %d",
                        secs, webhooks.badSignatures.sum(), webhooks.delivered.sum()));
        webhooks.close();
    }

    private static String jsonString(String json, String field) throws IOException {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) throw new IOException("no " + field + " in " + json);
        return m.group(1);
    }

    /** The agent's socket: counts every message.created; for the latency phases, times each from its schedule. */
    static final class AgentConn {
        final Ws ws;
        final LongAdder delivered = new LongAdder();
        final LongAdder inWindow = new LongAdder();
        final Recorder latency = new Recorder(60 * SEC, 3);
        /** Several nodes: the latency of the messages sent to a node other than the agent's (node 1). */
        final Recorder crossLatency = new Recorder(60 * SEC, 3);
        /** Several nodes: each message's sending node + 1 by its number (null with one node). */
        volatile java.util.concurrent.atomic.AtomicIntegerArray nodeOf;
        volatile java.util.concurrent.atomic.AtomicIntegerArray arrived = new java.util.concurrent.atomic.AtomicIntegerArray(1);
        /** Each message's latency in µs by its number, when --latency-file asks for them (else null). */
        volatile java.util.concurrent.atomic.AtomicLongArray latencies;
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MIN_VALUE;
        volatile String lost;
        volatile boolean closing;
        /** Told of every message.created, to time the Messenger events (null without Messenger load). */
        volatile MessengerLoad messenger;
        final Thread reader;

        AgentConn(Ws ws) {
            this.ws = ws;
            this.reader = Thread.ofPlatform().name("agent-reader").daemon().start(this::read);
        }

        private void read() {
            try {
                while (System.nanoTime() < deadline) {
                    String f = ws.readText();
                    long now = System.nanoTime();
                    if (!f.startsWith(MESSAGE_CREATED)) continue;
                    delivered.increment();
                    var fb = messenger;
                    if (fb != null) fb.created(f, now);
                    int i = f.indexOf("\"client_id\":\"L");
                    if (i < 0) continue;
                    int from = i + 14;
                    int to = f.indexOf('V', from);
                    long sched = ORIGIN + Long.parseLong(f, from, to, 36);
                    int kFrom = f.indexOf('K', to + 1) + 1;
                    int kTo = f.indexOf('"', kFrom);
                    int k = Integer.parseInt(f, kFrom, kTo, 10);
                    var seen = arrived;
                    if (k < seen.length()) seen.set(k, 1);
                    if (sched >= windowStart && sched < windowEnd) {
                        latency.recordValue(Math.min(Math.max(0, now - sched), 60 * SEC));
                        var nodes = nodeOf;
                        if (nodes != null && k < nodes.length() && nodes.get(k) > 1) {
                            crossLatency.recordValue(Math.min(Math.max(0, now - sched), 60 * SEC));
                        }
                        inWindow.increment();
                        var each = latencies;
                        if (each != null && k < each.length()) each.set(k, Math.max(1, (now - sched) / 1000));
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closing) {
                    lost = e.toString();
                    System.err.println("bench: the agent socket ended: " + e);
                }
            }
        }

        void close() {
            closing = true;
            ws.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ visitors

    /** A chat box's socket. Idle ones have a reader thread that answers pings and counts what comes back. */
    static final class Visitor {
        final int idx;
        final Ws ws;
        /** Which node (index into --ports) the socket is on. */
        final int node;
        /** The id from its welcome: a reconnect with it is the same visitor (failover). */
        final String visitorId;
        volatile boolean readerStarted;
        volatile boolean primed;
        volatile boolean readerEnded;

        Visitor(int idx, Ws ws, int node, String visitorId) {
            this.idx = idx;
            this.ws = ws;
            this.node = node;
            this.visitorId = visitorId;
        }
    }

    /** What the readers of idle/open-loop visitors count; swapped per phase. */
    static final class Counters {
        final LongAdder acked = new LongAdder();
        final LongAdder rateLimited = new LongAdder();
        final LongAdder errors = new LongAdder();
        final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    }

    private volatile Counters counters = new Counters();

    private void startReader(Visitor v) {
        v.readerStarted = true;
        Thread.ofVirtual().name("visitor-" + v.idx).start(() -> {
            try {
                while (System.nanoTime() < deadline) {
                    String f = v.ws.readText();
                    Counters c = counters;
                    if (f.startsWith(ACK)) c.acked.increment();
                    else if (f.startsWith(ERROR)) {
                        if (f.contains("\"rate_limited\"")) c.rateLimited.increment();
                        else {
                            c.errors.increment();
                            if (c.samples.size() < 5) c.samples.add(f);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                v.readerEnded = true;
            }
        });
    }

    /**
     * Opens {@code n} new visitors (each gets a fresh visitor id and a welcome), {@code concurrency} at a time;
     * from 127.0.0.2–9 when {@code spread}, so 20,000 fit in the ephemeral ports.
     */
    private List<Visitor> openVisitors(String label, int n, boolean spread, int concurrency, int buffer) throws Exception {
        long start = System.nanoTime();
        AtomicReferenceArray<Visitor> opened = new AtomicReferenceArray<>(n);
        LongAdder failed = new LongAdder();
        LongAdder early = new LongAdder();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Semaphore slots = new Semaphore(concurrency);
        String path = "/ws/visitor?key=" + URLEncoder.encode(chatKey, StandardCharsets.UTF_8);
        InetAddress[] sources = new InetAddress[8];
        for (int i = 0; i < sources.length; i++) sources[i] = InetAddress.getByName("127.0.0." + (2 + i));
        long deadline = System.nanoTime() + Math.max(120, n / 50) * SEC;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                slots.acquire();
                int k = i;
                pool.submit(() -> {
                    try {
                        // Several nodes: visitors round-robin over them (the agent stays on node 1, so most messages cross);
                        // --visitor-nodes K keeps them on the first K nodes (1: every write on the agent's node).
                        int node = k % Math.min(ports.length, intOpt("visitor-nodes", ports.length));
                        Ws ws = Ws.connect(HOST, ports[node], spread ? sources[k % sources.length] : null, path, Map.of(), 20_000, buffer);
                        ws.setReadTimeout(20_000);
                        String welcome = ws.readText();
                        for (int f = 0; f < 10 && !welcome.startsWith("{\"type\":\"welcome\""); f++) {
                            early.increment();
                            welcome = ws.readText();
                        }
                        if (!welcome.startsWith("{\"type\":\"welcome\"")) {
                            ws.closeQuietly();
                            throw new IOException("no welcome: " + welcome);
                        }
                        ws.setReadTimeout(0);
                        opened.set(k, new Visitor(visitorSeq.incrementAndGet(), ws, node, welcomeVisitorId(welcome)));
                    } catch (Exception e) {
                        failed.increment();
                        if (errors.size() < 5) errors.add(e.toString());
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        List<Visitor> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) if (opened.get(i) != null) out.add(opened.get(i));
        double secs = (System.nanoTime() - start) / 1e9;
        log("%s: opened %,d visitor sockets in %.1f s (%,.0f/s), %,d failed%s", label, out.size(), secs,
                out.size() / secs, failed.sum(), errors.isEmpty() ? "" : "; e.g. " + errors);
        if (early.sum() > 0) notes.add(label + ": " + early.sum() + " visitor sockets got a frame before their welcome");
        return out;
    }

    static String welcomeVisitorId(String welcome) {
        Matcher m = VISITOR_ID.matcher(welcome);
        return m.find() ? m.group(1) : null;
    }

    private static final Pattern VISITOR_ID = Pattern.compile("\"visitor_id\":\"([^\"]+)\"");

    private static void closeAll(List<Visitor> vs) {
        for (Visitor v : vs) v.ws.closeQuietly();
    }

    // ------------------------------------------------------------------------------------------------ closed loop

    record LoopResult(double acked, double delivered, double rateLimited, Histogram rtt, Procs.Usage cpu,
                      double conversationsPerSec, double webhooksDelivered, double messengerProcessed,
                      double messengerPosted) {}

    /**
     * {@code n} visitors each send a message, wait for its ack, and send the next (no sooner than 1/rate s after
     * the previous when {@code rate} > 0). Counts acks and agent deliveries over the window after the warm-up.
     */
    private LoopResult closedLoop(String label, int n, double rate, int warmup, int window) throws Exception {
        drain(label);
        List<Visitor> vs = openVisitors(label, n, n > 1000, 64, 8192);
        LongAdder acked = new LongAdder();
        LongAdder rateLimited = new LongAdder();
        LongAdder errors = new LongAdder();
        LongAdder timeouts = new LongAdder();
        LongAdder closed = new LongAdder();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        Recorder rtt = new Recorder(60 * SEC, 3);
        long gap = rate > 0 ? (long) (SEC / rate) : 0;
        // Each visitor's first message creates its conversation (a slower path): done and timed before the loop.
        java.util.concurrent.CountDownLatch primed = new java.util.concurrent.CountDownLatch(vs.size());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        long[] plan = new long[3]; // t0, window start, end: written before go opens
        LongAdder primeFailures = new LongAdder();
        List<Thread> threads = new ArrayList<>(vs.size());
        long primeStart = System.nanoTime();
        for (Visitor v : vs) {
            threads.add(Thread.ofVirtual().name("closed-" + v.idx).start(() -> {
                try {
                    boolean ok = false;
                    try {
                        v.ws.setReadTimeout(120_000);
                        v.ws.sendText("{\"type\":\"message\",\"client_id\":\"P" + v.idx + "\",\"text\":\"Hi! I have a question.\"}");
                        for (int frames = 0; frames < 1000 && !ok; frames++) {
                            String f = v.ws.readText();
                            if (f.startsWith(ACK)) ok = true;
                            else if (f.startsWith(ERROR)) break;
                        }
                    } finally {
                        if (!ok) primeFailures.increment();
                        primed.countDown();
                    }
                    if (!go.await(400, TimeUnit.SECONDS)) return;
                    v.ws.setReadTimeout(30_000);
                    long t0 = plan[0];
                    long end = plan[2];
                    long first = t0 + (gap > 0 ? (gap * (v.idx % vs.size())) / vs.size() : 0);
                    sleepUntil(first);
                    long next = first;
                    for (int k = 0; k < 1_000_000; k++) {
                        long now = System.nanoTime();
                        if (now >= end) break;
                        if (next > now) {
                            sleepUntil(Math.min(next, end));
                            continue;
                        }
                        String frame = "{\"type\":\"message\",\"client_id\":\"T" + v.idx + "-" + k
                                + "\",\"text\":\"Hello, is this in stock? (" + k + ")\"}";
                        long sent = System.nanoTime();
                        next = sent + gap;
                        v.ws.sendText(frame);
                        boolean retried = false;
                        for (int frames = 0; frames < 10_000; frames++) {
                            String f = v.ws.readText();
                            if (f.startsWith(ACK)) {
                                acked.increment();
                                if (!retried) rtt.recordValue(Math.min(System.nanoTime() - sent, 60 * SEC));
                                break;
                            }
                            if (f.startsWith(ERROR)) {
                                if (f.contains("\"rate_limited\"")) {
                                    rateLimited.increment();
                                    retried = true;
                                    long retry = System.nanoTime() + SEC / 5;
                                    if (retry >= end) return;
                                    sleepUntil(retry);
                                    v.ws.sendText(frame); // same client_id: idempotent
                                    continue;
                                }
                                errors.increment();
                                if (samples.size() < 5) samples.add(f);
                                break;
                            }
                            // message.created echo, conversation events, tabs…: not what we wait for
                        }
                    }
                } catch (SocketTimeoutException e) {
                    timeouts.increment();
                } catch (IOException | RuntimeException | InterruptedException e) {
                    closed.increment();
                    if (samples.size() < 5) samples.add(e.toString());
                }
            }));
        }
        boolean allPrimed = primed.await(300, TimeUnit.SECONDS);
        double primeSecs = (System.nanoTime() - primeStart) / 1e9;
        double conversationsPerSec = (vs.size() - primed.getCount() - primeFailures.sum()) / primeSecs;
        log("%s: first message of each visitor (creates its conversation): %,d in %.1f s = %,.0f/s%s", label,
                vs.size() - primed.getCount() - primeFailures.sum(), primeSecs, conversationsPerSec,
                allPrimed && primeFailures.sum() == 0 ? "" : " (" + (primed.getCount() + primeFailures.sum()) + " failed or timed out)");
        long t0 = System.nanoTime() + SEC / 10;
        long windowStart = t0 + warmup * SEC;
        long end = windowStart + window * SEC;
        plan[0] = t0;
        plan[1] = windowStart;
        plan[2] = end;
        log("%s: %,d visitors, closed loop%s: %d s warm-up, %d s window…", label, vs.size(),
                gap > 0 ? String.format(", at most %.1f msg/s each", rate) : "", warmup, window);
        if (beforeLoop != null) {
            beforeLoop.run();
            beforeLoop = null;
        }
        go.countDown();
        sleepUntil(windowStart);
        long ack0 = acked.sum();
        long del0 = agent.delivered.sum();
        long rl0 = rateLimited.sum();
        long wh0 = webhooks == null ? 0 : webhooks.delivered.sum();
        long fb0 = messengerStored();
        long fbPosted0 = messenger == null ? 0 : messenger.posted.sum();
        rtt.getIntervalHistogram(); // drop the warm-up
        MessengerWindow.Mark fbMark = messenger == null ? null : MessengerWindow.mark(messenger);
        StringBuilder fbSeconds = new StringBuilder();
        Procs.Cpu cpu0 = procs.cpu();
        StringBuilder perSecond = new StringBuilder();
        long prev = ack0;
        MessengerWindow.Mark fbPrev = fbMark;
        for (int s = 1; s <= window; s++) {
            sleepUntil(windowStart + s * SEC);
            long now = acked.sum();
            perSecond.append(' ').append(now - prev);
            prev = now;
            if (fbPrev != null) {
                MessengerWindow.Mark m = MessengerWindow.mark(messenger);
                fbSeconds.append(String.format(" %d/%d/%d(%d)", m.offered() - fbPrev.offered(), m.accepted() - fbPrev.accepted(),
                        m.processed() - fbPrev.processed(), m.backlog()));
                fbPrev = m;
            }
        }
        Procs.Usage usage = procs.cpu().since(cpu0);
        long ack1 = acked.sum();
        long del1 = agent.delivered.sum();
        long rl1 = rateLimited.sum();
        long wh1 = webhooks == null ? 0 : webhooks.delivered.sum();
        long fb1 = messengerStored();
        long fbPosted1 = messenger == null ? 0 : messenger.posted.sum();
        messengerWindow = fbMark == null ? null : MessengerWindow.of(label, fbMark, MessengerWindow.mark(messenger), window,
                fb1 - fb0, messenger.lag.getIntervalHistogram(), fbSeconds.toString());
        Histogram h = rtt.getIntervalHistogram();
        for (Thread t : threads) t.join(Duration.ofSeconds(40));
        closeAll(vs);
        LoopResult r = new LoopResult((ack1 - ack0) / (double) window, (del1 - del0) / (double) window,
                (rl1 - rl0) / (double) window, h, usage, conversationsPerSec, (wh1 - wh0) / (double) window,
                (fb1 - fb0) / (double) window, (fbPosted1 - fbPosted0) / (double) window);
        log("%s: acked %,.0f/s, delivered to agent %,.0f/s, rate-limited %,.0f/s, errors %d, timeouts %d, sockets lost %d%s",
                label, r.acked, r.delivered, r.rateLimited, errors.sum(), timeouts.sum(), closed.sum(),
                samples.isEmpty() ? "" : "; e.g. " + samples);
        log("%s: acks per second over the window:%s", label, perSecond);
        log("%s: send→ack p50 %s p99 %s max %s; %s", label, ms(h, 50), ms(h, 99), ms(h, 100), usage);
        if (agent.lost != null) notes.add("The agent socket was lost during phase " + label + ": " + agent.lost);
        return r;
    }

    // ------------------------------------------------------------------------------------------------ open loop

    /** {@code crossNode}: the messages sent to another node than the agent's (null with one node). */
    record LatResult(Histogram latency, Histogram lateness, long scheduled, long missing, Procs.Usage cpu, double webhooksDelivered,
                     Histogram crossNode) {}

    /**
     * Sends {@code rate} msg/s in total, spread evenly over the visitors, each message at a fixed time
     * (not when the previous one came back: no coordinated omission). The agent socket times each message from
     * its scheduled time; the sender's own lag is reported apart.
     */
    private LatResult openLoop(String label, List<Visitor> vs, double rate, int warmup, int window) throws Exception {
        Counters c = new Counters();
        counters = c;
        for (Visitor v : vs) if (!v.readerStarted) startReader(v);
        // A visitor's first message creates its conversation (a slower path): done before the schedule starts.
        List<Visitor> fresh = vs.stream().filter(v -> !v.primed).toList();
        if (!fresh.isEmpty()) {
            long p0 = System.nanoTime();
            for (Visitor v : fresh) {
                try {
                    v.ws.sendText("{\"type\":\"message\",\"client_id\":\"P" + v.idx + "\",\"text\":\"Hi! I have a question.\"}");
                    v.primed = true;
                } catch (IOException e) {
                    c.errors.increment();
                }
            }
            while (c.acked.sum() + c.errors.sum() < fresh.size() && System.nanoTime() - p0 < 120 * SEC) Thread.sleep(10);
            log("%s: first message of %,d visitors (creates their conversations) acked in %.1f s", label, c.acked.sum(),
                    (System.nanoTime() - p0) / 1e9);
            c = new Counters();
            counters = c;
        }
        long gap = (long) (SEC / rate);
        long t0 = System.nanoTime() + SEC / 10;
        long windowStart = t0 + warmup * SEC;
        long windowEnd = windowStart + window * SEC;
        drain(label);
        long total = (long) (rate * (warmup + window)) + 1;
        if (total > 10_000_000) throw new IllegalArgumentException("too many messages: " + total);
        agent.arrived = new java.util.concurrent.atomic.AtomicIntegerArray((int) total + 1);
        String latencyFile = "latency".equals(label) ? opt.get("latency-file") : null;
        agent.latencies = latencyFile == null ? null : new java.util.concurrent.atomic.AtomicLongArray((int) total + 1);
        agent.latency.getIntervalHistogram();
        agent.crossLatency.getIntervalHistogram();
        agent.nodeOf = ports.length > 1 ? new java.util.concurrent.atomic.AtomicIntegerArray((int) total + 1) : null;
        agent.inWindow.reset();
        agent.windowStart = windowStart;
        agent.windowEnd = windowEnd;
        log("%s: %,.0f msg/s open loop over %,d visitors (%.1f msg/s each): %d s warm-up, %d s window…",
                label, rate, vs.size(), rate / vs.size(), warmup, window);
        Histogram lateness = new Histogram(60 * SEC, 3);
        long scheduled = 0;
        long sendFailures = 0;
        Procs.Cpu cpu0 = null;
        long wh0 = 0;
        for (long k = 0; k < total; k++) {
            long sched = t0 + k * gap;
            if (sched >= windowEnd) break;
            if (cpu0 == null && sched >= windowStart) {
                cpu0 = procs.cpu();
                wh0 = webhooks == null ? 0 : webhooks.delivered.sum();
            }
            while (true) {
                long d = sched - System.nanoTime();
                if (d <= 0) break;
                LockSupport.parkNanos(d);
            }
            long now = System.nanoTime();
            boolean inWindow = sched >= windowStart;
            if (inWindow) {
                lateness.recordValue(Math.min(now - sched, 60 * SEC));
                scheduled++;
            }
            Visitor v = vs.get((int) (k % vs.size()));
            var nodeOf = agent.nodeOf;
            if (nodeOf != null) nodeOf.set((int) k, v.node + 1);
            try {
                // The schedule in base 36 and capital letters between the numbers: a run of 13 or more digits could
                // be taken for a card number, and the server masks those in client ids.
                v.ws.sendText("{\"type\":\"message\",\"client_id\":\"L" + Long.toString(sched - ORIGIN, 36) + "V" + v.idx + "K" + k
                        + "\",\"text\":\"Do you ship to Brno? (" + k + ")\"}");
            } catch (IOException e) {
                sendFailures++;
            }
        }
        Procs.Usage usage = procs.cpu().since(cpu0);
        double whRate = ((webhooks == null ? 0 : webhooks.delivered.sum()) - wh0) / (double) window;
        long graceEnd = System.nanoTime() + 10 * SEC;
        while (agent.inWindow.sum() < scheduled && System.nanoTime() < graceEnd) Thread.sleep(20);
        agent.windowStart = Long.MAX_VALUE;
        Histogram h = agent.latency.getIntervalHistogram();
        long missing = scheduled - agent.inWindow.sum();
        if (missing > 0) {
            // Not delivered within the grace time: counted at their lower bound (now − scheduled), never dropped.
            long now = System.nanoTime();
            var seen = agent.arrived;
            for (int k = 0; k < seen.length(); k++) {
                long sched = t0 + k * gap;
                if (sched >= windowStart && sched < windowEnd && seen.get(k) == 0) {
                    h.recordValue(Math.min(now - sched, 60 * SEC));
                }
            }
        }
        if (latencyFile != null) writeLatencies(Path.of(latencyFile), agent.latencies, t0, gap);
        log("%s: latency p50 %s p90 %s p99 %s p99.9 %s max %s ; %d of %d not delivered within 10 s; "
                        + "acks %,d, rate-limited %d, errors %d%s, send failures %d",
                label, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), ms(h, 100), missing, scheduled, c.acked.sum(),
                c.rateLimited.sum(), c.errors.sum(), c.samples.isEmpty() ? "" : " e.g. " + c.samples, sendFailures);
        log("%s: sender lag behind schedule p50 %s p99 %s max %s; %s", label, ms(lateness, 50), ms(lateness, 99),
                ms(lateness, 100), usage);
        if (agent.lost != null) notes.add("The agent socket was lost during " + label + ": " + agent.lost);
        Histogram cross = agent.crossLatency.getIntervalHistogram();
        agent.nodeOf = null;
        return new LatResult(h, lateness, scheduled, missing, usage, whRate, ports.length > 1 ? cross : null);
    }

    /**
     * --latency-file: one line per message of the window that arrived, "scheduled-time latency" (µs since the epoch,
     * µs), to set beside the server's own timings (a Flight Recorder recording, see bench/README.md).
     */
    private static void writeLatencies(Path file, java.util.concurrent.atomic.AtomicLongArray latencies, long t0, long gap)
            throws IOException {
        java.time.Instant origin = java.time.Instant.now().minusNanos(System.nanoTime() - t0);
        long originMicros = origin.getEpochSecond() * 1_000_000L + origin.getNano() / 1000;
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < latencies.length(); k++) {
            long micros = latencies.get(k);
            if (micros > 0) out.append(originMicros + k * gap / 1000).append(' ').append(micros).append('\n');
        }
        Files.writeString(file, out);
    }

    /** Waits (at most 90 s) until the agent socket has had no message for 2 s: the previous phase's backlog is gone. */
    private void drain(String label) throws InterruptedException {
        drain(label, 90);
    }

    private void drain(String label, int maxSeconds) throws InterruptedException {
        // The load client's own collector must not pause inside a window (its pauses would count as the server's
        // latency): collect now, and give it a young generation that the window cannot fill (bench/run: -Xmn).
        System.gc();
        long start = System.nanoTime();
        long last = agent.delivered.sum();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - start < maxSeconds * SEC) {
            Thread.sleep(200);
            long now = agent.delivered.sum();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= 2 * SEC) {
                break;
            }
        }
        double waited = (System.nanoTime() - start) / 1e9;
        if (waited > 3) log("%s: waited %.1f s for the previous phase's backlog to drain", label, waited);
    }

    // ------------------------------------------------------------------------------------------------ idle

    private void idlePhase(int requested, int latVisitors, double latRate, int warmup) throws Exception {
        Thread.sleep(2000); // let the earlier sockets close on both sides
        if (ports.length > 1) {
            idleOverNodes(requested, latVisitors, latRate, warmup);
            return;
        }
        long serverRoom = Procs.fdLimit(serverPid) - Procs.openFds(serverPid);
        long clientRoom = Procs.fdLimit(Procs.selfPid()) - Procs.openFds(Procs.selfPid());
        int target = (int) Math.min(requested, Math.min(serverRoom, clientRoom) - 100);
        if (target < requested) {
            notes.add(String.format("Idle sockets capped at %,d of %,d: the open-file limit here is %,d per process "
                            + "(server has room for %,d more fds, load client %,d; ulimit -Hn cannot be raised in this container)",
                    target, requested, Procs.fdLimit(serverPid), serverRoom, clientRoom));
            log("idle: capping at %,d sockets (server fd room %,d, client fd room %,d)", target, serverRoom, clientRoom);
        }
        long heap0 = procs.serverHeapAfterGc();
        long rss0 = Procs.rssBytes(serverPid);
        int fds0 = Procs.openFds(serverPid);
        counters = new Counters();
        List<Visitor> idle = openVisitors("idle", target, true, 200, 1024);
        for (Visitor v : idle) startReader(v);
        int hold = intOpt("hold", 15);
        log("idle: holding %,d sockets for %d s…", idle.size(), hold);
        Procs.Cpu cpu0 = procs.cpu();
        Thread.sleep(hold * 1000L);
        Procs.Usage usage = procs.cpu().since(cpu0);
        long alive = idle.stream().filter(v -> !v.readerEnded && !v.ws.isClosed()).count();
        long heap1 = procs.serverHeapAfterGc();
        long rss1 = Procs.rssBytes(serverPid);
        int fds1 = Procs.openFds(serverPid);
        double perConn = alive == 0 ? 0 : (heap1 - heap0) / (double) alive;
        double rssPerConn = alive == 0 ? 0 : (rss1 - rss0) / (double) alive;
        log("idle: %,d of %,d still open after %d s; server heap after full GC %,d → %,d KiB (%,.0f B per socket), "
                        + "RSS %,d → %,d MiB, server fds %,d → %,d; %s", alive, idle.size(), hold, heap0 / 1024, heap1 / 1024,
                perConn, rss0 >> 20, rss1 >> 20, fds0, fds1, usage);
        row("idle chat-box sockets held", String.format("%,d", alive),
                target < requested ? String.format("goal ≥ %,d; opened %,d (fd-limit cap, see note)", requested, target)
                        : String.format("goal ≥ %,d", requested));
        row("  server heap per idle socket (after full GC)", String.format("%,.1f KiB", perConn / 1024),
                String.format("heap %,d → %,d MiB; RSS +%,.1f KiB/socket", heap0 >> 20, heap1 >> 20, rssPerConn / 1024));
        row("  CPU cores while holding: server / PG / client", cores(usage), others(usage) + "; pings every 15 s");

        // 6. The latency again, with all those sockets connected to the same account.
        if (intOpt("lat-with-idle", 1) == 1 && idle.size() >= latVisitors) {
            LatResult r = openLoop("latency+idle", idle.subList(0, latVisitors), latRate, warmup, 10);
            row(String.format("delivery latency p50 / p99 with %,d idle held", alive),
                    ms(r.latency, 50) + " / " + ms(r.latency, 99), String.format("p99.9 %s, max %s, %d of %d not delivered",
                            ms(r.latency, 99.9), ms(r.latency, 100), r.missing, r.scheduled));
            row("  CPU cores: server / PG / load client", cores(r.cpu), others(r.cpu));
        }
        closeAll(idle);
    }

    /**
     * Idle chat boxes spread round-robin over the nodes. Each process here is capped at 20,000 open files (`ulimit -Hn`
     * is 20,000 in this container and no process may raise it), the load client too: the sockets are held by
     * separate holder processes (IdleHolder, ≤ --holder-sockets each), so the count is capped by the nodes' room only.
     */
    private void idleOverNodes(int requested, int latVisitors, double latRate, int warmup) throws Exception {
        long room = 0;
        StringBuilder rooms = new StringBuilder();
        for (long pid : serverPids) {
            long r = Procs.fdLimit(pid) - Procs.openFds(pid) - 200;
            room += r;
            rooms.append(rooms.isEmpty() ? "" : ", ").append(String.format("%,d", r));
        }
        // Round-robin puts ⌈target / N⌉ on each node: the smallest room bounds it.
        long smallest = Long.MAX_VALUE;
        for (long pid : serverPids) smallest = Math.min(smallest, Procs.fdLimit(pid) - Procs.openFds(pid) - 200);
        int target = (int) Math.min(requested, Math.min(room, smallest * ports.length));
        if (target < requested) {
            notes.add(String.format("Idle sockets capped at %,d of %,d by the nodes' open-file room (%s)", target, requested, rooms));
        }
        int perHolder = intOpt("holder-sockets", 18_000);
        int holders = (target + perHolder - 1) / perHolder;
        long heap0 = procs.serverHeapAfterGc();
        long rss0 = 0;
        for (long pid : serverPids) rss0 += Procs.rssBytes(pid);
        log("idle: %,d sockets over %d nodes (fd room %s) from %d holder process(es) of ≤ %,d (each process here is capped at %,d open files)…",
                target, ports.length, rooms, holders, perHolder, Procs.fdLimit(Procs.selfPid()));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String portList = java.util.Arrays.stream(ports).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
        List<Process> procsOpen = new ArrayList<>();
        List<java.io.BufferedReader> outs = new ArrayList<>();
        List<java.io.PrintWriter> ins = new ArrayList<>();
        long opened = 0;
        long alive = 0;
        Procs.Usage usage = null;
        long t0 = System.nanoTime();
        try {
            for (int h = 0; h < holders; h++) {
                int count = Math.min(perHolder, target - h * perHolder);
                Process p = new ProcessBuilder(javaBin, "-Xmx768m", "-Xss256k", "-cp", jar, "app.parley.bench.IdleHolder",
                        "--ports", portList, "--key", chatKey, "--count", Integer.toString(count),
                        "--offset", Integer.toString(h * perHolder), "--max-seconds", Integer.toString(600),
                        "--concurrency", Integer.toString(Math.max(1, 200 / holders)))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                procsOpen.add(p);
                outs.add(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                ins.add(new java.io.PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8));
            }
            for (int h = 0; h < holders; h++) {
                String line = outs.get(h).readLine();
                log("idle: holder %d: %s", h + 1, line);
                if (line != null && line.startsWith("opened ")) opened += Long.parseLong(line.split(" ")[1]);
            }
            log("idle: %,d opened in %.1f s; node fds %s", opened, (System.nanoTime() - t0) / 1e9, nodeFds());
            int hold = intOpt("hold", 15);
            log("idle: holding for %d s…", hold);
            Procs.Cpu cpu0 = procs.cpu();
            Thread.sleep(hold * 1000L);
            usage = procs.cpu().since(cpu0);
            for (int h = 0; h < holders; h++) {
                ins.get(h).println("count");
                String line = outs.get(h).readLine();
                if (line != null && line.startsWith("alive ")) alive += Long.parseLong(line.split(" ")[1]);
            }
            long heap1 = procs.serverHeapAfterGc();
            long rss1 = 0;
            for (long pid : serverPids) rss1 += Procs.rssBytes(pid);
            log("idle: %,d of %,d still open after %d s; node fds %s; heap of all nodes after full GC %,d → %,d KiB; %s",
                    alive, opened, hold, nodeFds(), heap0 / 1024, heap1 / 1024, usage);
            row("idle chat-box sockets held", String.format("%,d", alive),
                    String.format("goal ≥ %,d%s; over %d nodes, from %d holder processes (20,000 open files per process here)", requested,
                            target < requested ? String.format(", opened %,d (fd-limit cap, see note)", target) : "", ports.length, holders));
            double perConn = alive == 0 ? 0 : (heap1 - heap0) / (double) alive;
            row("  server heap per idle socket (after full GC)", String.format("%,.1f KiB", perConn / 1024),
                    String.format("all nodes' heap %,d → %,d MiB; RSS +%,.1f KiB/socket", heap0 >> 20, heap1 >> 20,
                            alive == 0 ? 0 : (rss1 - rss0) / (double) alive / 1024));
            row("  CPU cores while holding: server / PG / client", cores(usage), others(usage) + "; client = this JVM, not the holders");
            if (intOpt("lat-with-idle", 1) == 1 && latVisitors > 0) {
                List<Visitor> lv = openVisitors("latency+idle", latVisitors, false, 64, 8192);
                LatResult r = openLoop("latency+idle", lv, latRate, warmup, 10);
                closeAll(lv);
                row(String.format("delivery latency p50 / p99 with %,d idle held", alive),
                        ms(r.latency, 50) + " / " + ms(r.latency, 99), String.format("p99.9 %s, max %s, %d of %d not delivered",
                                ms(r.latency, 99.9), ms(r.latency, 100), r.missing, r.scheduled));
                row("  CPU cores: server / PG / load client", cores(r.cpu), others(r.cpu));
            }
        } finally {
            for (var in : ins) in.println("close");
            for (Process p : procsOpen) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private String nodeFds() {
        StringBuilder out = new StringBuilder();
        for (long pid : serverPids) out.append(out.isEmpty() ? "" : " / ").append(String.format("%,d", Procs.openFds(pid)));
        return out.toString();
    }

    @FunctionalInterface
    interface Logger {
        void log(String format, Object... args);
    }

    private void failoverPhase(int rate) throws Exception {
        drain("failover");
        String url = "jdbc:postgresql://" + HOST + ":" + pgPort + "/postgres?ApplicationName=parley-bench";
        Failover.Result r = new Failover(ports, serverPids, chatKey, url, pgPassword())
                .run(intOpt("failover-visitors", 150), rate, intOpt("failover-before", 3), intOpt("failover-after", 10), Bench::log);
        log("failover: node %d killed; first ack elsewhere %.0f ms, all %d of its clients answered again %s; reconnect p50 %s max %s; "
                        + "sent %,d, acked %,d, unacked at end %d, reconnect attempts failed %d, errors %d %s",
                r.killedNode(), r.firstAckMs(), r.clientsOfKilled(), Double.isNaN(r.allAnsweredMs()) ? "never (" + r.answeredAgain() + " were)"
                        : String.format("%.0f ms", r.allAnsweredMs()), ms(r.reconnect(), 50), ms(r.reconnect(), 100), r.sent(), r.acked(),
                r.unackedAtEnd(), r.reconnectFailures(), r.errors(), r.errors() > 0 ? r.errorSamples() : "");
        row(String.format("failover: kill -9 node %d → first ack on another node", r.killedNode()),
                Double.isNaN(r.firstAckMs()) ? "none" : String.format(Locale.ROOT, "%.0f ms", r.firstAckMs()),
                String.format("%,d msg/s open loop over %d chat boxes on %d nodes; a chat box of the killed node reconnects "
                        + "(same visitor) and resends its unacked messages, same client_id", rate, intOpt("failover-visitors", 150), ports.length));
        row(String.format("  all %d chat boxes of node %d answered again", r.clientsOfKilled(), r.killedNode()),
                Double.isNaN(r.allAnsweredMs()) ? r.answeredAgain() + " of " + r.clientsOfKilled()
                        : String.format(Locale.ROOT, "%.0f ms", r.allAnsweredMs()),
                String.format("socket lost → welcome on another node p50 %s, max %s; %d connect attempts refused",
                        ms(r.reconnect(), 50), ms(r.reconnect(), 100), r.reconnectFailures()));
        row("  acked client ids stored exactly once", String.format("%,d of %,d", r.storedOnce(), r.acked()),
                String.format("counted in messages over JDBC: %d stored twice or more, %d acked but missing; %d never acked; %d errors",
                        r.duplicates(), r.missing(), r.unackedAtEnd(), r.errors()));
        if (r.duplicates() > 0 || r.missing() > 0) notes.add("FAILOVER: acked client ids not stored exactly once: " + r.duplicates()
                + " duplicated, " + r.missing() + " missing");
    }

    // ------------------------------------------------------------------------------------------------ output

    private void row(String figure, String value, String reference) {
        table.add(new String[] {figure, value, reference});
    }

    private void printTable() {
        int w0 = 6, w1 = 6;
        for (String[] r : table) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        StringBuilder out = new StringBuilder("\n");
        String format = "%-" + w0 + "s  %" + w1 + "s   %s%n";
        out.append(String.format(format, "figure", "parley", "reference/goal"));
        out.append("-".repeat(w0 + w1 + 40)).append('\n');
        for (String[] r : table) out.append(String.format(format, r[0], r[1], r[2]));
        for (String n : notes) out.append("note: ").append(n).append('\n');
        System.out.print(out);
        System.out.flush();
        String tableOut = opt.get("table-out");
        if (tableOut != null) {
            // For bench/run --nodes 1,3 (SideBySide): the node count, then figure TAB value TAB reference per row.
            StringBuilder tsv = new StringBuilder("nodes\t" + ports.length + "\t\n");
            for (String[] r : table) tsv.append(String.join("\t", r[0], r[1], r[2].replace('\t', ' '))).append('\n');
            try {
                Files.writeString(Path.of(tableOut), tsv);
            } catch (IOException e) {
                System.err.println("bench: cannot write " + tableOut + ": " + e);
            }
        }
    }

    private static String fmt(double perSecond) {
        return String.format("%,.0f", perSecond);
    }

    private static String ms(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) return "n/a";
        long v = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.2f ms", v / 1e6);
    }

    private static String cores(Procs.Usage u) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", u.server(), u.pg(), u.client());
    }

    /** CPU time per acknowledged message: noise from other processes inflates wall time, not this. */
    private static String perMessage(Procs.Usage u, double perSecond) {
        if (perSecond <= 0) return "n/a";
        return String.format("%,.0f µs / %,.0f µs", (u.server() + u.pg()) / perSecond * 1e6, u.client() / perSecond * 1e6);
    }

    private static String projection(Procs.Usage u, double perSecond) {
        if (perSecond <= 0) return "";
        int cpus = Runtime.getRuntime().availableProcessors();
        return String.format("≈ %,.0f msg/s if server + PG had all %d cores to themselves (CPU-bound estimate)",
                perSecond * cpus / (u.server() + u.pg()), cpus);
    }

    private static String fmtRate(double r) {
        return r == Math.rint(r) ? String.format("%,.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    private static String others(Procs.Usage u) {
        return String.format(Locale.ROOT, "other processes on the machine: %.2f of %d cores", u.others(),
                Runtime.getRuntime().availableProcessors());
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (int i = 0; i < 1_000_000; i++) {
            long d = deadline - System.nanoTime();
            if (d <= 0) return;
            TimeUnit.NANOSECONDS.sleep(d);
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - ORIGIN) / 1e9, String.format(format, args));
        System.out.flush();
    }

    /** The Messenger load over one closed loop's window. */
    record MessengerWindow(String label, double offered, double accepted, double processed, long backlogStart, long backlogEnd,
                           double growth, long skipped, Histogram lag, String perSecond) {
        record Mark(long offered, long accepted, long processed, long skipped) {
            long backlog() {
                return Math.max(0, accepted - processed);
            }
        }

        static Mark mark(MessengerLoad m) {
            return new Mark(m.offered.sum(), m.posted.sum(), m.processed.sum(), m.skipped.sum());
        }

        static MessengerWindow of(String label, Mark start, Mark end, int window, long storedInDb, Histogram lag, String perSecond) {
            double growth = (end.backlog() - start.backlog()) / (double) window;
            return new MessengerWindow(label, (end.offered() - start.offered()) / (double) window,
                    (end.accepted() - start.accepted()) / (double) window, storedInDb / (double) window,
                    start.backlog(), end.backlog(), growth, end.skipped() - start.skipped(), lag, perSecond);
        }

        /** Flat: over the window the backlog grew by less than half a second of what was accepted, and ends under two seconds of it. */
        boolean flat() {
            return backlogEnd - backlogStart < 0.5 * accepted && backlogEnd < 2 * accepted && skipped == 0;
        }
    }
}
