package app.parley.channel.messenger;

import app.parley.account.Agent;
import app.parley.conversation.ConversationQueries;
import app.parley.conversation.ConversationView;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the dashboard and the API do with the Messenger channel: connect and disconnect pages (admins), and read a
 * Messenger conversation's channel facts (the page, the reply window, each message's delivery state, attachments).
 */
public final class MessengerChannel {
    private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,30}$");

    /** An admin's connect request (secrets included: they come in, never go out). */
    public record Connect(String appId, String appSecret, String verifyToken, String pageId, String pageAccessToken) {}

    /** A file kept by Parley. */
    public record File(byte[] content, String contentType) {}

    private final Jdbi jdbi;
    private final app.parley.files.FileStore files;
    private final GraphApi graph;
    private final AppSecrets secrets;

    MessengerChannel(Jdbi jdbi, GraphApi graph, AppSecrets secrets) {
        this.jdbi = jdbi;
        this.files = new app.parley.files.FileStore(jdbi);
        this.graph = graph;
        this.secrets = secrets;
    }

    /** The account's pages, without secrets, and the webhook to paste into Meta's app settings. */
    public Map<String, Object> list(long accountId, String origin) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("webhook_url", origin + "/webhooks/messenger");
        out.put("graph_api_version", GraphApi.VERSION);
        out.put("pages", jdbi.withHandle(h -> Pages.ofAccount(h, accountId)).stream().map(MessengerChannel::page).toList());
        return out;
    }

    /** Checks the token with Graph's {@code /me} (the page it belongs to, its name and picture), then stores it. */
    public Map<String, Object> connect(long accountId, Connect in) {
        String appId = digits("app_id", in.appId());
        String pageId = digits("page_id", in.pageId());
        String secret = secret("app_secret", in.appSecret());
        String verify = secret("verify_token", in.verifyToken());
        String token = secret("page_access_token", in.pageAccessToken());
        var me = switch (graph.me(token)) {
            case GraphApi.Answer.Ok ok -> ok.body();
            case GraphApi.Answer.Failed f when f.error().meaning() == GraphError.Meaning.TOKEN_INVALID ->
                    throw new Refusal(Refusal.Kind.INVALID, "token_invalid",
                            "Facebook says this page access token is not valid (expired or revoked). Generate a new one in Meta's app settings.",
                            "page_access_token");
            case GraphApi.Answer.Failed f -> throw new Refusal(Refusal.Kind.INVALID, "graph_refused",
                    "Facebook refused the token: " + f.error().message(), "page_access_token");
            case GraphApi.Answer.Unreachable u -> throw Refusal.unavailable("graph_unreachable",
                    "Parley could not reach Facebook to check the token; try again in a moment.");
        };
        if (!pageId.equals(me.path("id").asText())) {
            throw new Refusal(Refusal.Kind.INVALID, "page_mismatch",
                    "This access token belongs to another page (" + me.path("id").asText() + "), not to page " + pageId + ".",
                    "page_id");
        }
        String name = Input.name("name", me.path("name").asText(null));
        String picture = me.path("picture").path("data").path("url").asText(null);
        GraphApi.Download image = null;
        if (picture != null) {
            try {
                image = graph.download(picture);
            } catch (java.io.IOException e) {
                // The page connects without its picture: the name is what admins need to recognise it.
            }
        }
        GraphApi.Download img = image;
        boolean saved = jdbi.inTransaction(h -> Pages.save(h, accountId, appId, secret, verify, pageId, token, name,
                picture == null ? null : Input.url("picture", picture), img == null ? null : img.content(),
                img == null ? null : img.contentType()));
        if (!saved) throw new Refusal(Refusal.Kind.CONFLICT, "page_taken", "This page is connected to another account.");
        secrets.forget();
        return page(jdbi.withHandle(h -> Pages.page(h, accountId, pageId)).orElseThrow());
    }

    public void disconnect(long accountId, String pageId) {
        if (!jdbi.withHandle(h -> Pages.delete(h, accountId, pageId))) throw Refusal.notFound("The page");
        secrets.forget();
    }

    /** A Messenger conversation's channel facts, for an agent who may see it. */
    public Map<String, Object> conversation(Agent agent, long conversationId) {
        return jdbi.withHandle(h -> {
            ConversationView c = ConversationQueries.byId(h, agent.accountId(), conversationId, agent.viewer())
                    .orElseThrow(() -> Refusal.notFound("The conversation"));
            Map<String, Object> out = new LinkedHashMap<>();
            var contact = h.createQuery("""
                            SELECT c.page_id, c.psid, c.name, c.last_inbound_at, c.picture IS NOT NULL,
                                   p.page_name,
                                   CASE WHEN p.picture IS NULL THEN NULL ELSE '/v2/channels/messenger/pages/' || p.page_id || '/picture' END,
                                   p.status
                            FROM messenger_contacts c LEFT JOIN messenger_pages p ON p.page_id = c.page_id
                            WHERE c.visitor_id = :v""")
                    .bind("v", c.visitorId())
                    .map((rs, ctx) -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("page_id", rs.getString(1));
                        m.put("psid", rs.getString(2));
                        m.put("name", rs.getString(3));
                        m.put("last_inbound_at", rs.getObject(4, OffsetDateTime.class));
                        m.put("has_picture", rs.getBoolean(5));
                        m.put("page_name", rs.getString(6));
                        m.put("page_picture_url", rs.getString(7));
                        m.put("page_status", rs.getString(8));
                        return m;
                    }).findOne();
            if (contact.isEmpty()) throw Refusal.notFound("The Messenger conversation");
            Map<String, Object> k = contact.get();
            out.put("conversation_id", conversationId);
            out.put("page", Map.of("id", k.get("page_id"), "name", k.get("page_name") == null ? "Page " + k.get("page_id") : k.get("page_name"),
                    "picture_url", k.get("page_picture_url") == null ? "" : k.get("page_picture_url"),
                    "status", k.get("page_status") == null ? "disconnected" : k.get("page_status"),
                    "inbox_url", "https://www.facebook.com/" + k.get("page_id") + "/inbox"));
            out.put("contact", Map.of("name", k.get("name") == null ? "" : k.get("name"),
                    "picture_url", Boolean.TRUE.equals(k.get("has_picture")) ? "/v2/channels/messenger/visitors/" + c.visitorId() + "/picture" : ""));
            OffsetDateTime last = (OffsetDateTime) k.get("last_inbound_at");
            out.put("reply", reply(last == null ? null : last.toInstant(), (String) k.get("page_status")));
            out.put("messages", states(h, conversationId));
            return out;
        });
    }

    /** Whether an agent can reply now, how, until when, and if not, why. */
    static Map<String, Object> reply(Instant lastInbound, String pageStatus) {
        Instant now = Instant.now();
        ReplyWindow w = ReplyWindow.at(lastInbound, now, true);
        Map<String, Object> out = new LinkedHashMap<>();
        boolean reconnect = "reconnect".equals(pageStatus);
        out.put("window", w.name().toLowerCase(java.util.Locale.ROOT));
        out.put("can_send", w != ReplyWindow.CLOSED && !reconnect && pageStatus != null);
        out.put("until", ReplyWindow.closesAt(lastInbound, now, true));
        out.put("reason", pageStatus == null ? "The page this conversation came through is no longer connected."
                : reconnect ? "The page's access token has expired or was revoked: an admin must reconnect the page in Settings → Channels → Messenger."
                : switch (w) {
                    case RESPONSE -> null;
                    case HUMAN_AGENT -> "More than 24 hours since the customer's last message: your reply goes out with Messenger's HUMAN_AGENT tag (allowed for 7 days).";
                    case CLOSED -> "More than 7 days since the customer's last message: Messenger allows no reply from Parley now. Answer from the page's inbox in Facebook.";
                });
        return out;
    }

    private static Map<String, Object> states(Handle h, long conversationId) {
        Map<String, Object> out = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT m.message_id, m.direction, m.delivery_status, m.delivered_at, m.seen_at, m.error_code, m.error,
                               m.reaction, m.reaction_emoji,
                               (SELECT json_agg(json_build_object('index', a.n - 1, 'type', a.type, 'stored', a.fetched_at IS NOT NULL,
                                                                  'error', a.error) ORDER BY a.id)
                                FROM (SELECT x.*, row_number() OVER (ORDER BY x.id) AS n FROM messenger_attachments x
                                      WHERE x.message_id = m.message_id) a)::text
                        FROM messenger_messages m WHERE m.conversation_id = :c ORDER BY m.message_id""")
                .bind("c", conversationId)
                .map((rs, ctx) -> {
                    ObjectNode s = Json.object();
                    s.put("direction", rs.getString(2));
                    s.put("status", rs.getString(3));
                    OffsetDateTime d = rs.getObject(4, OffsetDateTime.class);
                    OffsetDateTime seen = rs.getObject(5, OffsetDateTime.class);
                    s.put("delivered_at", d == null ? null : d.toString());
                    s.put("seen_at", seen == null ? null : seen.toString());
                    s.put("error_code", rs.getString(6));
                    s.put("error", rs.getString(7));
                    s.put("reaction", rs.getString(8));
                    s.put("reaction_emoji", rs.getString(9));
                    String atts = rs.getString(10);
                    if (atts != null) s.set("attachments", Json.tree(atts));
                    out.put(Long.toString(rs.getLong(1)), s);
                    return null;
                }).list();
        return out;
    }

    /** An attachment a customer sent, as Parley kept it. */
    public Optional<File> attachment(Agent agent, long messageId, int index) {
        return jdbi.withHandle(h -> {
            Long conversation = h.createQuery("SELECT conversation_id FROM messenger_messages WHERE message_id = :m AND account_id = :a")
                    .bind("m", messageId).bind("a", agent.accountId()).mapTo(Long.class).findOne().orElse(null);
            if (conversation == null || ConversationQueries.byId(h, agent.accountId(), conversation, agent.viewer()).isEmpty()) {
                return Optional.<Long>empty();
            }
            return Optional.of(conversation);
        }).flatMap(conversation -> files.nth(agent.accountId(), conversation, messageId, index)
                .map(f -> new File(f.bytes(), f.file().contentType())));
    }

    /** A connected page's picture, as Parley kept it. */
    public Optional<File> pagePicture(Agent agent, String pageId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT picture, picture_type FROM messenger_pages WHERE page_id = :p AND account_id = :a AND picture IS NOT NULL""")
                .bind("p", pageId).bind("a", agent.accountId())
                .map((rs, ctx) -> new File(rs.getBytes(1), rs.getString(2))).findOne());
    }

    /** A customer's profile picture, as Parley kept it. */
    public Optional<File> picture(Agent agent, long visitorId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT picture, picture_type FROM messenger_contacts WHERE visitor_id = :v AND account_id = :a AND picture IS NOT NULL""")
                .bind("v", visitorId).bind("a", agent.accountId())
                .map((rs, ctx) -> new File(rs.getBytes(1), rs.getString(2))).findOne());
    }

    /**
     * Tells the customer an agent is typing or has read (Send API {@code sender_action}). Best effort and not
     * retried: a typing indicator that arrives late is worse than none.
     */
    public void senderAction(Agent agent, long conversationId, String action) {
        if (!List.of("typing_on", "typing_off", "mark_seen").contains(action)) {
            throw Refusal.invalid("action", "action is 'typing_on', 'typing_off' or 'mark_seen'.");
        }
        record Target(String psid, String token) {}
        Target t = jdbi.withHandle(h -> {
            ConversationView c = ConversationQueries.byId(h, agent.accountId(), conversationId, agent.viewer())
                    .orElseThrow(() -> Refusal.notFound("The conversation"));
            return h.createQuery("""
                            SELECT c.psid, p.page_access_token FROM messenger_contacts c
                            JOIN messenger_pages p ON p.page_id = c.page_id AND p.status = 'connected'
                            WHERE c.visitor_id = :v""")
                    .bind("v", c.visitorId()).map((rs, ctx) -> new Target(rs.getString(1), rs.getString(2))).findOne()
                    .orElseThrow(() -> Refusal.notFound("The Messenger conversation"));
        });
        ObjectNode body = Json.object();
        body.putObject("recipient").put("id", t.psid());
        body.put("sender_action", action);
        Thread.ofVirtual().name("parley-messenger-action").start(() -> graph.send(t.token(), body));
    }

    private static Map<String, Object> page(Pages.Page p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page_id", p.pageId());
        out.put("name", p.pageName());
        out.put("picture_url", p.pictureUrl());
        out.put("app_id", p.appId());
        out.put("status", p.status());
        out.put("needs_reconnect", "reconnect".equals(p.status()));
        out.put("last_error", p.lastError());
        out.put("connected_at", p.connectedAt());
        return out;
    }

    private static String digits(String field, String value) {
        if (value == null || !DIGITS.matcher(value.strip()).matches()) {
            throw Refusal.invalid(field, "'" + field + "' is the number Meta shows for it (digits only).");
        }
        return value.strip();
    }

    private static String secret(String field, String value) {
        if (value == null || value.isBlank()) throw Refusal.invalid(field, "'" + field + "' is required.");
        Input.refuseControlCharacters(field, value, false);
        if (value.length() > 1000) throw Refusal.invalid(field, "'" + field + "' is too long.");
        return value.strip();
    }
}
