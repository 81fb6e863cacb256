package app.parley.core;

/**
 * Replaces payment card numbers in free text with {@code **** **** **** 1234}, keeping only the last four
 * digits, so chat messages can be stored and relayed without full card numbers.
 */
public final class CardNumberMasker {

    /** Card scheme as told by the leading digits (IIN range) and the length of a number. */
    public enum CardScheme { VISA, MASTERCARD, AMEX, DISCOVER, DINERS, JCB, UNIONPAY, MAESTRO, UNKNOWN }

    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;
    // One mask for every length, so the output does not tell how long the card was.
    private static final String MASK_PREFIX = "**** **** **** ";

    private record Span(int start, int end) {}

    private CardNumberMasker() {}

    /**
     * Returns {@code text} with every card number replaced by its mask; all other characters stay as they were.
     * A card number is a run of 13–19 digits, not starting with 0 and passing the Luhn check, whose neighbours are
     * separated by nothing, one hyphen, or one or two characters each a horizontal whitespace or a dot; a run
     * whose gaps are all single characters is judged whole, never in parts. Returns null for null.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        int copied = 0;
        for (Span card = nextCard(text, 0); card != null; card = nextCard(text, card.end())) {
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, card.start()).append(MASK_PREFIX);
            appendLastFourDigits(out, text, card);
            copied = card.end();
        }
        // Most messages hold no card: hand back the same instance instead of a copy.
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** Whether {@link #mask(String)} would change {@code text}. */
    public static boolean containsCard(String text) {
        return text != null && nextCard(text, 0) != null;
    }

    /**
     * Scheme of a card number for display, from its IIN range and length; separators (hyphens, horizontal
     * whitespace, dots) are ignored, Luhn
     * is not checked. Anything else, or a length outside 13–19, is {@link CardScheme#UNKNOWN}.
     */
    public static CardScheme scheme(String number) {
        if (number == null) {
            return CardScheme.UNKNOWN;
        }
        int length = 0;
        int prefix = 0; // first six digits
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            int d = Character.digit(c, 10);
            if (d >= 0) {
                if (length < 6) {
                    prefix = prefix * 10 + d;
                }
                length++;
            } else if (!isSeparator(c)) {
                return CardScheme.UNKNOWN;
            }
        }
        if (length < MIN_DIGITS || length > MAX_DIGITS) {
            return CardScheme.UNKNOWN;
        }
        int p1 = prefix / 100_000, p2 = prefix / 10_000, p3 = prefix / 1_000, p4 = prefix / 100;
        // Order matters where ranges overlap: Discover's 622126–622925 lies inside UnionPay's 62,
        // and Maestro's 56–69 covers Discover, UnionPay and others, so the broad ranges go last.
        if (p1 == 4 && (length == 13 || length == 16 || length == 19)) {
            return CardScheme.VISA;
        }
        if ((between(p2, 51, 55) || between(p4, 2221, 2720)) && length == 16) {
            return CardScheme.MASTERCARD;
        }
        if ((p2 == 34 || p2 == 37) && length == 15) {
            return CardScheme.AMEX;
        }
        if (length >= 16 && (p4 == 6011 || between(p3, 644, 649) || p2 == 65 || between(prefix, 622126, 622925))) {
            return CardScheme.DISCOVER;
        }
        if (length >= 16 && between(p4, 3528, 3589)) {
            return CardScheme.JCB;
        }
        if (length >= 14 && (between(p3, 300, 305) || p2 == 36 || p2 == 38 || p2 == 39)) {
            return CardScheme.DINERS;
        }
        if (length >= 16 && p2 == 62) {
            return CardScheme.UNIONPAY;
        }
        if (p2 == 50 || between(p2, 56, 69)) {
            return CardScheme.MAESTRO;
        }
        return CardScheme.UNKNOWN;
    }

    // Two levels of runs. A wide run joins digits across gaps of one hyphen or of one or two spaces or dots (a
    // card typed "4111  1111  1111  1111"); a narrow run joins them across at most one such character. The wide
    // run is judged first; when it is no card (a card between two numbers set two spaces apart), each narrow run
    // inside it is judged on its own. Narrow runs are maximal, so a card-shaped part of a longer number set with
    // single gaps is never taken for a card. One forward pass, plus one backward pass over each judged run:
    // linear, no regex, so hostile input (thousands of "1 1 1 ...") costs the same as ordinary text.
    private static Span nextCard(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int wideEnd = runEnd(text, i, true);
            if (isCard(text, i, wideEnd)) {
                return new Span(i, wideEnd);
            }
            for (int start = i; start < wideEnd; ) {
                int narrowEnd = runEnd(text, start, false);
                if (narrowEnd - start < wideEnd - i && isCard(text, start, narrowEnd)) {
                    return new Span(start, narrowEnd);
                }
                start = nextDigit(text, narrowEnd, wideEnd);
            }
            i = wideEnd;
        }
        return null;
    }

    /** The end of the run of digits starting at the digit at {@code start}. */
    private static int runEnd(String text, int start, boolean wide) {
        int n = text.length();
        int end = start + 1;
        while (end < n) {
            if (isDigit(text.charAt(end))) {
                end++;
                continue;
            }
            int gap = gapLength(text, end, wide);
            if (gap > 0) {
                end += gap + 1;
                continue;
            }
            break;
        }
        return end;
    }

    /** Length of the gap at {@code at} when a digit follows it, else 0. */
    private static int gapLength(String text, int at, boolean wide) {
        int n = text.length();
        char c = text.charAt(at);
        if (c == '-' || isSpaceOrDot(c)) {
            if (at + 1 < n && isDigit(text.charAt(at + 1))) return 1;
            if (wide && isSpaceOrDot(c) && at + 2 < n && isSpaceOrDot(text.charAt(at + 1)) && isDigit(text.charAt(at + 2))) {
                return 2;
            }
        }
        return 0;
    }

    private static int nextDigit(String text, int from, int end) {
        int i = from;
        while (i < end && !isDigit(text.charAt(i))) i++;
        return i;
    }

    private static boolean isCard(String text, int start, int end) {
        int digits = 0;
        for (int i = start; i < end && digits <= MAX_DIGITS; i++) {
            if (isDigit(text.charAt(i))) digits++;
        }
        return digits >= MIN_DIGITS && digits <= MAX_DIGITS
                && Character.digit(text.charAt(start), 10) != 0 && passesLuhn(text, start, end);
    }

    private static boolean passesLuhn(String text, int start, int end) {
        int sum = 0;
        boolean doubled = false;
        for (int i = end - 1; i >= start; i--) {
            int d = Character.digit(text.charAt(i), 10);
            if (d < 0) {
                continue;
            }
            if (doubled) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static void appendLastFourDigits(StringBuilder out, String text, Span card) {
        int from = card.end();
        for (int found = 0; found < 4; from--) {
            if (isDigit(text.charAt(from - 1))) {
                found++;
            }
        }
        for (int i = from; i < card.end(); i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                out.append(c);
            }
        }
    }

    // Any Unicode decimal digit, not only ASCII: a card typed with full-width digits is still a card.
    private static boolean isDigit(char c) {
        return Character.digit(c, 10) >= 0;
    }

    private static boolean isSeparator(char c) {
        return c == '-' || isSpaceOrDot(c);
    }

    // Horizontal whitespace (the tab and Unicode's space separators: no-break, figure, thin, ideographic...) and
    // the dot. Line breaks are no separator: two numbers on two lines are two numbers to whoever reads them.
    private static boolean isSpaceOrDot(char c) {
        return c == ' ' || c == '.' || c == '\t' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static boolean between(int value, int low, int high) {
        return value >= low && value <= high;
    }
}
