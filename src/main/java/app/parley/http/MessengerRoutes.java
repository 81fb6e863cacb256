package app.parley.http;

import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.account.Team;
import app.parley.channel.messenger.MessengerChannel;
import app.parley.channel.messenger.MessengerWebhook;
import app.parley.core.Input;
import app.parley.core.Refusal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Facebook Messenger's routes (docs/API.md, docs/MESSENGER.md): Meta's webhook (its own authentication: the
 * verify token and the body's signature), the admins' page connections, and what agents read of a Messenger
 * conversation.
 */
public final class MessengerRoutes {
    record ConnectRequest(String appId, String appSecret, String verifyToken, String pageId, String pageAccessToken) {}

    record ActionRequest(String action) {}

    private final Auth auth;
    private final MessengerWebhook webhook;
    private final MessengerChannel channel;

    public MessengerRoutes(Auth auth, MessengerWebhook webhook, MessengerChannel channel) {
        this.auth = auth;
        this.webhook = webhook;
        this.channel = channel;
    }

    public void register(RoutesConfig r) {
        r.get("/webhooks/messenger", ctx -> {
            var challenge = webhook.subscribe(ctx.queryParam("hub.mode"), ctx.queryParam("hub.verify_token"),
                    ctx.queryParam("hub.challenge"));
            if (challenge.isEmpty()) throw Refusal.forbidden("The verify token does not match the one configured for Messenger.");
            ctx.contentType("text/plain").result(challenge.get());
        });
        r.post("/webhooks/messenger", ctx -> {
            switch (webhook.receive(ctx.bodyAsBytes(), ctx.header("X-Hub-Signature-256"))) {
                case STORED -> ctx.contentType("text/plain").result("EVENT_RECEIVED");
                case UNSIGNED -> throw new Refusal(Refusal.Kind.UNAUTHENTICATED, "signature_missing",
                        "The body must be signed in X-Hub-Signature-256 (sha256=…).");
                case BAD_SIGNATURE -> throw new Refusal(Refusal.Kind.FORBIDDEN, "signature_invalid",
                        "X-Hub-Signature-256 does not match the body for any connected app.");
            }
        });

        r.get("/v2/channels/messenger", ctx -> ctx.json(channel.list(admin(ctx).accountId(), ctx.scheme() + "://" + ctx.host())));
        r.post("/v2/channels/messenger", ctx -> {
            Caller c = admin(ctx);
            ConnectRequest in = Http.body(ctx, ConnectRequest.class);
            Http.json(ctx, 201, channel.connect(c.accountId(), new MessengerChannel.Connect(in.appId(), in.appSecret(),
                    in.verifyToken(), in.pageId(), in.pageAccessToken())));
        });
        r.delete("/v2/channels/messenger/{page_id}", ctx -> {
            Caller c = admin(ctx);
            channel.disconnect(c.accountId(), Input.shortText("page_id", ctx.pathParam("page_id"), 30));
            ctx.status(204);
        });
        r.get("/v2/channels/messenger/conversations/{conversation_id}", ctx ->
                ctx.json(channel.conversation(Http.caller(ctx, auth).agent(), Http.pathId(ctx, "conversation_id"))));
        r.post("/v2/channels/messenger/conversations/{conversation_id}/actions", ctx -> {
            Caller c = Http.caller(ctx, auth);
            ActionRequest in = Http.body(ctx, ActionRequest.class);
            channel.senderAction(c.agent(), Http.pathId(ctx, "conversation_id"), in.action());
            ctx.status(202).json(Map.of("action", in.action()));
        });
        r.get("/v2/channels/messenger/messages/{message_id}/attachments/{index}", ctx -> {
            Caller c = Http.caller(ctx, auth);
            int index = (int) Math.min(Integer.MAX_VALUE, Input.asciiNumber(ctx.pathParam("index")));
            file(ctx, channel.attachment(c.agent(), Http.pathId(ctx, "message_id"), index)
                    .orElseThrow(() -> Refusal.notFound("The attachment")));
        });
        r.get("/v2/channels/messenger/pages/{page_id}/picture", ctx -> {
            Caller c = Http.caller(ctx, auth);
            file(ctx, channel.pagePicture(c.agent(), Input.shortText("page_id", ctx.pathParam("page_id"), 30))
                    .orElseThrow(() -> Refusal.notFound("The picture")));
        });
        r.get("/v2/channels/messenger/visitors/{visitor_id}/picture", ctx -> {
            Caller c = Http.caller(ctx, auth);
            file(ctx, channel.picture(c.agent(), Http.pathId(ctx, "visitor_id")).orElseThrow(() -> Refusal.notFound("The picture")));
        });
    }

    private Caller admin(Context ctx) {
        Caller c = Http.caller(ctx, auth);
        Team.requireFullAccess(c);
        return c;
    }

    /** A customer's file: an image is shown; anything else only downloads (it must never run as a page of ours). */
    private static void file(Context ctx, MessengerChannel.File f) {
        String type = f.contentType() == null ? "" : f.contentType().toLowerCase(java.util.Locale.ROOT);
        boolean image = type.matches("^image/(png|jpeg|gif|webp)(;.*)?$");
        ctx.header("Cache-Control", "private, max-age=86400");
        if (!image) ctx.header("Content-Disposition", "attachment");
        ctx.contentType(image ? type : "application/octet-stream").result(f.content());
    }
}
