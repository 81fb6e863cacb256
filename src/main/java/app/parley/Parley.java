package app.parley;

import app.parley.account.AccountQueries;
import app.parley.account.Agents;
import app.parley.account.Auth;
import app.parley.account.Presence;
import app.parley.account.Team;
import app.parley.channel.email.EmailChannel;
import app.parley.channel.messenger.Messenger;
import app.parley.contact.Arrivals;
import app.parley.contact.Contacts;
import app.parley.contact.VisitorCard;
import app.parley.conversation.AgentActions;
import app.parley.conversation.ChannelMessages;
import app.parley.conversation.ConversationLinks;
import app.parley.conversation.Inbox;
import app.parley.conversation.Outreach;
import app.parley.conversation.VisitorActions;
import app.parley.conversation.VisitorThread;
import app.parley.files.FileStore;
import app.parley.files.Uploads;
import app.parley.http.FileRoutes;
import app.parley.http.InstanceRoutes;
import app.parley.instance.Instance;
import app.parley.http.AgentSocket;
import app.parley.http.Http;
import app.parley.http.MailRoutes;
import app.parley.http.MessengerRoutes;
import app.parley.http.OpsRoutes;
import app.parley.http.RecordingRoutes;
import app.parley.http.PushRoutes;
import app.parley.http.Routes;
import app.parley.http.SearchRoutes;
import app.parley.http.SettingsRoutes;
import app.parley.http.VisitorRoutes;
import app.parley.http.VisitorSocket;
import app.parley.notify.NotificationChoices;
import app.parley.notify.NotifyCheck;
import app.parley.notify.NotifyConsumer;
import app.parley.notify.NotifySend;
import app.parley.ops.Metrics;
import app.parley.ops.Readiness;
import app.parley.realtime.AccessWatch;
import app.parley.realtime.ChatStatus;
import app.parley.realtime.Hub;
import app.parley.realtime.LivePages;
import app.parley.realtime.SuspendedAccounts;
import app.parley.realtime.TabCounts;
import app.parley.recording.RecordingIngest;
import app.parley.recording.RecordingRetention;
import app.parley.recording.RecordingSettings;
import app.parley.recording.Recordings;
import app.parley.search.ConversationSearch;
import app.parley.search.Reindex;
import app.parley.search.SavedSearches;
import app.parley.search.SearchIndex;
import app.parley.search.SearchIndexer;
import app.parley.settings.AccountSettings;
import app.parley.settings.Attendance;
import app.parley.settings.FirstRun;
import app.parley.settings.Images;
import app.parley.settings.OfficeHoursBook;
import app.parley.settings.Profile;
import app.parley.settings.Shortcuts;
import app.parley.store.Database;
import app.parley.store.EventConsumers;
import app.parley.store.EventLog;
import app.parley.store.Jobs;
import app.parley.store.Event;
import app.parley.store.EventType;
import app.parley.store.Journal;
import app.parley.store.LogTail;
import app.parley.store.RetrySchedule;
import app.parley.tracking.Blocking;
import app.parley.tracking.ClientAddress;
import app.parley.tracking.Devices;
import app.parley.tracking.Locations;
import app.parley.tracking.PageViewWriter;
import app.parley.tracking.TrackingSettings;
import app.parley.tracking.VisitorDirectory;
import app.parley.webhook.VisitorPresence;
import app.parley.webhook.WebhookConsumer;
import app.parley.webhook.WebhookSender;
import app.parley.webhook.Webhooks;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parley's composition root: builds every part with {@code new}, starts the server, stops it without loss. */
public final class Parley implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Parley.class);

    private final Database db;
    private final Journal journal;
    private final TabCounts tabCounts;
    private final Javalin web;
    private final ScheduledExecutorService housekeeping;
    private final Hub hub;
    private final LogTail logTail;
    private final AccessWatch accessWatch;
    private final EventConsumers consumers;
    private final Jobs jobs;
    private final VisitorPresence visitorPresence;
    private final EmailChannel email;
    private final Locations locations;
    private final PageViewWriter pageViews;
    private final LivePages livePages;
    private final Attendance attendance;
    private final OfficeHoursBook officeHours;
    private final Metrics metrics;
    private final Readiness readiness;
    private final int drainSeconds;
    private final SuspendedAccounts suspendedAccounts;
    private final app.parley.store.Nodes nodes;

    private Parley(Config config, Database db) {
        this.db = db;
        var jdbi = db.jdbi();
        this.hub = new Hub();
        Inbox inbox = new Inbox(jdbi);
        this.tabCounts = new TabCounts(inbox, hub);
        // The durable backbone: consumers of the event log and the job table (docs/WEBHOOKS.md).
        Duration poll = Duration.ofMillis(config.backbonePollMillis());
        // Up to 64 jobs in flight: webhook deliveries go in batches (a batch takes at most all the slots), and a mail
        // server or the Graph API must not see hundreds of connections from one shop.
        this.jobs = new Jobs(jdbi, poll, Duration.ofSeconds(60), 64);
        this.consumers = new EventConsumers(jdbi, poll);
        consumers.register(WebhookConsumer.NAME, EventConsumers.StartAt.NOW, new WebhookConsumer(), jobs::wake);
        WebhookSender webhookSender = new WebhookSender(jdbi, jobs.gate(),
                RetrySchedule.standard(config.webhookRetryBaseMillis(), config.webhookMaxAttempts()));
        jobs.registerBatch(WebhookSender.KIND, webhookSender);
        jobs.registerCoalescing(WebhookSender.BATCH, webhookSender);
        // Issue #15: this process among the nodes on the database; what its sockets hold is counted per node.
        this.nodes = new app.parley.store.Nodes(jdbi, Duration.ofSeconds(config.nodeTimeoutSeconds()));
        app.parley.store.SharedBuckets sharedBuckets = config.cluster() ? new app.parley.store.SharedBuckets(db.dataSource()) : null;
        app.parley.http.Throttles throttles = config.cluster() ? app.parley.http.Throttles.across(sharedBuckets)
                : app.parley.http.Throttles.local();
        this.visitorPresence = new VisitorPresence(jdbi, jobs.gate(), Duration.ofMillis(config.visitorLeftGraceMillis()), jobs::wake,
                nodes);
        jobs.register(VisitorPresence.LEFT, visitorPresence::left);
        // Search (issue #14): documents kept by a consumer, rebuilt by jobs, never on the chat's write path.
        if (config.searchIndexing()) consumers.register(SearchIndexer.NAME, EventConsumers.StartAt.NOW, new SearchIndexer());
        jobs.register(Reindex.KIND, new Reindex(jdbi, jobs.gate()));
        SearchIndex searchIndex = new SearchIndex(jdbi, jobs::wake);
        if (config.searchIndexing()) searchIndex.backfill();
        Presence presence = new Presence(accountId -> jdbi.withHandle(h -> Agents.ofAccount(h, accountId)));
        ChatStatus chatStatus = new ChatStatus(hub, presence);
        this.officeHours = new OfficeHoursBook(jdbi, Clock.systemUTC());
        presence.withinHours(officeHours::open);
        officeHours.onChange(chatStatus::refresh);
        // Operations (issue #15, point 8): metrics read at scrape time; consumer lag and job counts at most every 5 s.
        this.metrics = new Metrics(jdbi, Duration.ofSeconds(5));
        metrics.sockets(app.parley.conversation.Reader.AGENT.wire(), hub::agentSockets);
        metrics.sockets(app.parley.conversation.Reader.VISITOR.wire(), hub::visitorSockets);
        // Committed events reach this node's sockets through its log tail, whichever node committed them (issue #15).
        String node = config.cluster() ? nodes.id().toString() : null;
        this.logTail = new LogTail(jdbi, db.dataSource(), node, config.tailPollMillis(), events -> {
            hub.publish(events);
            tabCounts.onCommitted(events);
            chatStatus.onCommitted(events);
            consumers.wake();
        });
        hub.publishedBy(logTail::published);
        // Typing goes to the other nodes' sockets too (ephemeral: a notification, never stored).
        if (config.cluster()) {
            hub.relayTo(typing -> logTail.signal(app.parley.core.Json.write(typing)));
            logTail.onSignal(payload -> hub.typingFromElsewhere(app.parley.core.Json.read(payload, Hub.Typing.class)));
        }
        // Messages are counted by the node that stored them: the sum over nodes is the installation's.
        logTail.afterCommitHere(metrics::published);
        this.journal = new Journal(jdbi, logTail, node);
        logTail.start();
        journal.observe(metrics.journal());
        metrics.journal().meetWriter(journal);
        this.readiness = new Readiness(db::available, metrics.journal()::writerAlive);
        this.drainSeconds = config.ops().drainSeconds();
        this.accessWatch = new AccessWatch(jdbi);
        // Another node changed an agent's role, groups or activity: sockets here are checked before its next events.
        logTail.beforeReading(events -> events.stream()
                .filter(e -> e.type().equals(EventType.AGENT_UPDATED.wire()) || e.type().startsWith("group."))
                .map(Event::accountId).distinct().forEach(accessWatch::recheck));
        Auth auth = new Auth(jdbi, accessWatch);
        Team team = new Team(journal, auth, ConversationLinks::groupDeleted);
        VisitorCard card = new VisitorCard(journal, jdbi);
        AccountQueries accounts = new AccountQueries(jdbi);
        VisitorActions visitorActions = new VisitorActions(journal, presence::chatOnline);
        AgentActions agentActions = new AgentActions(journal);
        this.email = new EmailChannel(jdbi, config.mail(),
                new ChannelMessages(journal), agentActions, jobs, consumers, poll);
        // Notifications to agents (issue #12, point 4): a consumer opens a burst, a delayed job checks and mails.
        consumers.register(NotifyConsumer.NAME, EventConsumers.StartAt.NOW,
                new NotifyConsumer(Duration.ofMillis(config.mail().notifyDelayMillis())), jobs::wake);
        // Web Push (issue #17): the same notices to agents' devices while no dashboard tab of theirs is open.
        // Issue #18 and #15: presence follows the dashboard's open tabs, counted per node.
        this.attendance = new Attendance(jdbi, team, nodes, jobs::wake);
        jobs.register(Attendance.ABSENCE, attendance::absence);
        // A tab on another node counts too: this node's consumer may be the one that runs.
        app.parley.push.OpenTabs openTabs = (accountId, agentId) -> hub.agents(accountId).stream()
                .anyMatch(c -> c.viewer() != null && c.viewer().agentId() == agentId) || attendance.tabOpen(agentId);
        app.parley.push.PushKeys pushKeys = app.parley.push.PushKeys.loadOrCreate(jdbi);
        consumers.register(app.parley.push.PushConsumer.NAME, EventConsumers.StartAt.NOW, new app.parley.push.PushConsumer(openTabs),
                jobs::wake);
        jobs.register(app.parley.push.PushSend.KIND, new app.parley.push.PushSend(jdbi, jobs.gate(), pushKeys, config.push()));
        jobs.register(NotifyCheck.KIND, new NotifyCheck(jdbi, jobs.gate(),
                () -> config.mail().publicUrl() != null ? config.mail().publicUrl() : "http://localhost:" + this.port())
                .alsoTell(new app.parley.push.PushNotices(openTabs)));
        jobs.register(NotifySend.KIND, new NotifySend(email::sendNotice,
                config.mail().retryBaseMillis()));
        Messenger messenger = new Messenger(jdbi, journal, jobs, consumers, visitorActions, config.graphApiUrl(),
                config.messengerRetryBaseMillis(), 8, email::sendNotice,
                () -> config.mail().publicUrl() != null ? config.mail().publicUrl() : "http://localhost:" + this.port());
        Routes routes = new Routes(accounts, inbox, auth, team, agentActions, card, new Contacts(journal, jdbi), presence,
                config.secureCookies(), config.passwordHashConcurrency(), new Webhooks(jdbi, jobs::wake, visitorPresence::subscriptionsChanged),
                throttles);
        // Visitor tracking (issue #11): page views take their own batched writer, never the journal.
        TrackingSettings trackingSettings = new TrackingSettings(jdbi);
        this.locations = Locations.open(config.geoipDb(), config.dataDir().resolve("geoip"));
        this.pageViews = new PageViewWriter(jdbi, Devices.buildInBackground(), locations, trackingSettings, config.pageViewQueue(),
                java.time.Duration.ofMillis(config.pageViewGatherMillis()));
        // Issue #11: each committed batch of page views reaches the open visitor cards live.
        this.livePages = new LivePages(hub, jdbi);
        pageViews.afterCommit(livePages);
        if (config.cluster()) livePages.pollOtherNodes(Duration.ofSeconds(1));
        Blocking blocking = new Blocking(jdbi, trackingSettings);
        VisitorSocket visitorSocket = new VisitorSocket(accounts, new Arrivals(jdbi), new VisitorThread(jdbi), hub,
                visitorActions, card, presence, config.visitorMessageRate(), config.newVisitorsPerIpPerMinute(),
                config.newConversationsPerIpPerMinute(),
                new VisitorSocket.Tracking(pageViews, blocking, ClientAddress.of(config.trustedProxies()), trackingSettings),
                visitorPresence, throttles);
        VisitorRoutes visitorRoutes = new VisitorRoutes(routes, card, new VisitorDirectory(jdbi), blocking, hub, visitorSocket,
                new Outreach(journal));
        AgentSocket agentSocket = new AgentSocket(inbox, hub, auth, presence, accessWatch);
        SearchRoutes searchRoutes = new SearchRoutes(auth, new ConversationSearch(jdbi), new SavedSearches(jdbi), searchIndex,
                throttles);
        routes.reportHealth(db::available);
        routes.sendEmailWith(email.replies());
        visitorSocket.sendTranscriptsWith(email.transcripts());
        MailRoutes mailRoutes = new MailRoutes(auth, inbox, email,
                new NotificationChoices(jdbi), throttles);
        // Issue #18: account, chat box and profile settings; presence that follows the dashboard's open tabs.
        AccountSettings accountSettings = new AccountSettings(jdbi, officeHours);
        SettingsRoutes settingsRoutes = new SettingsRoutes(auth, accounts, accountSettings, new Profile(jdbi, team, auth),
                new Images(jdbi), officeHours, new Shortcuts(jdbi), new FirstRun(jdbi), throttles);
        routes.widgetSettings(settingsRoutes::widgetConfig);
        FileStore files = new FileStore(jdbi);
        // Session recordings (issue #16): chunks into daily partitions made ahead; retention drops them off the request path.
        RecordingRetention recordingRetention = new RecordingRetention(jdbi);
        recordingRetention.ensurePartitions(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        RecordingSettings recordingSettings = new RecordingSettings(jdbi);
        RecordingRoutes recordingRoutes = new RecordingRoutes(routes, accounts, recordingSettings,
                new RecordingIngest(jdbi, recordingSettings), new Recordings(jdbi, Duration.ofSeconds(config.recordingReadySeconds())),
                new VisitorDirectory(jdbi));
        agentSocket.attendance(attendance);
        // Issue #15 point 7: a suspended account's sockets are closed and their frames refused on every node.
        this.suspendedAccounts = new SuspendedAccounts(jdbi, hub);
        visitorSocket.refuseSuspended(suspendedAccounts);
        agentSocket.refuseSuspended(suspendedAccounts);
        this.web = Http.create(auth, config.secureCookies(), r -> {
            routes.register(r);
            mailRoutes.register(r);
            visitorRoutes.register(r);
            searchRoutes.register(r);
            new MessengerRoutes(auth, messenger.webhook(), messenger.channel()).register(r);
            settingsRoutes.register(r);
            new FileRoutes(auth, files, new Uploads(jdbi, files, agentActions, visitorActions), email.replies(), throttles).register(r);
            recordingRoutes.register(r);
            new InstanceRoutes(new Instance(jdbi, accessWatch), config.instance(), suspendedAccounts, throttles).register(r);
            new PushRoutes(auth, pushKeys, new app.parley.push.PushDevices(jdbi, config.push().allowHttp(), jobs::wake),
                    throttles).register(r);
            new OpsRoutes(metrics, readiness, config.ops()).register(r);
            r.ws("/ws/visitor", visitorSocket::configure);
            r.ws("/ws/agent", agentSocket::configure);
        });
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("parley-housekeeping").factory());
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                EventConsumers.holdingBackPruning(jdbi, config.eventRetentionDays());
                int n = EventLog.prune(jdbi, config.eventRetentionDays());
                if (n > 0) log.info("Forgot {} events older than {} days", n, config.eventRetentionDays());
                int d = Webhooks.prune(jdbi, config.eventRetentionDays());
                if (d > 0) log.info("Forgot {} delivered webhook deliveries older than {} days", d, config.eventRetentionDays());
                int f = FileStore.forgetAbandoned(jdbi);
                if (f > 0) log.info("Forgot {} uploaded files whose message never came", f);
            } catch (RuntimeException e) {
                log.error("Pruning the event log failed", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                recordingRetention.run();
            } catch (RuntimeException e) {
                log.error("Recording partitions and retention failed", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
        // Office hours open and close chat boxes on the clock, not on an event.
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                if (config.cluster()) officeHours.reread();
                officeHours.tick();
            } catch (RuntimeException e) {
                log.warn("Checking office hours failed", e);
            }
        }, 5, 5, TimeUnit.SECONDS);
        if (sharedBuckets != null) housekeeping.scheduleWithFixedDelay(() -> {
            try {
                int b = sharedBuckets.forgetExpired(10_000);
                if (b > 0) log.info("Forgot {} shared rate buckets that refilled", b);
            } catch (RuntimeException e) {
                log.warn("Forgetting refilled rate buckets failed", e);
            }
        }, 5, 10, TimeUnit.MINUTES);
        nodes.start();
        consumers.start();
        jobs.start();
    }

    /** Opens the database, makes sure an account exists, and starts serving. */
    public static Parley start(Config config) {
        long started = System.nanoTime();
        Database db = config.embeddedDatabase() ? Database.embedded(config.dataDir(), config.postgresBinaries())
                : Database.connect(config.databaseUrl(), config.databaseUser(), config.databasePassword());
        try {
            ensureAccount(db, config);
            Parley parley = new Parley(config, db);
            try {
                parley.web.start(config.host(), config.port());
            } catch (RuntimeException e) {
                // The journal's writer is not a daemon thread: left running it kept a failed start's JVM alive.
                parley.stopParts();
                throw e;
            }
            parley.accessWatch.start();
            parley.suspendedAccounts.start();
            parley.email.start();
            parley.attendance.start();
            log.info("Parley is ready on http://localhost:{} ({} ms)", parley.port(), (System.nanoTime() - started) / 1_000_000);
            return parley;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public int port() {
        return web.port();
    }

    public Database database() {
        return db;
    }

    public Hub hub() {
        return hub;
    }

    public Journal journal() {
        return journal;
    }

    public EventConsumers consumers() {
        return consumers;
    }

    public Jobs jobs() {
        return jobs;
    }

    public app.parley.store.Nodes nodes() {
        return nodes;
    }

    public EmailChannel email() {
        return email;
    }

    public PageViewWriter pageViews() {
        return pageViews;
    }

    public Javalin web() {
        return web;
    }

    public Readiness readiness() {
        return readiness;
    }

    /**
     * What SIGTERM does: the node says "not ready" at once, keeps serving for PARLEY_DRAIN_SECONDS while the load
     * balancer notices and sends new requests elsewhere, then stops in order.
     */
    public void drainAndClose() {
        readiness.stop();
        if (drainSeconds > 0) {
            log.info("Draining: not ready for {} s before stopping", drainSeconds);
            try {
                Thread.sleep(Duration.ofSeconds(drainSeconds));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    /**
     * The first start creates the account and its owner, from PARLEY_OWNER_EMAIL/PASSWORD or with a password
     * printed once.
     */
    static void ensureAccount(Database db, Config config) {
        Instance.ensureFirstAccount(db.jdbi(), config.accountName(), config.ownerEmail(), config.ownerPassword())
                .ifPresent(first -> {
                    String email = first.account().ownerEmail();
                    if (first.generatedPassword() != null) {
                        // Printed once on purpose: the only way to learn a generated password. Never logged again.
                        System.out.println("""

                                Parley created your account.
                                  Sign in at  http://localhost:%d/  as  %s
                                  Password:   %s   (change it, or set PARLEY_OWNER_PASSWORD before the first start)
                                  Chat key:   %s
                                """.formatted(config.port(), email, first.generatedPassword(), first.account().chatKey()));
                    } else {
                        log.info("Created the account with owner {}", email);
                    }
                });
    }

    /** Stops taking requests, lets the journal commit everything it accepted, then closes the database. */
    @Override
    public void close() {
        readiness.stop();
        web.stop();
        email.close();
        accessWatch.close();
        suspendedAccounts.close();
        attendance.close();
        journal.close();
        logTail.close();
        consumers.close();
        jobs.close();
        visitorPresence.close();
        nodes.close();
        pageViews.close();
        livePages.close();
        locations.close();
        tabCounts.close();
        housekeeping.shutdownNow();
        metrics.close();
        db.close();
        log.info("Parley stopped");
    }

    /** What the constructor started, for a start that failed after it (the database is closed by the caller). */
    private void stopParts() {
        nodes.close();
        journal.close();
        logTail.close();
        pageViews.close();
        livePages.close();
        tabCounts.close();
        housekeeping.shutdownNow();
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            System.exit(AdminCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.in,
                    System.out, System.err));
            return;
        }
        Config config;
        try {
            config = Config.load(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Parley cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Parley parley;
        try {
            parley = start(config);
        } catch (RuntimeException e) {
            String reason = whyNotStarted(e, config);
            if (reason == null) {
                log.error("Start failed", e);
                reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            }
            // One line an operator can act on; exit at once, whatever threads the failed start left behind.
            System.err.println("Parley cannot start: " + reason);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(parley::drainAndClose, "parley-shutdown"));
    }

    /** The reason for the failures an operator causes and fixes, or null for any other (logged with its trace). */
    static String whyNotStarted(Throwable e, Config config) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || t instanceof io.javalin.util.JavalinBindException) {
                return "port " + config.port() + " is in use";
            }
            if (t instanceof app.parley.store.DataFolderInUse) return t.getMessage();
        }
        return null;
    }
}
