package app.parley.search;

import java.util.ArrayList;
import java.util.List;

/**
 * A matching excerpt as plain text pieces, each marked as a hit or not. PostgreSQL's {@code ts_headline} marks
 * hits with two control characters Parley never stores (its input refuses them, and the query strips them): the
 * dashboard renders each piece as text, so visitor text is never HTML, and only the marking is Parley's.
 */
public record Highlight(List<Piece> pieces) {
    public static final char START = '\u0002';
    public static final char STOP = '\u0003';

    public record Piece(String text, boolean hit) {}

    public static Highlight of(String marked) {
        List<Piece> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean hit = false;
        for (int i = 0; i < marked.length(); i++) {
            char ch = marked.charAt(i);
            if (ch == START || ch == STOP) {
                if (!cur.isEmpty()) out.add(new Piece(cur.toString(), hit));
                cur.setLength(0);
                hit = ch == START;
            } else {
                cur.append(ch);
            }
        }
        if (!cur.isEmpty()) out.add(new Piece(cur.toString(), hit));
        return new Highlight(out);
    }

    public boolean hasHit() {
        return pieces.stream().anyMatch(Piece::hit);
    }
}
