package app.parley.http;

import app.parley.account.Caller;
import app.parley.account.Team;
import app.parley.contact.Visitor;
import app.parley.contact.VisitorCard;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.realtime.Client;
import app.parley.realtime.Hub;
import app.parley.tracking.Blocking;
import app.parley.tracking.VisitorDirectory;
import app.parley.tracking.VisitorFilter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The visitors list, the visitor card's tracking data, blocking and the tracking settings (docs/API.md). */
public final class VisitorRoutes {
    record BlockPatternRequest(String pattern) {}

    record TrackingPatch(Boolean anonymizeIp) {}

    record StartRequest(String text) {}

    private final Routes routes;
    private final VisitorCard card;
    private final VisitorDirectory directory;
    private final Blocking blocking;
    private final Hub hub;
    private final VisitorSocket sockets;
    private final app.parley.conversation.Outreach outreach;

    /** {@code routes}: for their authentication and per-caller budget. */
    public VisitorRoutes(Routes routes, VisitorCard card, VisitorDirectory directory, Blocking blocking, Hub hub,
                         VisitorSocket sockets, app.parley.conversation.Outreach outreach) {
        this.sockets = sockets;
        this.outreach = outreach;
        this.routes = routes;
        this.card = card;
        this.directory = directory;
        this.blocking = blocking;
        this.hub = hub;
    }

    public void register(RoutesConfig r) {
        r.get("/v2/visitors", ctx -> {
            Caller c = routes.caller(ctx);
            VisitorFilter filter = VisitorFilter.parse(ctx.queryParam("filter"));
            if (filter == null) throw Refusal.invalid("filter", "filter is all, active, in_chat, customers or blocked.");
            var listing = directory.list(c.viewer(), filter, ctx.queryParam("after"), Http.limit(ctx, 50, 200));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", listing.items());
            out.put("after", listing.after());
            ctx.json(out);
        });
        r.get("/v2/visitors/{visitor_id}", ctx -> {
            Caller c = routes.caller(ctx);
            ctx.json(visitorCard(c, Http.pathId(ctx, "visitor_id")));
        });
        r.post("/v2/visitors/{visitor_id}/conversations", ctx -> {
            // docs/PRODUCT.md §1.3: an agent opens a conversation with a visitor who is on the site.
            Caller c = routes.caller(ctx);
            long id = Http.pathId(ctx, "visitor_id");
            StartRequest in = Http.body(ctx, StartRequest.class);
            visitorCard(c, id);
            app.parley.core.Input.messageText("text", in.text());
            if (!sockets.storeIfOnSite(c.accountId(), id)) {
                throw new Refusal(Refusal.Kind.CONFLICT, "visitor_not_on_site", "This visitor is not on the site right now.");
            }
            Http.json(ctx, 201, outreach.start(c.agent(), id, in.text()));
        });
        r.post("/v2/visitors/{visitor_id}/block", ctx -> ctx.json(setBlocked(ctx, true)));
        r.delete("/v2/visitors/{visitor_id}/block", ctx -> ctx.json(setBlocked(ctx, false)));

        r.get("/v2/tracking", ctx -> ctx.json(blocking.settings(admin(ctx).accountId())));
        r.patch("/v2/tracking", ctx -> {
            Caller c = admin(ctx);
            TrackingPatch p = Http.body(ctx, TrackingPatch.class);
            if (p.anonymizeIp() == null) throw Refusal.invalid("anonymize_ip", "Nothing to change: send 'anonymize_ip'.");
            blocking.anonymizeIp(c.accountId(), p.anonymizeIp());
            ctx.json(blocking.settings(c.accountId()));
        });
        r.post("/v2/tracking/ip-blocks", ctx -> {
            Caller c = admin(ctx);
            var block = blocking.addIpBlock(c.accountId(), Http.body(ctx, BlockPatternRequest.class).pattern());
            Http.json(ctx, 201, block);
        });
        r.delete("/v2/tracking/ip-blocks/{block_id}", ctx -> {
            Caller c = admin(ctx);
            blocking.removeIpBlock(c.accountId(), Http.pathId(ctx, "block_id"));
            ctx.status(204);
        });
    }

    private Caller admin(Context ctx) {
        Caller c = routes.caller(ctx);
        Team.requireFullAccess(c);
        return c;
    }

    /** The stored visitor's fields (when they wrote or were identified) and what tracking knows of them. */
    private ObjectNode visitorCard(Caller c, long id) {
        Visitor stored;
        try {
            stored = card.get(c.viewer(), id);
        } catch (Refusal e) {
            if (e.kind() != Refusal.Kind.NOT_FOUND) throw e;
            stored = null;
        }
        ObjectNode out = stored == null ? Json.object() : Json.MAPPER.valueToTree(stored);
        out.setAll((ObjectNode) Json.MAPPER.valueToTree(directory.card(c.viewer(), id)));
        if (stored != null) out.setAll((ObjectNode) Json.MAPPER.valueToTree(card.linked(c.viewer(), id)));
        // A chat box open now is the surest sign the visitor is here, even before tracking has stored a page view
        // (the composer's Chat / Email default reads this).
        if (sockets.onSite(c.accountId(), id)) {
            out.put("online", true);
            out.putNull("left_at");
        }
        return out;
    }

    private ObjectNode setBlocked(Context ctx, boolean blocked) {
        Caller c = routes.caller(ctx);
        long id = Http.pathId(ctx, "visitor_id");
        visitorCard(c, id);
        blocking.setBlocked(c.accountId(), id, blocked);
        // The chat box disappears at once: its sockets close with the code that tells it not to come back.
        if (blocked) {
            for (Client client : hub.visitors(c.accountId())) {
                if (client.visitorId() != null && client.visitorId() == id) client.end(4403, "Blocked");
            }
        }
        return visitorCard(c, id);
    }
}
