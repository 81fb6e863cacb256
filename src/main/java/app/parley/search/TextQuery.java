package app.parley.search;

import app.parley.core.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an agent typed in the search box, split for PostgreSQL: the web-search part ({@code "exact phrase"},
 * {@code -not}, {@code or}, plain words: {@code websearch_to_tsquery} reads it, and never fails on any input)
 * and the prefixes ({@code deliv*}), which it cannot express: those become a {@code to_tsquery} text of checked
 * letters and digits only, so nothing an agent types reaches {@code to_tsquery}'s own syntax.
 */
public record TextQuery(String words, String prefixes, String excluded) {
    static final int MAX = 500;
    private static final Pattern EXCLUDED = Pattern.compile("(?<=^|\\s)-(\"[^\"]*\"|[^\\s\"]+)");
    private static final Pattern PREFIX = Pattern.compile("(?<![\"\\p{L}\\p{N}])([\\p{L}\\p{N}]{2,})\\*");

    public static TextQuery parse(String field, String typed) {
        if (typed == null || typed.isBlank()) throw Refusal.invalid(field, "Type something to search for.");
        if (typed.length() > MAX) throw Refusal.invalid(field, field + " is at most " + MAX + " characters.");
        // "-word" and -"a phrase" are taken out first: each must be absent in every language (see V13).
        List<String> excluded = new ArrayList<>();
        Matcher x = EXCLUDED.matcher(typed);
        StringBuilder kept = new StringBuilder();
        while (x.find()) {
            excluded.add(x.group(1));
            x.appendReplacement(kept, " ");
        }
        x.appendTail(kept);
        typed = kept.toString();
        List<String> prefixes = new ArrayList<>();
        StringBuilder words = new StringBuilder();
        // Inside quotes a star is part of the phrase, not a prefix: only unquoted stretches are scanned.
        String[] parts = typed.split("\"", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) words.append('"');
            if (i % 2 == 1) {
                words.append(parts[i]);
                continue;
            }
            Matcher m = PREFIX.matcher(parts[i]);
            StringBuilder rest = new StringBuilder();
            while (m.find()) {
                prefixes.add(m.group(1).toLowerCase(java.util.Locale.ROOT) + ":*");
                m.appendReplacement(rest, " ");
            }
            m.appendTail(rest);
            words.append(rest);
        }
        // "+420 777…": PostgreSQL reads "+420" as a signed number, the document holds the digits.
        String w = words.toString().replace('*', ' ').replaceAll("\\+(?=\\d)", "").strip();
        return new TextQuery(w, String.join(" & ", prefixes), String.join(" or ", excluded).replace('*', ' '));
    }
}
