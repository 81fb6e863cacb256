package app.parley.channel.email;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * An HTML-only mail as plain text (jsoup): block elements become line breaks, a horizontal rule a separator line
 * the quote trimmer knows, and the quoted history of known clients (Gmail, Apple Mail, Outlook, Thunderbird) is
 * dropped by its markup before the text rules run. The result is text, never HTML: the dashboard shows it escaped.
 */
public final class HtmlText {
    private static final String QUOTES = "blockquote, .gmail_quote, #divRplyFwdMsg, #mail-editor-reference-message-container, "
            + ".moz-cite-prefix, #appendonsend ~ *, #appendonsend, div.OutlookMessageHeader";

    private HtmlText() {}

    public static String of(String html) {
        Document doc = Jsoup.parse(html);
        doc.select("head, style, script, title").remove();
        for (Element e : doc.select(QUOTES)) e.remove();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(t.text());
                } else if (node instanceof Element e) {
                    switch (e.normalName()) {
                        case "br" -> out.append('\n');
                        case "hr" -> out.append("\n________________________________\n");
                        case "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol" -> newline(out);
                        default -> {}
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    switch (e.normalName()) {
                        case "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table" -> newline(out);
                        default -> {}
                    }
                }
            }
        }, doc.body());
        return out.toString().replace('\u00a0', ' ').replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    private static void newline(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') out.append('\n');
    }
}
