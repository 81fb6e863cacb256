package app.parley.channel.messenger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One item of a webhook entry's {@code messaging} array, by kind (Meta's webhook event reference). {@code psid} is
 * always the customer: the sender of what they do, the recipient of the page's echoes.
 */
sealed interface MessengerEvent {
    String pageId();

    String psid();

    Instant at();

    record Attachment(String type, String url) {}

    /** A customer's message: text, attachments, a quick reply's payload, the message it replies to. */
    record Text(String pageId, String psid, Instant at, String mid, String text, List<Attachment> attachments,
                String quickReply, String replyTo) implements MessengerEvent {}

    /** A button tapped (Get Started, a persistent menu item, a template's button). */
    record Postback(String pageId, String psid, Instant at, String mid, String title, String payload) implements MessengerEvent {}

    /** A message the page sent, echoed back: {@code appId} says who sent it (Parley's app, Facebook's Page Inbox…). */
    record Echo(String pageId, String psid, Instant at, String mid, String appId, String text,
                List<Attachment> attachments) implements MessengerEvent {}

    record Delivery(String pageId, String psid, Instant at, List<String> mids, Instant watermark) implements MessengerEvent {}

    record Read(String pageId, String psid, Instant at, Instant watermark) implements MessengerEvent {}

    record Reaction(String pageId, String psid, Instant at, String mid, String reaction, String emoji,
                    boolean react) implements MessengerEvent {}

    /** The items of one entry in the order Meta means (timestamp order; equal times keep their order). */
    static List<MessengerEvent> of(String pageId, JsonNode messaging) {
        List<MessengerEvent> out = new ArrayList<>();
        for (JsonNode m : messaging) {
            MessengerEvent e = one(pageId, m);
            if (e != null) out.add(e);
        }
        out.sort(Comparator.comparing(MessengerEvent::at));
        return out;
    }

    private static MessengerEvent one(String pageId, JsonNode m) {
        String sender = m.path("sender").path("id").asText(null);
        String recipient = m.path("recipient").path("id").asText(null);
        Instant at = Instant.ofEpochMilli(m.path("timestamp").asLong(0));
        if (m.has("message")) {
            JsonNode msg = m.get("message");
            List<Attachment> attachments = new ArrayList<>();
            for (JsonNode a : msg.path("attachments")) {
                attachments.add(new Attachment(a.path("type").asText("file"), a.path("payload").path("url").asText(null)));
            }
            String text = msg.hasNonNull("text") ? msg.get("text").asText() : null;
            if (msg.path("is_echo").asBoolean(false)) {
                return new Echo(pageId, recipient, at, msg.path("mid").asText(null), msg.path("app_id").asText(null), text, attachments);
            }
            return new Text(pageId, sender, at, msg.path("mid").asText(null), text, attachments,
                    msg.path("quick_reply").path("payload").asText(null), msg.path("reply_to").path("mid").asText(null));
        }
        if (m.has("postback")) {
            JsonNode p = m.get("postback");
            String mid = p.hasNonNull("mid") ? p.get("mid").asText() : "postback:" + sender + ":" + at.toEpochMilli();
            return new Postback(pageId, sender, at, mid, p.path("title").asText(null), p.path("payload").asText(null));
        }
        if (m.has("delivery")) {
            JsonNode d = m.get("delivery");
            List<String> mids = new ArrayList<>();
            for (JsonNode id : d.path("mids")) mids.add(id.asText());
            return new Delivery(pageId, sender, at, mids, Instant.ofEpochMilli(d.path("watermark").asLong(0)));
        }
        if (m.has("read")) {
            return new Read(pageId, sender, at, Instant.ofEpochMilli(m.get("read").path("watermark").asLong(0)));
        }
        if (m.has("reaction")) {
            JsonNode r = m.get("reaction");
            return new Reaction(pageId, sender, at, r.path("mid").asText(null), r.path("reaction").asText(null),
                    r.path("emoji").asText(null), !"unreact".equals(r.path("action").asText("react")));
        }
        return null; // an event kind Parley does not subscribe to (optins, referrals, handovers)
    }
}
