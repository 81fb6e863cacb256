package app.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.CardNumberMasker.CardScheme;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CardNumberMaskerTest {

    // /work/main is the working directory in the real build; the absolute path serves scratch checkouts.
    private static final List<Path> SHARED_FIXTURE = List.of(
            Path.of("../shared/testdata/card-numbers.tsv"),
            Path.of("/work/shared/testdata/card-numbers.tsv"));
    private static final String OWN_FIXTURE = "/masking/more-cards.tsv";
    private static final Pattern MASK = Pattern.compile("\\*{4} \\*{4} \\*{4} (\\d{4})");

    record Row(String text, List<String> lastFours) {
        @Override
        public String toString() {
            return text + (lastFours.isEmpty() ? " → unchanged" : " → " + lastFours);
        }
    }

    // ---- fixture files ----

    static Stream<Row> sharedFixtureRows() throws IOException {
        Path file = SHARED_FIXTURE.stream().filter(Files::isReadable).findFirst()
                .orElseThrow(() -> new IllegalStateException("card-numbers.tsv not found at " + SHARED_FIXTURE));
        return parseRows(Files.readString(file, StandardCharsets.UTF_8));
    }

    static Stream<Row> ownFixtureRows() throws IOException {
        try (InputStream in = CardNumberMaskerTest.class.getResourceAsStream(OWN_FIXTURE)) {
            if (in == null) {
                throw new IllegalStateException(OWN_FIXTURE + " not on the test classpath");
            }
            return parseRows(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Stream<Row> parseRows(String content) {
        List<Row> rows = content.lines()
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> {
                    int tab = line.lastIndexOf('\t');
                    if (tab < 0) {
                        throw new IllegalStateException("row without a tab: " + line);
                    }
                    String expected = line.substring(tab + 1).strip();
                    List<String> lastFours = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(","));
                    return new Row(line.substring(0, tab), lastFours);
                })
                .toList();
        assertThat(rows).as("fixture rows").isNotEmpty();
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedFixtureRows")
    void masksExactlyTheCardsOfTheSharedFixture(Row row) {
        assertMaskedExactly(row.text(), row.lastFours());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownFixtureRows")
    void masksExactlyTheCardsOfOurOwnFixture(Row row) {
        assertMaskedExactly(row.text(), row.lastFours());
    }

    /**
     * Checks the output against the input without re-implementing the masker: cutting the output at its masks
     * must leave pieces that appear unchanged in the input, and what each mask replaced must be a whole
     * (maximal) 13–19 digit run ending in the mask's last four.
     */
    private static void assertMaskedExactly(String input, List<String> lastFours) {
        String output = CardNumberMasker.mask(input);
        assertThat(CardNumberMasker.containsCard(input)).isEqualTo(!lastFours.isEmpty());
        if (lastFours.isEmpty()) {
            assertThat(output).isEqualTo(input);
            return;
        }
        List<String> pieces = new ArrayList<>();
        List<String> maskedLastFours = new ArrayList<>();
        Matcher masks = MASK.matcher(output);
        int copied = 0;
        StringBuilder inputShape = new StringBuilder();
        while (masks.find()) {
            String piece = output.substring(copied, masks.start());
            pieces.add(piece);
            maskedLastFours.add(masks.group(1));
            inputShape.append(Pattern.quote(piece)).append("(\\d(?:(?:-|[\\h.]{1,2})?\\d)*)");
            copied = masks.end();
        }
        String tail = output.substring(copied);
        pieces.add(tail);
        inputShape.append(Pattern.quote(tail));
        assertThat(maskedLastFours).as("last four digits kept, in order").isEqualTo(lastFours);

        Matcher original = Pattern.compile(inputShape.toString(), Pattern.DOTALL).matcher(input);
        assertThat(original.matches()).as("text around the masks is unchanged in:%n%s", output).isTrue();
        for (int card = 0; card < lastFours.size(); card++) {
            String replaced = original.group(card + 1);
            String digits = replaced.replaceAll("[\\h.-]", "");
            assertThat(digits).as("digits replaced by mask %d", card + 1)
                    .hasSizeBetween(13, 19).endsWith(lastFours.get(card));
            assertThat(pieces.get(card)).as("text before card %d keeps no digit of it", card + 1)
                    .doesNotMatch("(?s).*\\d[\\h.-]?");
            assertThat(pieces.get(card + 1)).as("text after card %d keeps no digit of it", card + 1)
                    .doesNotMatch("(?s)[\\h.-]?\\d.*");
        }
    }

    // ---- published test cards of the schemes ----

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
        "4242424242424242, VISA",
        "4111111111111111, VISA",
        "4012888888881881, VISA",
        "4000056655665556, VISA",
        "4222222222222, VISA",
        "5555555555554444, MASTERCARD",
        "5105105105105100, MASTERCARD",
        "5200828282828210, MASTERCARD",
        "2223003122003222, MASTERCARD",
        "2223000048400011, MASTERCARD",
        "378282246310005, AMEX",
        "371449635398431, AMEX",
        "378734493671000, AMEX",
        "6011111111111117, DISCOVER",
        "6011000990139424, DISCOVER",
        "6011981111111113, DISCOVER",
        "36227206271667, DINERS",
        "3056930009020004, DINERS",
        "3566002020360505, JCB",
        "3530111333300000, JCB",
        "6200000000000005, UNIONPAY",
        "6200000000000047, UNIONPAY",
        "6205500000000000004, UNIONPAY",
        "6759649826438453, MAESTRO",
        "6799990100000000019, MAESTRO",
    })
    void masksPublishedTestCardsWithoutSeparatorsSpacesOrHyphens(String number, CardScheme scheme) {
        String expected = "card **** **** **** " + number.substring(number.length() - 4) + " ok";

        assertThat(CardNumberMasker.mask("card " + number + " ok")).isEqualTo(expected);
        assertThat(CardNumberMasker.mask("card " + grouped(number, " ") + " ok")).isEqualTo(expected);
        assertThat(CardNumberMasker.mask("card " + grouped(number, "-") + " ok")).isEqualTo(expected);
        assertThat(CardNumberMasker.scheme(number)).isEqualTo(scheme);
        assertThat(CardNumberMasker.scheme(grouped(number, " "))).isEqualTo(scheme);
    }

    private static String grouped(String digits, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 4) {
            out.append(i == 0 ? "" : separator).append(digits, i, Math.min(i + 4, digits.length()));
        }
        return out.toString();
    }

    @Test
    void masksVisaWithSpaces() {
        assertThat(CardNumberMasker.mask("my card is 4242 4242 4242 4242 thanks"))
                .isEqualTo("my card is **** **** **** 4242 thanks");
    }

    @Test
    void masksAmexInItsPrintedFourSixFiveGrouping() {
        assertThat(CardNumberMasker.mask("Amex 3782 822463 10005, exp 12/29"))
                .isEqualTo("Amex **** **** **** 0005, exp 12/29");
    }

    @Test
    void usesTheSameMaskWhateverTheLength() {
        assertThat(CardNumberMasker.mask("4222222222222")).isEqualTo("**** **** **** 2222");
        assertThat(CardNumberMasker.mask("36227206271667")).isEqualTo("**** **** **** 1667");
        assertThat(CardNumberMasker.mask("6799990100000000019")).isEqualTo("**** **** **** 0019");
    }

    @Test
    void masksEveryCardInOneMessage() {
        String text = "Try 4242 4242 4242 4242, else 5555-5555-5555-4444 or 378282246310005;"
                + " last resort 6200 0000 0000 0005.";

        assertThat(CardNumberMasker.mask(text)).isEqualTo("Try **** **** **** 4242, else **** **** **** 4444 or"
                + " **** **** **** 0005; last resort **** **** **** 0005.");
    }

    @Test
    void masksNumberWithMixedSeparators() {
        assertThat(CardNumberMasker.mask("6011-1111 1111-1117")).isEqualTo("**** **** **** 1117");
        assertThat(CardNumberMasker.mask("4242 4242-42424242")).isEqualTo("**** **** **** 4242");
    }

    @Test
    void treatsLettersAsBoundaries() {
        assertThat(CardNumberMasker.mask("ID4242424242424242")).isEqualTo("ID**** **** **** 4242");
        assertThat(CardNumberMasker.mask("x5555555555554444y")).isEqualTo("x**** **** **** 4444y");
    }

    @Test
    void keepsTrailingSeparatorsAndPunctuationOutsideTheMask() {
        assertThat(CardNumberMasker.mask("číslo: 4242-4242-4242-4242.")).isEqualTo("číslo: **** **** **** 4242.");
        assertThat(CardNumberMasker.mask("4242-4242-4242-4242- ok")).isEqualTo("**** **** **** 4242- ok");
        assertThat(CardNumberMasker.mask("4242 4242 4242 4242 thanks")).isEqualTo("**** **** **** 4242 thanks");
        assertThat(CardNumberMasker.mask("4242 4242 4242 4242\n")).isEqualTo("**** **** **** 4242\n");
    }

    @Test
    void masksCardBetweenNumbersSetApartByTwoSpaces() {
        assertThat(CardNumberMasker.mask("1234  4242 4242 4242 4242  5678"))
                .isEqualTo("1234  **** **** **** 4242  5678");
    }

    /** Every horizontal whitespace character Unicode knows (category Zs, and the tab), and the dot. */
    static Stream<String> separators() {
        Stream<String> spaces = java.util.stream.IntStream.rangeClosed(0, 0xFFFF)
                .filter(c -> c == '\t' || Character.getType(c) == Character.SPACE_SEPARATOR)
                .mapToObj(c -> String.valueOf((char) c));
        return Stream.concat(spaces, Stream.of("."));
    }

    @ParameterizedTest(name = "U+{0}")
    @MethodSource("separators")
    void masksCardsSeparatedByAnyHorizontalWhitespaceOrADotOnceOrTwice(String separator) {
        assertThat(separator.codePointAt(0)).isNotIn(0x0A, 0x0D, 0x2028, 0x2029);
        for (String gap : List.of(separator, separator + separator, separator + " ", " " + separator)) {
            String text = "card " + String.join(gap, "4111", "1111", "1111", "1111") + " ok";
            assertThat(CardNumberMasker.mask(text)).as("gap %s", gap.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo("card **** **** **** 1111 ok");
            assertThat(CardNumberMasker.mask("3782" + gap + "822463" + gap + "10005")).isEqualTo("**** **** **** 0005");
        }
        String threeWide = String.join(separator.repeat(3), "4111", "1111", "1111", "1111");
        assertThat(CardNumberMasker.mask(threeWide)).isSameAs(threeWide);
    }

    @Test
    void masksCardsWrittenWithDotsTabsAndDoubleSpaces() {
        assertThat(CardNumberMasker.mask("4111.1111.1111.1111")).isEqualTo("**** **** **** 1111");
        assertThat(CardNumberMasker.mask("card: 4111\t1111\t1111\t1111.")).isEqualTo("card: **** **** **** 1111.");
        assertThat(CardNumberMasker.mask("4242  4242  4242  4242")).isEqualTo("**** **** **** 4242");
        assertThat(CardNumberMasker.mask("5555 5555\u00a0 5555 4444")).isEqualTo("**** **** **** 4444");
    }

    @Test
    void aCardWrittenWithSingleGapsStaysACardNextToNumbersTwoSpacesAway() {
        // The wider run (24 digits) is no card, so the single-gap run inside it is judged on its own.
        assertThat(CardNumberMasker.mask("1234  4242 4242 4242 4242  5678")).isEqualTo("1234  **** **** **** 4242  5678");
        assertThat(CardNumberMasker.mask("1234..4111.1111.1111.1111")).isEqualTo("1234..**** **** **** 1111");
        // ...but a single gap always binds: a card-shaped part of a longer single-gap number is never a card.
        assertThat(CardNumberMasker.mask("4242 4242 4242 4242 1234")).isEqualTo("4242 4242 4242 4242 1234");
    }

    @Test
    void masksCardWrittenInFullWidthDigits() {
        assertThat(CardNumberMasker.mask("カード ４２４２ ４２４２ ４２４２ ４２４２ です"))
                .isEqualTo("カード **** **** **** ４２４２ です");
    }

    @Test
    void maskingTwiceChangesNothingMore() {
        String once = CardNumberMasker.mask("pay 4242 4242 4242 4242 or 378282246310005");

        assertThat(CardNumberMasker.mask(once)).isEqualTo(once);
        assertThat(CardNumberMasker.containsCard(once)).isFalse();
    }

    // ---- look-alikes ----

    @ParameterizedTest
    @ValueSource(strings = {
        "call me at +420 777 123 456",
        "+420 777 123 456, +420 608 111 222",
        "(555) 123-4567",
        "+1 415 555 2671",
        "order #100023456",
        "order 2026-000123456",
        "IBAN CZ65 0800 0000 1920 0014 5399",
        "IBAN DE89 3704 0044 0532 0130 00",
        "IBAN GB82 WEST 1234 5698 7654 32",
        "delivered 2026-11-21",
        "delivered 21.11.2026",
        "2026-11-21T14:30:00.123456Z",
        "2026-11-21 14:30:00",
        "Fri, 21 Nov 2026 14:30:00 +0100",
        "fails Luhn 4242424242424241",
        "fails Luhn 4242 4242 4242 4241",
        "starts with zero 0378282246310005",
        "starts with zero 04242424242424242",
        "twelve digits 424242424242",
        "Luhn-valid but twelve digits 420777123456",
        "twenty digits 42424242424242421234",
        "twenty digits 4242 4242 4242 4242 1234",
        "twenty-one digits 12345 4242 4242 4242 4242",
        "4242_4242_4242_4242",
        "4242 - 4242 - 4242 - 4242",
        "**** **** **** 4242",
        "4242   4242   4242   4242",
        "4242. . 4242. . 4242. . 4242",
        "4242 4242\n4242 4242",
        "4242 4242\r\n4242 4242",
        "4242\u20284242\u20284242\u20284242",
        "4242\u000b4242\u000b4242\u000b4242",
        "4242--4242--4242--4242",
        "4242 -4242 -4242 -4242",
        "version 4.2.4.2.4.2.4.2.4.2.4.2.4.2.4.2.4.2.4.2",
        "hosts 192.168.100.200 10.0.0.1",
        "on 21.11.2026 at 14.30.00",
        "price 1.000.000.000.000,00 CZK",
        "EAN 4006.3813.3393.1",
        "phones 777 123 456  608 111 222",
    })
    void leavesLookAlikesUnchanged(String text) {
        assertThat(CardNumberMasker.mask(text)).isSameAs(text);
        assertThat(CardNumberMasker.containsCard(text)).isFalse();
    }

    @Test
    void doesNotSearchForCardsInsideALongerDigitRun() {
        // 4242424242424242 is a card on its own, but here it is only a part of a 25-digit number.
        String text = "ref 4242424242424242424242424";

        assertThat(CardNumberMasker.mask(text)).isEqualTo(text);
    }

    // ---- edge cases and performance ----

    @ParameterizedTest
    @NullAndEmptySource
    void returnsNullAndEmptyAsGiven(String text) {
        assertThat(CardNumberMasker.mask(text)).isEqualTo(text);
        assertThat(CardNumberMasker.containsCard(text)).isFalse();
    }

    @Test
    void returnsTheSameStringWhenThereIsNoCard() {
        String text = "no card here, just 42 and 2026-11-21";

        assertThat(CardNumberMasker.mask(text)).isSameAs(text);
    }

    @Test
    void containsCardFindsACardAnywhereInTheText() {
        assertThat(CardNumberMasker.containsCard("4242424242424242")).isTrue();
        assertThat(CardNumberMasker.containsCard("first 42, then 5555 5555 5555 4444")).isTrue();
        assertThat(CardNumberMasker.containsCard("first 42, then 5555 5555 5555 4445")).isFalse();
    }

    @Test
    void masksManyCardsInTenThousandCharacters() {
        String chunk = "Hi, card 4242 4242 4242 4242, backup 5555-5555-5555-4444, order #100023456 on 2026-11-21. ";
        String masked = "Hi, card **** **** **** 4242, backup **** **** **** 4444, order #100023456 on 2026-11-21. ";
        int copies = 10_000 / chunk.length() + 1;
        String text = chunk.repeat(copies);
        assertThat(text.length()).isGreaterThanOrEqualTo(10_000);

        assertThat(CardNumberMasker.mask(text)).isEqualTo(masked.repeat(copies));
    }

    @Test
    void leavesLongRunsOfDigitsAndSeparatorsAndNearCardsAlone() {
        // Inputs that make a backtracking regex explode: one 5,000-digit run, and 500 cards failing Luhn.
        // (Speed is measured by bench/, never asserted in a test.)
        String oneLongRun = "1 2-".repeat(2_500);
        String nearCards = "4242 4242 4242 4241, ".repeat(500);

        assertThat(CardNumberMasker.mask(oneLongRun)).isSameAs(oneLongRun);
        assertThat(CardNumberMasker.mask(nearCards)).isSameAs(nearCards);
    }

    // ---- scheme ----

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "4000000000000000006, VISA",
        "4000000000000002, VISA",
        "2221000000000009, MASTERCARD",
        "2720000000000005, MASTERCARD",
        "340000000000009, AMEX",
        "6221260000000000, DISCOVER",
        "6440000000000005, DISCOVER",
        "6500000000000002, DISCOVER",
        "3528000000000007, JCB",
        "300000000000007, DINERS",
        "3800000000000006, DINERS",
        "390000000000008, DINERS",
        "5000000000005, MAESTRO",
        "5600000000000003, MAESTRO",
        "5019717010103742, MAESTRO",
        "'4242 4242-4242 4242', VISA",
        "'4242.4242.4242.4242', VISA",
        "'4242\u00a04242  4242\t4242', VISA",
    })
    void tellsSchemeFromLeadingDigitsAndLength(String number, CardScheme scheme) {
        assertThat(CardNumberMasker.scheme(number)).isEqualTo(scheme);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "424242424242",         // 12 digits
        "42424242424242421234", // 20 digits
        "400000000000002",      // Visa prefix, 15 digits
        "55555555555544445",    // Mastercard prefix, 17 digits
        "3782822463100055",     // Amex prefix, 16 digits
        "9999999999999995",     // no scheme starts with 9
        "4242x424242424242",
        "4242/4242/4242/4242",
    })
    void tellsUnknownSchemeForAnythingElse(String number) {
        assertThat(CardNumberMasker.scheme(number)).isEqualTo(CardScheme.UNKNOWN);
    }

    @Test
    void masksLuhnValidNumbersOfNoKnownSchemeToo() {
        assertThat(CardNumberMasker.scheme("9999999999999995")).isEqualTo(CardScheme.UNKNOWN);
        assertThat(CardNumberMasker.mask("9999 9999 9999 9995")).isEqualTo("**** **** **** 9995");
    }
}
