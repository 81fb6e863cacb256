package app.parley.push;

import app.parley.core.CardNumberMasker;
import app.parley.core.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a notification shows: the visitor's name as its title, a short excerpt of what they wrote (card numbers
 * masked again here, whatever the message's way in), and the dashboard path that tapping it opens. The service
 * worker shows it as text: nothing in it is ever markup.
 */
record Notice(String title, String body, String path, String tag) {
    private static final int EXCERPT = 140;

    static Notice of(String lead, String visitorName, String text, long conversationId) {
        String who = visitorName == null || visitorName.isBlank() ? "A visitor" : visitorName.strip();
        String title = lead == null ? who : lead + ": " + who;
        return new Notice(title, excerpt(text), "/app/#/conversations/all/" + conversationId, "conversation-" + conversationId);
    }

    static String excerpt(String text) {
        String flat = CardNumberMasker.mask(text == null ? "" : text).replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT - 1).stripTrailing() + "…";
    }

    String json() {
        ObjectNode n = Json.object();
        n.put("title", title);
        n.put("body", body);
        n.put("url", path);
        n.put("tag", tag);
        return Json.write(n);
    }
}
