package app.parley.http;

import app.parley.account.AgentStatus;
import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.account.Credential;
import app.parley.account.Presence;
import app.parley.conversation.Inbox;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.realtime.AccessWatch;
import app.parley.realtime.Client;
import app.parley.realtime.Hub;
import app.parley.realtime.Visibility;
import app.parley.settings.Attendance;
import app.parley.store.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dashboard's socket (docs/PROTOCOL.md): everything an agent may see, live, resumable. */
public final class AgentSocket extends SocketEndpoint<AgentSocket.Conn> {
    record Conn(Client client, Caller caller, RateLimit frames, String session) {}

    /** Who signed in, and with what: the socket keeps the credential to check it again later. */
    private record SignedIn(Caller caller, Credential credential) {}

    private final Inbox inbox;
    private final Auth auth;
    private final Presence presence;
    private final AccessWatch access;
    private volatile Attendance attendance;

    public AgentSocket(Inbox inbox, Hub hub, Auth auth, Presence presence, AccessWatch access) {
        super(hub);
        this.inbox = inbox;
        this.auth = auth;
        this.presence = presence;
        this.access = access;
    }

    /** Who is at the dashboard: presence follows open tabs (set by the composition root). */
    public void attendance(Attendance attendance) {
        this.attendance = attendance;
    }

    @Override
    protected Client client(Conn conn) {
        return conn.client();
    }

    @Override
    protected void connect(WsContext ctx) {
        Optional<SignedIn> signedIn = authenticate(ctx);
        if (signedIn.isEmpty()) {
            ctx.closeSession(AccessWatch.SIGNED_OUT, "Sign in first");
            return;
        }
        if (!signedIn.get().caller().agent().active()) {
            ctx.closeSession(AccessWatch.ACCESS_ENDED, "Access ended");
            return;
        }
        Caller me = signedIn.get().caller();
        long after = VisitorSocket.parseLong(ctx.queryParam("after"), -1);
        ctx.enableAutomaticPings();
        Client client = Client.agent(ctx.session, me.viewer());
        access.watch(client, signedIn.get().credential());
        String session = signedIn.get().credential().kind() == Credential.Kind.SESSION ? ctx.cookie(Http.SESSION_COOKIE) : null;
        register(ctx, new Conn(client, me, new RateLimit(20, 60), session));
        // Read outside the snapshot: loading presence takes its own pooled connection.
        Map<Long, Boolean> online = presence.onlineByAgent(me.accountId());
        Inbox.AgentStart start = inbox.agentStart(me.agent(), after);
        var backlog = start.backlog();
        ObjectNode welcome = Json.object();
        welcome.put("type", "welcome");
        welcome.put("seq", start.asOf());
        welcome.put("resync", backlog != null && backlog.resync());
        welcome.set("agent", Json.MAPPER.valueToTree(me.agent()));
        welcome.set("tabs", Json.MAPPER.valueToTree(start.tabs()));
        var presenceList = welcome.putArray("presence");
        online.forEach((id, isOnline) ->
                presenceList.addObject().put("agent_id", id).put("status", (isOnline ? AgentStatus.ONLINE : AgentStatus.OFFLINE).wire()));
        List<Event> missed = backlog == null || backlog.resync() ? List.of()
                : backlog.events().stream().filter(e -> Visibility.sees(me.viewer(), e)).toList();
        client.caughtUp(start.asOf(), List.of(Json.write(welcome)), missed);
        // After the welcome: the welcome names the agent as they signed in, so a status Parley changes now must
        // reach this tab as a live event, not be folded into a snapshot that predates it.
        if (attendance != null) attendance.connected(me.agent(), session);
    }

    /** The session cookie, from the dashboard's own origin only (no cross-site socket hijacking), or an API token. */
    private Optional<SignedIn> authenticate(WsContext ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            String token = authorization.substring(7).trim();
            return auth.byApiToken(token).map(c -> new SignedIn(c, Credential.apiToken(c.agent().id(), token)));
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameHost(origin, ctx.header("Host"))) return Optional.empty();
        String session = ctx.cookie(Http.SESSION_COOKIE);
        return auth.bySession(session).map(c -> new SignedIn(c, Credential.session(c.agent().id(), session)));
    }

    @Override
    protected void dropped(Conn conn) {
        access.forget(conn.client());
        if (attendance != null) attendance.disconnected(conn.caller().agent(), conn.session());
    }

    static boolean sameHost(String origin, String host) {
        try {
            URI o = URI.create(origin);
            String originHost = o.getHost() + (o.getPort() == -1 ? "" : ":" + o.getPort());
            return host != null && host.equalsIgnoreCase(originHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    protected void receive(Conn c, String text) {
        if (text.length() > VisitorSocket.MAX_FRAME) {
            c.client().sendNow(VisitorSocket.error("payload_too_large", "A frame may have at most 64 KiB.", null));
            return;
        }
        if (!c.frames().take()) {
            c.client().sendNow(VisitorSocket.error("rate_limited", "Too many frames; slow down.", null));
            return;
        }
        JsonNode frame;
        try {
            frame = Json.tree(text);
        } catch (Refusal e) {
            c.client().sendNow(VisitorSocket.error(e.code(), e.getMessage(), null));
            return;
        }
        switch (frame.path("type").asText("")) {
            case "ping" -> c.client().sendNow("{\"type\":\"pong\"}");
            case "typing" -> typing(c, frame);
            case "watch" -> watch(c, frame);
            default -> c.client().sendNow(VisitorSocket.error("unknown_type", "Unknown frame type.", null));
        }
    }

    /**
     * The card the dashboard shows: {@code {"type":"watch","visitor_id":N}}, or null when it shows none. Whether the
     * agent may see the visitor is asked of each page signal ({@code LivePages}), as rights change while watching.
     */
    private void watch(Conn c, JsonNode frame) {
        JsonNode id = frame.path("visitor_id");
        if (id.isNull() || id.isMissingNode()) {
            hub.watch(c.client(), null);
        } else if (id.canConvertToLong() && id.isIntegralNumber() && id.asLong() > 0) {
            hub.watch(c.client(), id.asLong());
        } else {
            c.client().sendNow(VisitorSocket.error("invalid_visitor_id", "visitor_id must be a visitor's id or null.", null));
        }
    }

    /** An agent typing: shown to the conversation's visitor and to the other agents who see it. */
    private void typing(Conn c, JsonNode frame) {
        long conversationId = frame.path("conversation_id").asLong(0);
        var target = inbox.typingTarget(c.caller().accountId(), conversationId);
        if (target.isEmpty()) return;
        Long group = target.get().groupId();
        if (!c.caller().viewer().sees(group)) return;
        ObjectNode f = Json.object();
        f.put("type", "typing");
        f.put("ephemeral", true);
        f.put("seq", hub.lastSeq(c.caller().accountId()));
        f.put("conversation_id", conversationId);
        ObjectNode data = f.putObject("data");
        data.putObject("agent").put("id", c.caller().agent().id()).put("name", c.caller().agent().name());
        data.put("typing", frame.path("typing").asBoolean(false));
        String json = Json.write(f);
        long visitorId = target.get().visitorId();
        hub.typing(c.caller().accountId(), group, c.caller().agent().id(), visitorId, json);
    }
}
