package app.parley.http;

import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.account.Team;
import app.parley.channel.email.Attachments;
import app.parley.channel.email.EmailChannel;
import app.parley.conversation.Inbox;
import app.parley.core.Input;
import app.parley.core.Refusal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The email channel's routes (docs/API.md, "Email"): the account's SMTP settings and test mail (owner and admins),
 * whether a conversation can be answered by email, and the files that came with a visitor's mail.
 */
public final class MailRoutes {
    record EmailSettingsRequest(String smtpHost, Integer smtpPort, String smtpUser, String smtpPassword, Boolean smtpTls,
                                String fromAddress) {}

    record TestRequest(String to) {}

    record TranscriptRequest(String email) {}

    record NotificationsRequest(Boolean offlineMessage, Boolean missedConversation) {}

    /** Shown in the browser only if it cannot run anything; everything else is a download. */
    private static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    private final Auth auth;
    private final Inbox inbox;
    private final EmailChannel email;
    private final app.parley.notify.NotificationChoices notifications;
    private final Throttle calls;
    private final Throttle tests;

    public MailRoutes(Auth auth, Inbox inbox, EmailChannel email, app.parley.notify.NotificationChoices notifications,
                      Throttles throttles) {
        this.calls = throttles.shared("mail-calls", 600, Duration.ofSeconds(6));
        this.tests = throttles.shared("mail-tests", 5, Duration.ofMinutes(1));
        this.notifications = notifications;
        this.auth = auth;
        this.inbox = inbox;
        this.email = email;
    }

    public void register(RoutesConfig r) {
        r.get("/v2/account/email", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            ctx.json(email.settings().get(c.accountId()));
        });
        r.put("/v2/account/email", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            EmailSettingsRequest in = Http.body(ctx, EmailSettingsRequest.class);
            ctx.json(email.settings().update(c.accountId(), in.smtpHost(), in.smtpPort(), in.smtpUser(), in.smtpPassword(),
                    in.smtpTls(), in.fromAddress()));
        });
        r.post("/v2/account/email/test", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            tests.check("email-test:" + c.accountId());
            TestRequest in = ctx.body().isBlank() ? new TestRequest(null) : Http.body(ctx, TestRequest.class);
            String to = in.to() == null ? c.agent().email() : Input.email("to", in.to());
            email.sendTest(c.accountId(), to);
            ctx.json(Map.of("sent", true, "to", to));
        });
        r.get("/v2/conversations/{conversation_id}/email", ctx -> {
            Caller c = caller(ctx);
            long id = Http.pathId(ctx, "conversation_id");
            inbox.conversation(c.viewer(), id);
            ctx.json(email.replies().reach(c.accountId(), id));
        });
        r.get("/v2/conversations/{conversation_id}/messages/{message_id}/attachments/{index}", this::attachment);
        r.post("/v2/conversations/{conversation_id}/transcript", ctx -> {
            Caller c = caller(ctx);
            long id = Http.pathId(ctx, "conversation_id");
            inbox.conversation(c.viewer(), id);
            TranscriptRequest in = ctx.body().isBlank() ? new TranscriptRequest(null) : Http.body(ctx, TranscriptRequest.class);
            Http.json(ctx, 202, email.transcripts().request(c.accountId(), id, in.email()));
        });
        // Each agent's own notification mails; a token speaks for no person, so it has none.
        r.get("/v2/me/notifications", ctx -> ctx.json(notifications.get(person(ctx).agent().id())));
        r.put("/v2/me/notifications", ctx -> {
            Caller c = person(ctx);
            NotificationsRequest in = Http.body(ctx, NotificationsRequest.class);
            ctx.json(notifications.update(c.agent().id(), in.offlineMessage(), in.missedConversation()));
        });
    }

    private void attachment(Context ctx) {
        Caller c = caller(ctx);
        long conversationId = Http.pathId(ctx, "conversation_id");
        inbox.conversation(c.viewer(), conversationId);
        int index;
        try {
            index = Integer.parseInt(ctx.pathParam("index"));
        } catch (NumberFormatException e) {
            throw Refusal.invalid("index", "index is a number.");
        }
        Attachments.File f = email.attachments().get(c.accountId(), conversationId, Http.pathId(ctx, "message_id"), index)
                .orElseThrow(() -> Refusal.notFound("The attachment"));
        boolean inline = INLINE.contains(f.contentType());
        String safeName = f.filename().replaceAll("[\\p{Cntrl}\"\\\\/]", "_");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "default-src 'none'; sandbox");
        ctx.header("Content-Disposition", (inline ? "inline" : "attachment") + "; filename*=UTF-8''"
                + java.net.URLEncoder.encode(safeName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.contentType(inline ? f.contentType() : "application/octet-stream");
        ctx.result(f.content());
    }

    private Caller person(Context ctx) {
        Caller c = caller(ctx);
        if (c.viaToken()) throw Refusal.forbidden("Notification settings belong to a signed-in agent, not to an API token.");
        return c;
    }

    private Caller caller(Context ctx) {
        Caller c = Http.caller(ctx, auth);
        calls.check((c.viaToken() ? "token:" : "agent:") + c.agent().id());
        return c;
    }
}
