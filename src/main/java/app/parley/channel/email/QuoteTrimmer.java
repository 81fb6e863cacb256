package app.parley.channel.email;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts the quoted history and the signature from a reply's text (docs/PRODUCT.md §2.3): what the visitor wrote,
 * not the thread their mail client pasted below or above it. Recognises the attribution lines of common clients in
 * English, French, Spanish, German, Czech, Italian, Dutch and Portuguese (also when wrapped over up to three lines),
 * Outlook's header block ({@code From:/Sent:}, localised), separators, {@code >} quoting, and a bottom-posted reply.
 */
public final class QuoteTrimmer {
    private static final String ANY = ".{0,300}?";
    /** "On … wrote:" and its translations, matched on a line joined with the one or two after it. */
    private static final List<Pattern> ATTRIBUTIONS = List.of(
            Pattern.compile("^>?\\s*On\\b" + ANY + "\\bwrote\\s?:$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^>?\\s*Le\\b" + ANY + "\\ba écrit\\s?:$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^>?\\s*El\\b" + ANY + "\\bescribió\\s?:$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^>?\\s*Am\\b" + ANY + "\\bschrieb\\b" + ANY + ":$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^>?\\s*(Dne\\b|" + ANY + "\\bodesílatel\\b)" + ANY + "\\bnapsal(a|\\(a\\))?\\s?:$",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("^>?\\s*Il giorno\\b" + ANY + "\\bha scritto\\s?:$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^>?\\s*Op\\b" + ANY + "\\bschreef\\b" + ANY + ":$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^>?\\s*Em\\b" + ANY + "\\bescreveu\\s?:$", Pattern.CASE_INSENSITIVE));
    private static final Pattern ORIGINAL = Pattern.compile(
            "^-{2,}\\s*(Original Message|Message d'origine|Mensaje original|Ursprüngliche Nachricht|Původní zpráva"
                    + "|Messaggio originale|Oorspronkelijk bericht|Mensagem original)\\s*-{2,}$", Pattern.CASE_INSENSITIVE);
    private static final Pattern RULE = Pattern.compile("^_{10,}$");
    private static final Pattern FROM = Pattern.compile("^\\*?(From|De|Von|Od|Da|Van)\\s?:\\*?\\s.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern SENT = Pattern.compile(
            "^\\*?(Sent|Date|Envoyé|Enviado|Fecha|Gesendet|Datum|Odesláno|Inviato|Verzonden|Data)\\s?:\\*?\\s.*",
            Pattern.CASE_INSENSITIVE);

    private QuoteTrimmer() {}

    public static String trim(String text) {
        List<String> lines = new ArrayList<>(List.of(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)));
        Cut cut = findQuote(lines);
        List<String> body;
        if (cut == null) {
            body = lines;
        } else if (blank(lines.subList(0, cut.at))) {
            // Bottom-posted: the quote first, the answer below it.
            int i = cut.at + cut.length;
            while (i < lines.size() && (lines.get(i).isBlank() || lines.get(i).startsWith(">"))) i++;
            body = lines.subList(i, lines.size());
        } else {
            body = lines.subList(0, cut.at);
        }
        List<String> kept = new ArrayList<>();
        for (String line : body) {
            if (line.equals("-- ") || line.equals("--")) break; // RFC 3676 signature separator
            if (line.startsWith(">")) continue;
            kept.add(line);
        }
        return String.join("\n", kept).strip();
    }

    private record Cut(int at, int length) {}

    private static Cut findQuote(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            if (ORIGINAL.matcher(line).matches()) return new Cut(i, 1);
            if (RULE.matcher(line).matches() && nextNonBlankIsFrom(lines, i + 1)) return new Cut(i, 1);
            if (FROM.matcher(line).matches() && sentFollows(lines, i + 1)) return new Cut(i, 1);
            String joined = line;
            for (int n = 1; n <= 3 && i + n - 1 < lines.size(); n++) {
                if (n > 1 && lines.get(i + n - 1).isBlank()) break;
                if (n > 1) joined = joined + " " + lines.get(i + n - 1).strip();
                if (joined.length() > 400) break;
                for (Pattern p : ATTRIBUTIONS) {
                    if (p.matcher(joined).matches()) return new Cut(i, n);
                }
            }
            if (line.startsWith(">") && quoteRunsToEnd(lines, i)) return new Cut(i, 1);
        }
        return null;
    }

    private static boolean nextNonBlankIsFrom(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) return FROM.matcher(lines.get(i).strip()).matches();
        }
        return false;
    }

    private static boolean sentFollows(List<String> lines, int from) {
        for (int i = from; i < Math.min(lines.size(), from + 3); i++) {
            if (SENT.matcher(lines.get(i).strip()).matches()) return true;
        }
        return false;
    }

    /** A {@code >} block that only blank or quoted lines follow: the quoted history of a top-posted reply. */
    private static boolean quoteRunsToEnd(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.startsWith(">")) return false;
        }
        return true;
    }

    private static boolean blank(List<String> lines) {
        return lines.stream().allMatch(String::isBlank);
    }
}
