package app.parley.http;

import app.parley.account.AccountQueries;
import app.parley.account.Agent;
import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.account.Presence;
import app.parley.account.Team;
import app.parley.contact.Contacts;
import app.parley.contact.VisitorCard;
import app.parley.conversation.AgentActions;
import app.parley.conversation.ConversationTab;
import app.parley.conversation.Inbox;
import app.parley.conversation.MessageKind;
import app.parley.core.Input;
import app.parley.core.Refusal;
import app.parley.webhook.Webhooks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every REST route (docs/API.md): parse, authorise for the caller's account and role, call one use case, render.
 * Smartsupp's v2 paths and field names where it has the same resource.
 */
public final class Routes {
    record LoginRequest(String email, String password) {}

    record MePatch(String status, String name, String avatarUrl) {}

    record InviteRequest(String email, String name, String password, String role, List<Long> groupIds) {}

    record AgentPatch(String name, String role, Boolean active, List<Long> groupIds) {}

    record GroupRequest(String name, String key) {}

    record TagRequest(String name, String color, String description) {}

    record MessageRequest(String type, String text, String clientId, Long agentId, String channel) {}

    record AgentIdRequest(Long agentId) {}

    record ConversationPatch(Boolean important) {}

    record TagIdsRequest(List<Long> tagIds) {}

    record VisitorPatch(String name, String email, String phone, String note) {}

    record TokenRequest(String name) {}

    record IdentifyRequest(String userId, String email, String name, String phone,
                           com.fasterxml.jackson.databind.JsonNode variables) {}

    record WebhookRequest(String url, List<String> events, String secret, Boolean active) {}

    record WebhookPatch(String url, List<String> events, Boolean active) {}

    private final AccountQueries accounts;
    private final Inbox inbox;
    private final Auth auth;
    private final Team team;
    private final AgentActions actions;
    private final VisitorCard card;
    private final Presence presence;
    private final Contacts contacts;
    private final boolean secureCookies;
    private final Webhooks webhooks;
    // Failed sign-ins per IP address (password guessing); requests per agent or token.
    private final Throttle failedLogins;
    private final Throttle calls;
    private final PasswordSlots passwordSlots;

    public Routes(AccountQueries accounts, Inbox inbox, Auth auth, Team team, AgentActions actions, VisitorCard card,
                  Contacts contacts, Presence presence, boolean secureCookies, int passwordHashConcurrency, Webhooks webhooks,
                  Throttles throttles) {
        this.failedLogins = throttles.shared("failed-sign-ins", 10, Duration.ofMinutes(1));
        this.calls = throttles.shared("calls", 600, Duration.ofSeconds(6));
        this.passwordSlots = new PasswordSlots(passwordHashConcurrency);
        this.contacts = contacts;
        this.webhooks = webhooks;
        this.accounts = accounts;
        this.inbox = inbox;
        this.auth = auth;
        this.team = team;
        this.actions = actions;
        this.card = card;
        this.presence = presence;
        this.secureCookies = secureCookies;
    }

    /** What GET /health reports: whether the database answers (set by the composition root). */
    public void reportHealth(java.util.function.BooleanSupplier databaseAvailable) {
        this.databaseAvailable = databaseAvailable;
    }

    private java.util.function.BooleanSupplier databaseAvailable = () -> true;

    /** Replies with {@code "channel":"email"} go through the email channel (set by the composition root). */
    public void sendEmailWith(app.parley.channel.email.EmailReplies replies) {
        this.emailReplies = replies;
    }

    private app.parley.channel.email.EmailReplies emailReplies;
    /** What GET /widget/config adds from the account's chat box settings (set by the composition root). */
    public void widgetSettings(java.util.function.LongFunction<Map<String, Object>> settings) {
        this.widgetSettings = settings;
    }

    private java.util.function.LongFunction<Map<String, Object>> widgetSettings = accountId -> Map.of();

    public void register(RoutesConfig r) {
        r.get("/", ctx -> ctx.redirect("/app/"));
        r.get("/health", ctx -> {
            if (databaseAvailable.getAsBoolean()) {
                ctx.json(Map.of("status", "ok"));
                return;
            }
            // Seconds after the database went away, for a load balancer or an operator; the usual error shape too.
            ctx.header("Retry-After", "2");
            ctx.status(503).json(Map.of("status", "unavailable", "database", "down", "error",
                    Map.of("code", "unavailable", "message", "The database is down; Parley is waiting for it to come back.")));
        });

        r.post("/auth/login", this::login);
        r.post("/auth/logout", ctx -> {
            // A live session ends only with its CSRF token; a dead cookie is simply cleared.
            // A deactivated agent's session may always end.
            if (auth.bySession(ctx.cookie(Http.SESSION_COOKIE)).filter(c -> c.agent().active()).isPresent()) {
                Http.caller(ctx, auth);
            }
            auth.logout(ctx.cookie(Http.SESSION_COOKIE));
            Http.clearSessionCookie(ctx);
            ctx.status(204);
        });
        r.get("/auth/me", ctx -> ctx.json(me(caller(ctx))));
        r.patch("/auth/me", ctx -> {
            Caller c = caller(ctx);
            MePatch p = Http.body(ctx, MePatch.class);
            ctx.json(team.updateMe(c.agent(), p.name(), p.avatarUrl(), p.status()));
        });

        r.get("/v2/account", ctx -> {
            Caller c = caller(ctx);
            ctx.json(accounts.account(c.accountId()));
        });
        r.get("/v2/account/install", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            var account = accounts.account(c.accountId());
            String origin = ctx.scheme() + "://" + ctx.host();
            ctx.json(Map.of("key", account.chatKey(), "snippet", Snippet.html(account.chatKey(), origin)));
        });

        r.get("/v2/account/identity-secret", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            ctx.json(Map.of("secret", accounts.identitySecret(c.accountId())));
        });
        r.post("/v2/account/identity-secret/rotate", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            ctx.json(Map.of("secret", accounts.rotateIdentitySecret(c.accountId())));
        });

        r.get("/v2/agents", ctx -> {
            Caller c = caller(ctx);
            ctx.json(accounts.agents(c.accountId()));
        });
        r.post("/v2/agents", ctx -> {
            Caller c = caller(ctx);
            InviteRequest in = Http.body(ctx, InviteRequest.class);
            try (var slot = passwordSlots.enter()) {
                Http.json(ctx, 201, team.invite(c, in.email(), in.name(), in.password(), in.role(), in.groupIds()));
            }
        });
        r.patch("/v2/agents/{agent_id}", ctx -> {
            Caller c = caller(ctx);
            AgentPatch p = Http.body(ctx, AgentPatch.class);
            ctx.json(team.update(c, Http.pathId(ctx, "agent_id"), p.name(), p.role(), p.active(), p.groupIds()));
        });

        r.get("/v2/groups", ctx -> {
            Caller c = caller(ctx);
            ctx.json(accounts.groups(c.accountId()));
        });
        r.post("/v2/groups", ctx -> {
            Caller c = caller(ctx);
            GroupRequest g = Http.body(ctx, GroupRequest.class);
            Http.json(ctx, 201, team.createGroup(c, g.name(), g.key()));
        });
        r.patch("/v2/groups/{group_id}", ctx -> {
            Caller c = caller(ctx);
            GroupRequest g = Http.body(ctx, GroupRequest.class);
            ctx.json(team.renameGroup(c, Http.pathId(ctx, "group_id"), g.name()));
        });
        r.delete("/v2/groups/{group_id}", ctx -> {
            team.deleteGroup(caller(ctx), Http.pathId(ctx, "group_id"));
            ctx.status(204);
        });

        r.get("/v2/tags", ctx -> {
            Caller c = caller(ctx);
            ctx.json(accounts.tags(c.accountId()));
        });
        r.post("/v2/tags", ctx -> {
            Caller c = caller(ctx);
            TagRequest t = Http.body(ctx, TagRequest.class);
            Http.json(ctx, 201, team.createTag(c, t.name(), t.color(), t.description()));
        });
        r.patch("/v2/tags/{tag_id}", ctx -> {
            Caller c = caller(ctx);
            TagRequest t = Http.body(ctx, TagRequest.class);
            ctx.json(team.updateTag(c, Http.pathId(ctx, "tag_id"), t.name(), t.color(), t.description()));
        });
        r.delete("/v2/tags/{tag_id}", ctx -> {
            team.deleteTag(caller(ctx), Http.pathId(ctx, "tag_id"));
            ctx.status(204);
        });

        r.get("/v2/tokens", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            ctx.json(auth.tokens(c.accountId()));
        });
        r.post("/v2/tokens", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            TokenRequest t = Http.body(ctx, TokenRequest.class);
            Http.json(ctx, 201, auth.createApiToken(c, Input.requiredName("name", t.name())));
        });
        r.delete("/v2/tokens/{token_id}", ctx -> {
            Caller c = caller(ctx);
            Team.requireFullAccess(c);
            if (!auth.revokeApiToken(c.accountId(), Http.pathId(ctx, "token_id"))) throw Refusal.notFound("The token");
            ctx.status(204);
        });

        r.get("/v2/webhooks", ctx -> ctx.json(webhooks.list(admin(ctx).accountId())));
        r.post("/v2/webhooks", ctx -> {
            Caller c = admin(ctx);
            WebhookRequest w = Http.body(ctx, WebhookRequest.class);
            Http.json(ctx, 201, webhooks.create(c.accountId(), w.url(), w.events(), w.secret(), w.active()));
        });
        r.patch("/v2/webhooks/{webhook_id}", ctx -> {
            Caller c = admin(ctx);
            WebhookPatch w = Http.body(ctx, WebhookPatch.class);
            ctx.json(webhooks.update(c.accountId(), Http.pathId(ctx, "webhook_id"), w.url(), w.events(), w.active()));
        });
        r.delete("/v2/webhooks/{webhook_id}", ctx -> {
            webhooks.delete(admin(ctx).accountId(), Http.pathId(ctx, "webhook_id"));
            ctx.status(204);
        });
        r.get("/v2/webhooks/{webhook_id}/deliveries", ctx -> {
            Caller c = admin(ctx);
            int limit = Http.limit(ctx, 50, 200);
            Long before = ctx.queryParam("before") == null ? null : VisitorSocket.parseLong(ctx.queryParam("before"), -1);
            if (before != null && before < 0) throw Refusal.invalid("before", "before is a delivery id.");
            ctx.json(Map.of("items", webhooks.deliveries(c.accountId(), Http.pathId(ctx, "webhook_id"), before, limit)));
        });
        r.post("/v2/webhooks/{webhook_id}/test", ctx -> {
            Caller c = admin(ctx);
            Http.json(ctx, 202, webhooks.sendTest(c.accountId(), Http.pathId(ctx, "webhook_id")));
        });
        r.post("/v2/webhooks/{webhook_id}/deliveries/{delivery_id}/resend", ctx -> {
            Caller c = admin(ctx);
            Http.json(ctx, 202, webhooks.resend(c.accountId(), Http.pathId(ctx, "webhook_id"),
                    Http.pathId(ctx, "delivery_id")));
        });

        r.get("/v2/conversations", this::listConversations);
        r.get("/v2/conversations/tabs", ctx -> {
            Caller c = caller(ctx);
            ctx.json(inbox.tabs(c.agent()));
        });
        r.get("/v2/conversations/{conversation_id}", ctx -> {
            Caller c = caller(ctx);
            long id = Http.pathId(ctx, "conversation_id");
            ctx.json(inbox.conversation(c.viewer(), id));
        });
        r.get("/v2/conversations/{conversation_id}/messages", this::listMessages);
        r.post("/v2/conversations/{conversation_id}/messages", this::postMessage);
        r.post("/v2/conversations/{conversation_id}/join", ctx ->
                ctx.json(actions.join(caller(ctx).agent(), Http.pathId(ctx, "conversation_id"))));
        r.post("/v2/conversations/{conversation_id}/leave", ctx ->
                ctx.json(actions.leave(caller(ctx).agent(), Http.pathId(ctx, "conversation_id"))));
        r.post("/v2/conversations/{conversation_id}/assign", ctx -> {
            Caller c = caller(ctx);
            AgentIdRequest a = Http.body(ctx, AgentIdRequest.class);
            ctx.json(actions.assign(c.agent(), Http.pathId(ctx, "conversation_id"), a.agentId()));
        });
        r.post("/v2/conversations/{conversation_id}/unassign", ctx -> {
            Caller c = caller(ctx);
            AgentIdRequest a = Http.body(ctx, AgentIdRequest.class);
            ctx.json(actions.unassign(c.agent(), Http.pathId(ctx, "conversation_id"), a.agentId()));
        });
        r.post("/v2/conversations/{conversation_id}/resolve", ctx ->
                ctx.json(actions.resolve(caller(ctx).agent(), Http.pathId(ctx, "conversation_id"))));
        r.post("/v2/conversations/{conversation_id}/read", ctx ->
                ctx.json(actions.markRead(caller(ctx).agent(), Http.pathId(ctx, "conversation_id"))));
        r.post("/v2/conversations/{conversation_id}/unread", ctx ->
                ctx.json(actions.markUnread(caller(ctx).agent(), Http.pathId(ctx, "conversation_id"))));
        r.patch("/v2/conversations/{conversation_id}", ctx -> {
            Caller c = caller(ctx);
            ConversationPatch p = Http.body(ctx, ConversationPatch.class);
            if (p.important() == null) throw Refusal.invalid("important", "Nothing to change: send 'important'.");
            ctx.json(actions.setImportant(c.agent(), Http.pathId(ctx, "conversation_id"), p.important()));
        });
        r.put("/v2/conversations/{conversation_id}/tags", ctx -> {
            Caller c = caller(ctx);
            TagIdsRequest t = Http.body(ctx, TagIdsRequest.class);
            if (t.tagIds() == null) throw Refusal.invalid("tag_ids", "tag_ids is required.");
            ctx.json(actions.setTags(c.agent(), Http.pathId(ctx, "conversation_id"), t.tagIds()));
        });

        // GET /v2/visitors/{visitor_id}: VisitorRoutes (the card with what tracking knows).
        r.patch("/v2/visitors/{visitor_id}", ctx -> {
            Caller c = caller(ctx);
            VisitorPatch p = Http.body(ctx, VisitorPatch.class);
            long id = Http.pathId(ctx, "visitor_id");
            card.get(c.viewer(), id);
            ctx.json(card.identify(c.accountId(), id,
                    new VisitorCard.Identity(p.name(), p.email(), p.phone(), null, null, null, p.note()),
                    VisitorCard.Claim.agent()).join());
        });
        r.post("/v2/visitors/{visitor_id}/identify", ctx -> {
            // From the shop's server (or an agent): trusted as verified, no signature needed.
            Caller c = caller(ctx);
            IdentifyRequest p = Http.body(ctx, IdentifyRequest.class);
            long id = Http.pathId(ctx, "visitor_id");
            if (Input.shortText("user_id", p.userId(), 255) == null && Input.email("email", p.email()) == null) {
                throw Refusal.invalid("email", "Send the customer's email or user_id.");
            }
            card.get(c.viewer(), id);
            ctx.json(card.identify(c.accountId(), id,
                    new VisitorCard.Identity(p.name(), p.email(), p.phone(), null, null, p.variables(), null),
                    VisitorCard.Claim.server(p.userId())).join());
        });
        r.get("/v2/contacts/{contact_id}", ctx -> {
            Caller c = caller(ctx);
            long id = Http.pathId(ctx, "contact_id");
            ctx.json(contacts.get(c.viewer(), id));
        });
        r.patch("/v2/contacts/{contact_id}", ctx -> {
            Caller c = caller(ctx);
            VisitorPatch p = Http.body(ctx, VisitorPatch.class);
            ctx.json(contacts.update(c.viewer(), Http.pathId(ctx, "contact_id"), p.name(), p.email(), p.phone(), p.note()));
        });

        r.get("/widget/config", ctx -> {
            ctx.header("Access-Control-Allow-Origin", "*");
            String key = ctx.queryParam("key");
            var account = accounts.byChatKey(key == null ? "" : key)
                    .orElseThrow(() -> Refusal.notFound("The chat box key"));
            if (accounts.suspended(account.id())) throw InstanceRoutes.chatUnavailable();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("account_name", account.name());
            out.put("online", presence.chatOnline(account.id(), null));
            out.put("groups", accounts.groups(account.id()).stream()
                    .map(g -> Map.of("key", g.key(), "name", g.name())).toList());
            out.putAll(widgetSettings.apply(account.id()));
            ctx.json(out);
        });
    }

    Caller caller(Context ctx) {
        Caller c = Http.caller(ctx, auth);
        calls.check((c.viaToken() ? "token:" : "agent:") + c.agent().id());
        return c;
    }

    /** Account settings: owner or admin. */
    private Caller admin(Context ctx) {
        Caller c = caller(ctx);
        Team.requireFullAccess(c);
        return c;
    }

    private Map<String, Object> me(Caller c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agent", c.agent());
        out.put("account", accounts.account(c.accountId()));
        out.put("csrf_token", c.csrfToken());
        return out;
    }

    private void login(Context ctx) {
        LoginRequest in = Http.body(ctx, LoginRequest.class);
        // The attempt is paid for before the password is checked, so concurrent guesses cannot all pass a check
        // made before any of them was counted. Failed sign-ins are what is budgeted: a success pays it back.
        failedLogins.check(ctx.ip());
        Auth.Login login;
        try (var slot = passwordSlots.enter()) {
            login = auth.login(in.email(), in.password());
        } catch (Throttle.RetryLater busy) {
            failedLogins.giveBack(ctx.ip());
            throw busy;
        }
        failedLogins.giveBack(ctx.ip());
        Http.setSessionCookie(ctx, login.sessionToken(), secureCookies);
        ctx.json(me(login.caller()));
    }

    private void listConversations(Context ctx) {
        Caller c = caller(ctx);
        String tabName = ctx.queryParam("tab") == null ? "all" : ctx.queryParam("tab");
        ConversationTab tab = ConversationTab.parse(tabName);
        if (tab == null) throw Refusal.invalid("tab", "tab is all, primary, new, mine or resolved.");
        int limit = Http.limit(ctx, 50, 200);
        Inbox.Listing listing = inbox.list(c.agent(), tab, ctx.queryParam("after"), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", listing.page().items());
        out.put("after", listing.page().after());
        out.put("tabs", listing.tabs());
        ctx.json(out);
    }

    private void listMessages(Context ctx) {
        Caller c = caller(ctx);
        long id = Http.pathId(ctx, "conversation_id");
        int limit = Http.limit(ctx, 50, 200);
        Long before = ctx.queryParam("before") == null ? null : VisitorSocket.parseLong(ctx.queryParam("before"), -1);
        if (before != null && before < 0) throw Refusal.invalid("before", "before is a message id.");
        var items = inbox.messages(c.viewer(), id, before, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("before", items.size() == limit ? items.getFirst().id() : null);
        ctx.json(out);
    }

    private void postMessage(Context ctx) {
        Caller c = caller(ctx);
        MessageRequest in = Http.body(ctx, MessageRequest.class);
        Agent author = c.agent();
        if (c.viaToken()) {
            // Smartsupp's API: posting as an agent names the agent.
            if (in.agentId() == null) throw Refusal.invalid("agent_id", "agent_id is required when posting with an API token.");
            author = accounts.agent(c.accountId(), in.agentId())
                    .orElseThrow(() -> Refusal.invalid("agent_id", "No such agent in this account."));
        } else if (in.agentId() != null && in.agentId() != author.id()) {
            throw Refusal.invalid("agent_id", "You can post only as yourself.");
        }
        MessageKind kind = MessageKind.agentWritten(in.type());
        app.parley.conversation.Channel channel = channel(in.channel());
        if (channel == app.parley.conversation.Channel.EMAIL && emailReplies != null) {
            Http.json(ctx, 201, emailReplies.send(author, Http.pathId(ctx, "conversation_id"), kind, in.text(), in.clientId()));
            return;
        }
        Http.json(ctx, 201, actions.write(author, Http.pathId(ctx, "conversation_id"), kind, in.text(), in.clientId(), channel));
    }

    /** A reply's channel: the chat box or email; null keeps the conversation's own (an email conversation's is email). */
    private static app.parley.conversation.Channel channel(String wire) {
        if (wire == null) return null;
        app.parley.conversation.Channel c;
        try {
            c = app.parley.conversation.Channel.fromWire(wire);
        } catch (IllegalArgumentException e) {
            c = null;
        }
        if (c == app.parley.conversation.Channel.CHAT || c == app.parley.conversation.Channel.EMAIL) return c;
        throw Refusal.invalid("channel", "channel is 'chat' or 'email'.");
    }
}
