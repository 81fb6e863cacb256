package app.parley.http;

import app.parley.account.Account;
import app.parley.account.AccountQueries;
import app.parley.account.Presence;
import app.parley.contact.Arrivals;
import app.parley.contact.Visitor;
import app.parley.contact.VisitorCard;
import app.parley.conversation.VisitorActions;
import app.parley.conversation.VisitorThread;
import app.parley.core.CardNumberMasker;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.realtime.Client;
import app.parley.realtime.Hub;
import app.parley.store.Database;
import app.parley.webhook.VisitorPresence;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chat box's socket (docs/PROTOCOL.md): one visitor, their conversation, nothing else. */
public final class VisitorSocket extends SocketEndpoint<VisitorSocket.Conn> {
    private static final Logger log = LoggerFactory.getLogger(VisitorSocket.class);
    static final int WELCOME_MESSAGES = 50;

    static final class Conn {
        final Client client;
        final long accountId;
        final long visitorId;
        volatile Long conversationId;
        // Set once this socket spent the address's budget for a new conversation: the messages sent before the
        // first ack (a reconnecting chat box's outbox) go to that one conversation and spend nothing more.
        volatile boolean openingConversation;
        volatile Long groupId;
        final RateLimit messages;
        final RateLimit frames;
        // A new visitor is stored only once they do something worth keeping (KEEPS_VISITOR); until then this holds
        // them, and the page they are on.
        volatile Visitor unsaved;
        volatile PageView page;
        volatile String ip;
        // Tracking (issue #11): the browser, and the address a trusted proxy forwarded for (else the peer's).
        volatile String userAgent;
        volatile String clientIp;

        Conn(Client client, long accountId, long visitorId, int messageRate) {
            this.messages = new RateLimit(messageRate, messageRate * 4.0);
            this.frames = new RateLimit(messageRate * 6.0, messageRate * 24.0);
            this.client = client;
            this.accountId = accountId;
            this.visitorId = visitorId;
        }

        VisitorActions.Who who() {
            return new VisitorActions.Who(accountId, visitorId, conversationId);
        }
    }

    /** The page a visitor not stored yet is on, written with them when they are. */
    record PageView(String url, String title, String referrer) {}

    // Writing, leaving a contact form, or the shop naming the visitor: worth a row. A socket that only
    // connects, pings or reports its page is not, so a script opening thousands of sockets leaves nothing.
    private static final java.util.Set<String> KEEPS_VISITOR = java.util.Set.of("message", "contact_form", "identify");

    private final AccountQueries accounts;
    private final Arrivals arrivals;
    private final VisitorThread threads;
    private final Throttle newVisitors;
    private final Throttle newConversations;
    private final VisitorActions actions;
    private final VisitorCard card;
    private final Presence presence;
    private final int messageRate;
    private final VisitorPresence visitorPresence;
    private final Tracking tracking;

    /** Page views, blocking and the visitor's real address (issue #11), off the journal's path. */
    public record Tracking(app.parley.tracking.PageViewWriter pages, app.parley.tracking.Blocking blocking,
                           app.parley.tracking.ClientAddress addresses, app.parley.tracking.TrackingSettings settings) {
        String storedIp(long accountId, String ip) {
            return settings.anonymizeIp(accountId) ? app.parley.tracking.ClientAddress.truncated(ip) : ip;
        }
    }
    private volatile app.parley.channel.email.Transcripts transcripts;

    /** {@code messageRate}: messages a second one chat box may send on average (bursts of four times that). */
    public VisitorSocket(AccountQueries accounts, Arrivals arrivals, VisitorThread threads, Hub hub, VisitorActions actions,
                         VisitorCard card, Presence presence, int messageRate, int newVisitorsPerIpPerMinute,
                         int newConversationsPerIpPerMinute, Tracking tracking, VisitorPresence visitorPresence,
                         Throttles throttles) {
        super(hub);
        this.tracking = tracking;
        this.visitorPresence = visitorPresence;
        this.accounts = accounts;
        this.arrivals = arrivals;
        this.threads = threads;
        this.newVisitors = throttles.shared("new-visitors", newVisitorsPerIpPerMinute, Duration.ofMinutes(1));
        this.newConversations = throttles.shared("new-conversations", newConversationsPerIpPerMinute, Duration.ofMinutes(1));
        this.messageRate = messageRate;
        this.actions = actions;
        this.card = card;
        this.presence = presence;
    }


    /** The email channel's transcripts, for the chat box's "Email me this conversation" (issue #12, point 5). */
    public void sendTranscriptsWith(app.parley.channel.email.Transcripts transcripts) {
        this.transcripts = transcripts;
    }

    @Override
    protected Client client(Conn conn) {
        return conn.client;
    }


    /** The close code for a chat box whose account an instance administrator suspended. */
    public static final int CHAT_UNAVAILABLE = app.parley.realtime.SuspendedAccounts.CHAT_UNAVAILABLE;

    @Override
    protected void connect(WsContext ctx) {
        Account account = accounts.byChatKey(String.valueOf(ctx.queryParam("key"))).orElse(null);
        if (account == null) {
            ctx.closeSession(4404, "Unknown chat box key");
            return;
        }
        if (accounts.suspended(account.id())) {
            ctx.closeSession(CHAT_UNAVAILABLE, "Chat unavailable");
            return;
        }
        // Stored and shown on the visitor card: masked like everything else a visitor controls.
        String ua = CardNumberMasker.mask(ctx.header("User-Agent"));
        String ip = ip(ctx.session.getRemoteSocketAddress());
        String key = ctx.queryParam("visitor");
        String clientIp = tracking.addresses().of(ip, ctx.header("X-Forwarded-For"));
        // docs/PRODUCT.md §3: an anonymising account stores only a truncated address (located first, by tracking).
        String storedIp = tracking.storedIp(account.id(), clientIp);
        Visitor stored = arrivals.returning(account.id(), key, ua, storedIp).orElse(null);
        Visitor visitor = stored != null ? stored : unsaved(ctx, account.id(), key, ua, ip, storedIp);
        if (visitor == null) return;
        if (visitor.blocked() || tracking.blocking().blocks(account.id(), visitor.id(), clientIp)) {
            ctx.closeSession(4403, "Blocked");
            return;
        }
        long after = parseLong(ctx.queryParam("after"), -1);
        // No server pings: the chat box pings every 25 s itself, and 20,000 idle boxes would cost a core in pings.
        Client client = Client.visitor(ctx.session, account.id(), visitor.id());
        Conn conn = new Conn(client, account.id(), visitor.id(), messageRate);
        conn.ip = ip;
        conn.userAgent = ua;
        conn.clientIp = clientIp;
        tracking.pages().arrived(visitor.id());
        if (stored == null) conn.unsaved = visitor;
        register(ctx, conn);
        visitorPresence.opened(account.id(), visitor.id());
        VisitorThread.Opening opening = threads.open(account.id(), visitor.id(), visitor.groupKey(), after, WELCOME_MESSAGES);
        VisitorThread.State state = opening.state();
        if (state != null) {
            conn.conversationId = state.conversation().id();
            conn.groupId = state.groupId();
            client.groupId(state.groupId());
        }
        ObjectNode welcome = Json.object();
        welcome.put("type", "welcome");
        welcome.put("visitor_id", visitor.visitorKey());
        welcome.put("seq", opening.asOf());
        welcome.put("resync", opening.resync());
        ObjectNode acc = welcome.putObject("account");
        acc.put("name", account.name());
        // Read after the snapshot: loading presence takes its own pooled connection.
        acc.put("online", presence.chatOnline(account.id(), opening.groupId()));
        welcome.set("conversation", state == null ? null : Json.MAPPER.valueToTree(state.conversation()));
        welcome.set("messages", Json.MAPPER.valueToTree(opening.messages()));
        ObjectNode me = welcome.putObject("visitor");
        me.put("name", visitor.name());
        me.put("email", visitor.email());
        client.caughtUp(opening.asOf(), List.of(Json.write(welcome)),
                opening.backlog() == null || opening.resync() ? List.of() : opening.backlog().events());
    }

    /**
     * A visitor not stored: the one a key we issued earlier names (a reload, another tab), or a new one within
     * the address's budget of new visitors. Null when refused (the socket is closed).
     */
    private Visitor unsaved(WsContext ctx, long accountId, String key, String ua, String ip, String storedIp) {
        var issued = arrivals.issued(accountId, key, ua, storedIp);
        if (issued.isPresent()) return issued.get();
        if (!newVisitors.tryTake(ip == null ? "unknown" : ip)) {
            ctx.send(networkLimited(null));
            ctx.closeSession(RATE_LIMITED_CLOSE, "rate_limited");
            return null;
        }
        return arrivals.newVisitor(accountId, ua, storedIp);
    }

    /** Close code for a socket refused by a per-address limit; the chat box waits before it tries again. */
    static final int RATE_LIMITED_CLOSE = 4429;

    static String networkLimited(String clientId) {
        ObjectNode e = Json.object();
        e.put("type", "error");
        e.put("code", "rate_limited");
        e.put("limit", "network");
        e.put("retry_after", 60);
        e.put("message", "Too many new chats from your network; please try again in a minute.");
        if (clientId != null) e.put("client_id", clientId);
        return Json.write(e);
    }

    /** Stores a visitor who did something worth keeping, with the page they are on. */
    private void keep(Conn c) {
        Visitor v = c.unsaved;
        if (v == null) return;
        arrivals.keep(v);
        c.unsaved = null;
        PageView page = c.page;
        if (page != null) answer(c, null, card.page(c.accountId, c.visitorId, page.url(), page.title(), page.referrer()), x -> {});
    }

    /** Whether a frame of this type from this socket starts a conversation (its first message). */
    private boolean opensConversation(Conn c, String type) {
        return c.conversationId == null && !c.openingConversation && (type.equals("message") || type.equals("contact_form"));
    }

    static final int MAX_FRAME = 64 * 1024;

    @Override
    protected void receive(Conn c, String text) {
        if (text.length() > MAX_FRAME) {
            c.client.sendNow(error("payload_too_large", "A frame may have at most 64 KiB.", null));
            return;
        }
        if (!c.frames.take()) {
            c.client.sendNow(error("rate_limited", "Too many messages; slow down.", null));
            return;
        }
        JsonNode frame;
        try {
            frame = Json.tree(text);
            if (!frame.isObject()) throw Refusal.badRequest("malformed_json", "A frame is a JSON object.");
        } catch (Refusal e) {
            c.client.sendNow(error(e.code(), e.getMessage(), null));
            return;
        }
        // Echoed in the ack and in errors, and stored: what is echoed is what is stored (masked).
        String clientId = frame.path("client_id").isTextual() ? Input.echoedClientId(frame.get("client_id").asText()) : null;
        String type = frame.path("type").asText("");
        if (opensConversation(c, type)) {
            if (!newConversations.tryTake(c.ip == null ? "unknown" : c.ip)) {
                c.client.sendNow(networkLimited(clientId));
                return;
            }
            c.openingConversation = true;
        }
        try {
            if (KEEPS_VISITOR.contains(type)) keep(c);
            switch (frame.path("type").asText("")) {
                case "ping" -> {
                    c.client.sendNow("{\"type\":\"pong\"}");
                    tracking.pages().stillHere(c.accountId, c.visitorId);
                }
                case "message" -> {
                    if (!c.messages.take()) throw new Refusal(Refusal.Kind.RATE_LIMITED, "rate_limited", "Too many messages; slow down.");
                    if (blockedByRule(c)) throw app.parley.tracking.Blocking.refusal();
                    reply(c, clientId, actions.send(c.who(), clientId, textField(frame, "text")));
                }
                case "contact_form" -> contactForm(c, clientId, frame);
                case "identify" -> identify(c, clientId, frame);
                case "page" -> {
                    // The browsing history, the card's current page and the visitors list: tracking's own batched
                    // writer, never the journal (a returning customer's every page would be a commit and an event).
                    // A visitor not stored yet keeps the page to be stored with them, for their first conversation.
                    tracking.pages().pageView(c.accountId, c.visitorId, textField(frame, "url"), textField(frame, "title"),
                            textField(frame, "referrer"), c.userAgent, hints(frame), c.clientIp);
                    if (c.unsaved != null) c.page = pageView(frame);
                }
                case "typing" -> typing(c, frame);
                case "read" -> answer(c, clientId, actions.read(c.who(), messageId(frame)), v -> {});
                case "close" -> answer(c, clientId, actions.close(c.who()), v -> {});
                case "rate" -> answer(c, clientId, actions.rate(c.who(),
                        frame.path("value").isInt() ? frame.get("value").asInt() : null, textField(frame, "text")), v -> {});
                case "transcript" -> transcript(c, clientId, frame);
                default -> throw Refusal.badRequest("unknown_type", "Unknown frame type.");
            }
        } catch (Refusal e) {
            c.client.sendNow(error(e, clientId));
        }
    }

    // Each refused field is dropped with its own error frame, sent once the rest is stored: a card number typed
    // into the email field must not throw away the name and phone that came with it.
    private void identify(Conn c, String clientId, JsonNode frame) {
        List<Refusal> refused = new java.util.ArrayList<>();
        VisitorCard.Identity kept = VisitorCard.withoutRefusedFields(identity(frame), refused::add);
        if (!refused.isEmpty() && kept.isEmpty()) {
            refused.forEach(e -> c.client.sendNow(error(e, clientId)));
            return;
        }
        VisitorCard.Claim claim = VisitorCard.Claim.page(textField(frame, "user_id"), textField(frame, "hash"));
        answer(c, clientId, card.identify(c.accountId, c.visitorId, kept, claim), v -> {
            refused.forEach(e -> c.client.sendNow(error(e, clientId)));
            // A visitor routed to a group now: the chat box is online when someone of that group is.
            if (v.groupKey() != null && c.conversationId == null) {
                Long group = accounts.groupId(v.accountId(), v.groupKey());
                c.groupId = group;
                c.client.groupId(group);
                c.client.signal(hub.chatStatusFrame(c.accountId, presence.chatOnline(c.accountId, group)));
            }
        });
    }

    private void transcript(Conn c, String clientId, JsonNode frame) {
        var t = transcripts;
        if (t == null) throw Refusal.unavailable("unavailable", "Transcripts cannot be sent right now.");
        String email = textField(frame, "email");
        app.parley.channel.email.Transcripts.Queued queued;
        try {
            queued = t.requestByVisitor(c.accountId, c.visitorId, c.conversationId, Input.clientId(clientId), email);
        } catch (Refusal e) {
            throw e;
        } catch (RuntimeException e) {
            // Runs in this thread, not through the journal: a database away is answered like any other frame's.
            c.client.sendNow(errorFor(e, clientId));
            return;
        }
        ObjectNode f = Json.object();
        f.put("type", "transcript_queued");
        f.put("client_id", clientId);
        f.put("email", queued.to());
        c.client.sendNow(Json.write(f));
    }

    private void contactForm(Conn c, String clientId, JsonNode frame) {
        Input.clientId(clientId);
        String email = Input.email("email", textField(frame, "email"));
        if (email == null) throw Refusal.invalid("email", "Please enter your email so we can reply.");
        String text = Input.messageText("text", textField(frame, "text"));
        VisitorCard.Identity identity = new VisitorCard.Identity(textField(frame, "name"), email, textField(frame, "phone"),
                textField(frame, "group"), null, null, null);
        CompletableFuture<VisitorActions.Sent> sent = card.identify(c.accountId, c.visitorId, identity, VisitorCard.Claim.page(null, null))
                .thenCompose(v -> actions.sendOffline(c.who(), clientId, text));
        reply(c, clientId, sent);
    }

    private void reply(Conn c, String clientId, CompletableFuture<VisitorActions.Sent> sent) {
        sent.whenComplete((s, failure) -> {
            if (failure != null) {
                c.client.sendNow(errorFor(failure, clientId));
                return;
            }
            c.conversationId = s.message().conversationId();
            c.client.sendNow("{\"type\":\"ack\",\"client_id\":" + Json.write(clientId) + ",\"message\":" + s.json() + "}");
        });
    }

    private <T> void answer(Conn c, String clientId, CompletableFuture<T> done, Consumer<T> then) {
        done.whenComplete((v, failure) -> {
            if (failure != null) c.client.sendNow(errorFor(failure, clientId));
            else then.accept(v);
        });
    }

    private void typing(Conn c, JsonNode frame) {
        Long conversationId = c.conversationId;
        if (conversationId == null) return;
        String draft = textField(frame, "draft");
        if (draft != null && draft.length() > 1000) draft = draft.substring(0, 1000);
        ObjectNode f = Json.object();
        f.put("type", "typing");
        f.put("ephemeral", true);
        f.put("seq", hub.lastSeq(c.accountId));
        f.put("conversation_id", conversationId);
        ObjectNode data = f.putObject("data");
        data.put("visitor", true);
        data.put("typing", frame.path("typing").asBoolean(false));
        data.put("draft", CardNumberMasker.mask(draft));
        Long group = c.groupId;
        hub.typing(c.accountId, group, null, null, Json.write(f));
    }

    /** Whether the visitor has a chat box open on this node right now (the card's "on the site"). */
    boolean onSite(long accountId, long visitorId) {
        for (Conn c : connections()) if (c.accountId == accountId && c.visitorId == visitorId) return true;
        return false;
    }

    /**
     * Whether the visitor has a chat box open on this node; a visitor who only browsed is stored now (an agent is
     * about to start a conversation with them).
     */
    boolean storeIfOnSite(long accountId, long visitorId) {
        boolean onSite = false;
        for (Conn c : connections()) {
            if (c.accountId != accountId || c.visitorId != visitorId) continue;
            onSite = true;
            keep(c);
        }
        return onSite;
    }

    @Override
    protected void dropped(Conn c) {
        tracking.pages().closed(c.accountId, c.visitorId);
        visitorPresence.closed(c.accountId, c.visitorId);
    }

    // An IP rule added while the chat box is open: its socket stays, its messages are refused. Rules are cached.
    private boolean blockedByRule(Conn c) {
        return tracking.blocking().blocksAddress(c.accountId, c.clientIp);
    }

    /** navigator.userAgentData's high-entropy values, as the chat box sends them (docs/PROTOCOL.md). */
    static app.parley.tracking.ClientHints hints(JsonNode f) {
        JsonNode h = f.get("hints");
        if (h == null || !h.isObject()) return app.parley.tracking.ClientHints.NONE;
        StringBuilder brands = new StringBuilder();
        JsonNode list = h.get("fullVersionList");
        if (list != null && list.isArray()) {
            for (JsonNode b : list) {
                String brand = app.parley.tracking.ClientHints.clip(b.path("brand").asText(null));
                String version = app.parley.tracking.ClientHints.clip(b.path("version").asText(null));
                if (brand == null || version == null || brands.length() > 300) continue;
                if (!brands.isEmpty()) brands.append(", ");
                brands.append('"').append(brand.replace("\"", "")).append("\";v=\"").append(version.replace("\"", "")).append('"');
            }
        }
        JsonNode mobile = h.get("mobile");
        return new app.parley.tracking.ClientHints(app.parley.tracking.ClientHints.clip(h.path("platform").asText(null)),
                app.parley.tracking.ClientHints.clip(h.path("platformVersion").asText(null)),
                app.parley.tracking.ClientHints.clip(h.path("model").asText(null)),
                mobile != null && mobile.isBoolean() ? mobile.asBoolean() : null,
                brands.isEmpty() ? null : brands.toString());
    }

    private static PageView pageView(JsonNode f) {
        return new PageView(Input.url("url", textField(f, "url")), Input.shortText("title", textField(f, "title"), 500),
                Input.url("referrer", textField(f, "referrer")));
    }

    static VisitorCard.Identity identity(JsonNode f) {
        JsonNode vars = f.get("variables");
        return new VisitorCard.Identity(textField(f, "name"), textField(f, "email"), textField(f, "phone"),
                textField(f, "group"), textField(f, "language"), vars == null || vars.isNull() ? null : vars, null);
    }

    // docs/PROTOCOL.md: a JSON number. asLong read "41", "+41" and true as ids too, and a missing id as 0.
    private static long messageId(JsonNode f) {
        JsonNode n = f.get("message_id");
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() <= 0) {
            throw Refusal.invalid("message_id", "message_id is the id of a message (a number).");
        }
        return n.asLong();
    }

    static String textField(JsonNode f, String name) {
        JsonNode n = f.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw Refusal.invalid(name, "'" + name + "' must be a string.");
        // Line breaks and tabs may be legitimate (a message); one-line fields refuse them where they are read (Input).
        Input.refuseControlCharacters(name, n.asText(), true);
        return n.asText();
    }

    static String error(String code, String message, String clientId) {
        return error(code, message, null, clientId);
    }

    static String error(Refusal e, String clientId) {
        return error(e.code(), e.getMessage(), e.field(), clientId);
    }

    private static String error(String code, String message, String field, String clientId) {
        ObjectNode e = Json.object();
        e.put("type", "error");
        e.put("code", code);
        e.put("message", message);
        if (field != null) e.put("field", field);
        if (clientId != null) e.put("client_id", clientId);
        return Json.write(e);
    }

    static String errorFor(Throwable failure, String clientId) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Refusal api) return error(api, clientId);
        if (Database.unreachable(cause)) {
            return error("unavailable", "The database is not reachable right now; try again in a moment.", clientId);
        }
        log.error("A visitor frame failed", cause);
        return error("internal_error", "Something went wrong on our side; please try again.", clientId);
    }

    static String ip(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    /** A number in ASCII digits (Input.asciiNumber), or {@code fallback} for anything else. */
    static long parseLong(String s, long fallback) {
        long n = Input.asciiNumber(s);
        return n < 0 ? fallback : n;
    }
}
