package app.parley.notify;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.Entities;

/**
 * What a notification mail says: the visitor's messages of the burst, the card's essentials and a link that opens
 * the conversation in the dashboard. Everything the visitor wrote is escaped in the HTML part.
 */
final class NotificationMail {
    record Mail(String subject, String text, String html) {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private NotificationMail() {}

    static Mail of(NotifyCheck.Kind kind, NotifyCheck.Conversation c, List<NotifyCheck.Line> lines, String baseUrl) {
        String who = c.visitorName() != null ? c.visitorName() : c.visitorEmail() != null ? c.visitorEmail() : "A visitor";
        String subject = switch (kind) {
            case OFFLINE_MESSAGE -> "New message from " + who + " while you were offline";
            case MISSED_CONVERSATION -> "Missed conversation with " + who;
        };
        String lead = switch (kind) {
            case OFFLINE_MESSAGE -> who + " wrote to " + c.shop() + " while nobody was online.";
            case MISSED_CONVERSATION -> who + " wrote to " + c.shop() + " and nobody answered.";
        };
        String link = baseUrl + "/app/#/conversations/all/" + c.id();
        StringBuilder text = new StringBuilder(lead).append("\n\n");
        for (NotifyCheck.Line l : lines) text.append(TIME.format(l.at())).append("  ").append(l.text()).append("\n");
        text.append("\nVisitor\n");
        card(c).forEach((k, v) -> text.append("  ").append(k).append(": ").append(v).append("\n"));
        text.append("\nOpen the conversation: ").append(link).append("\n");

        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="UTF-8"><title>""").append(esc(subject)).append("""
                </title></head><body style="margin:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;color:#1f2933">
                <div style="max-width:560px;margin:24px auto;background:#fff;border-radius:8px;border:1px solid #e5e7eb;overflow:hidden">
                <div style="background:#2563eb;color:#fff;padding:14px 20px;font-size:16px;font-weight:bold">""")
                .append(esc(c.shop())).append(" · ").append(kind == NotifyCheck.Kind.OFFLINE_MESSAGE ? "Offline message" : "Missed conversation")
                .append("</div><div style=\"padding:20px\"><p style=\"margin:0 0 16px\">").append(esc(lead)).append("</p>");
        for (NotifyCheck.Line l : lines) {
            html.append("<div style=\"background:#f1f5f9;border-radius:8px;padding:10px 12px;margin:0 0 8px\">")
                    .append("<div style=\"font-size:12px;color:#6b7280;margin-bottom:4px\">").append(esc(TIME.format(l.at())))
                    .append("</div><div style=\"white-space:pre-wrap\">").append(esc(l.text())).append("</div></div>");
        }
        html.append("<table style=\"margin:16px 0;font-size:14px;border-collapse:collapse\">");
        card(c).forEach((k, v) -> html.append("<tr><td style=\"color:#6b7280;padding:2px 12px 2px 0\">").append(esc(k))
                .append("</td><td>").append(esc(v)).append("</td></tr>"));
        html.append("</table><a href=\"").append(esc(link)).append("\" style=\"display:inline-block;background:#2563eb;color:#fff;"
                + "text-decoration:none;padding:10px 16px;border-radius:6px;font-weight:bold\">Open the conversation</a>")
                .append("</div><div style=\"padding:12px 20px;font-size:12px;color:#6b7280;border-top:1px solid #e5e7eb\">")
                .append("You get this mail because it is on in your notification settings in Parley.</div></div></body></html>");
        return new Mail(subject, text.toString(), html.toString());
    }

    private static java.util.Map<String, String> card(NotifyCheck.Conversation c) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (c.visitorName() != null) out.put("Name", c.visitorName());
        if (c.visitorEmail() != null) out.put("Email", c.visitorEmail());
        if (c.phone() != null) out.put("Phone", c.phone());
        if (c.pageTitle() != null || c.page() != null) out.put("Page", c.pageTitle() != null ? c.pageTitle() : c.page());
        if (c.ip() != null) out.put("IP address", c.ip());
        return out;
    }

    private static String esc(String s) {
        return Entities.escape(s == null ? "" : s);
    }
}
