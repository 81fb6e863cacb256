package app.parley.http;

import app.parley.account.AccountQueries;
import app.parley.account.Caller;
import app.parley.account.Team;
import app.parley.core.Refusal;
import app.parley.recording.RecordingIngest;
import app.parley.recording.RecordingOptions;
import app.parley.recording.RecordingSettings;
import app.parley.recording.Recordings;
import app.parley.tracking.VisitorDirectory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Session recordings (issue #16, docs/API.md "Recordings"): the chat box's recorder asks what to mask and sends
 * compressed chunks; agents list a visitor's recordings and load one into the player; admins set the options.
 */
public final class RecordingRoutes {
    record SettingsPatch(Boolean enabled, Boolean maskAllText, Boolean maskNumbers, Boolean maskEmails, Boolean consentMode,
                         Boolean excludeMobile, Integer retentionDays) {}

    private final Routes routes;
    private final AccountQueries accounts;
    private final RecordingSettings settings;
    private final RecordingIngest ingest;
    private final Recordings recordings;
    private final VisitorDirectory directory;
    // A recorder sends a chunk every few seconds; a page that sends far more is broken or hostile.
    private final Throttle chunks = new Throttle(120, Duration.ofMinutes(1));

    public RecordingRoutes(Routes routes, AccountQueries accounts, RecordingSettings settings, RecordingIngest ingest,
                           Recordings recordings, VisitorDirectory directory) {
        this.routes = routes;
        this.accounts = accounts;
        this.settings = settings;
        this.ingest = ingest;
        this.recordings = recordings;
        this.directory = directory;
    }

    public void register(RoutesConfig r) {
        r.get("/widget/recording", ctx -> {
            ctx.header("Access-Control-Allow-Origin", "*");
            RecordingOptions o = settings.of(chatBoxAccount(ctx));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("enabled", o.enabled());
            out.put("mask_all_text", o.maskAllText());
            out.put("mask_numbers", o.maskNumbers());
            out.put("mask_emails", o.maskEmails());
            out.put("consent_mode", o.consentMode());
            out.put("exclude_mobile", o.excludeMobile());
            ctx.json(out);
        });
        r.post("/widget/recording", ctx -> {
            // Sent as text/plain from the shop's origin (no preflight); the body is gzip, not text.
            ctx.header("Access-Control-Allow-Origin", "*");
            long accountId = chatBoxAccount(ctx);
            String visitor = ctx.queryParam("visitor");
            if (!chunks.tryTake(accountId + ":" + visitor)) {
                throw new Refusal(Refusal.Kind.RATE_LIMITED, "rate_limited", "Too many recording chunks; slow down.");
            }
            var accepted = ingest.accept(accountId, visitor, ctx.queryParam("session"), seq(ctx), ctx.bodyAsBytes());
            ctx.status(202).json(Map.of("recording_id", accepted.recordingId(), "events", accepted.events()));
        });
        r.get("/v2/visitors/{visitor_id}/recordings", ctx -> {
            Caller c = routes.caller(ctx);
            long visitorId = Http.pathId(ctx, "visitor_id");
            directory.card(c.viewer(), visitorId); // not found unless the caller may see this visitor
            ctx.json(Map.of("items", recordings.ofVisitor(c.accountId(), visitorId)));
        });
        r.get("/v2/recordings/{recording_id}/events", ctx -> {
            Caller c = routes.caller(ctx);
            long id = Http.pathId(ctx, "recording_id");
            directory.card(c.viewer(), recordings.visitorOf(c.accountId(), id));
            ctx.contentType("application/json").result(recordings.events(c.accountId(), id));
        });
        r.get("/v2/recording/settings", ctx -> ctx.json(settings.of(routes.caller(ctx).accountId())));
        r.patch("/v2/recording/settings", ctx -> {
            Caller c = routes.caller(ctx);
            Team.requireFullAccess(c);
            SettingsPatch p = Http.body(ctx, SettingsPatch.class);
            ctx.json(settings.update(c.accountId(), new RecordingSettings.Patch(p.enabled(), p.maskAllText(), p.maskNumbers(),
                    p.maskEmails(), p.consentMode(), p.excludeMobile(), p.retentionDays())));
        });
    }

    private long chatBoxAccount(Context ctx) {
        String key = ctx.queryParam("key");
        return accounts.byChatKey(key == null ? "" : key).orElseThrow(() -> Refusal.notFound("The chat box key")).id();
    }

    private static int seq(Context ctx) {
        try {
            return Integer.parseInt(String.valueOf(ctx.queryParam("seq")));
        } catch (NumberFormatException e) {
            throw Refusal.invalid("seq", "seq is a chunk number from 0.");
        }
    }
}
