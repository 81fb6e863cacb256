package app.parley.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every row of shared/testdata/user-agents.tsv parsed as its README states: device class, OS and version (or a later
 * one where the string is frozen, ">=X"), browser and major version, with the README's equivalent spellings.
 */
class DevicesTest {
    static final Path FIXTURE = Path.of("../../shared/testdata/user-agents.tsv");
    private static Devices devices;

    @BeforeAll
    static void build() {
        devices = Devices.buildInBackground();
    }

    record Row(String ua, String deviceClass, String os, String osVersion, String browser, String browserMajor, String note) {}

    static List<Row> rows() throws IOException {
        Path file = Files.exists(FIXTURE) ? FIXTURE : Path.of("/work/shared/testdata/user-agents.tsv");
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] c = line.split("\t", -1);
            rows.add(new Row(c[0], c[1], c[2], c[3], c[4], c[5], c.length > 6 ? c[6] : ""));
        }
        return rows;
    }

    @Test
    void everyRowOfTheFixtureIsParsedAsItsReadmeSays() throws IOException {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThan(50);
        List<String> wrong = new ArrayList<>();
        for (Row r : rows) {
            Device d = devices.parse(r.ua(), ClientHints.NONE);
            List<String> why = new ArrayList<>();
            if (!r.deviceClass().equals(d.deviceClass())) why.add("class " + d.deviceClass() + " != " + r.deviceClass());
            if (!r.deviceClass().equals("bot")) {
                if (!sameName(r.os(), d.osName(), OS_SPELLINGS)) why.add("os " + d.osName() + " != " + r.os());
                if (!versionOk(r.osVersion(), d.osVersion())) why.add("os version " + d.osVersion() + " != " + r.osVersion());
                if (!sameName(r.browser(), d.browserName(), BROWSER_SPELLINGS)) why.add("browser " + d.browserName() + " != " + r.browser());
                if (!r.browserMajor().equals("-") && !major(d.browserVersion()).equals(r.browserMajor())) {
                    why.add("browser major " + d.browserVersion() + " != " + r.browserMajor());
                }
            }
            if (!why.isEmpty()) wrong.add(why + " for " + r.ua());
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void clientHintsTellWindowsElevenFromTenBehindAFrozenString() {
        String frozen = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        Device hinted = devices.parse(frozen, new ClientHints("Windows", "15.0.0", null, false,
                "\"Google Chrome\";v=\"131.0.6778.86\", \"Chromium\";v=\"131.0.6778.86\", \"Not_A Brand\";v=\"24.0.0.0\""));
        assertThat(hinted.osName()).isEqualTo("Windows NT");
        assertThat(hinted.osVersion()).isEqualTo("11");
        assertThat(hinted.browserName()).isEqualTo("Chrome");
        Device ten = devices.parse(frozen, new ClientHints("Windows", "10.0.0", null, false, null));
        assertThat(ten.osVersion()).isEqualTo("10");
    }

    private static final Map<String, List<String>> OS_SPELLINGS = Map.of(
            "Windows", List.of("Windows", "Windows NT"),
            "macOS", List.of("macOS", "Mac OS", "Mac OS X"),
            "Chrome OS", List.of("Chrome OS", "ChromeOS"),
            "iPadOS", List.of("iPadOS", "iOS"));
    private static final Map<String, List<String>> BROWSER_SPELLINGS = Map.of(
            "Chrome", List.of("Chrome", "Google Chrome"),
            "Samsung Internet", List.of("Samsung Internet", "SamsungBrowser"),
            // Opera's product for Android, by its own name.
            "Opera", List.of("Opera", "Opera Mobile"));
    private static final List<String> LINUXES = List.of("Linux", "Ubuntu", "Fedora", "Debian");

    private static boolean sameName(String expected, String actual, Map<String, List<String>> spellings) {
        if (actual == null) return false;
        if (expected.equalsIgnoreCase(actual)) return true;
        // The README: "any browser name containing Facebook is acceptable".
        if (expected.contains("Facebook") && actual.contains("Facebook")) return true;
        if (expected.equals("Linux") && LINUXES.stream().anyMatch(actual::startsWith)) return true;
        return spellings.getOrDefault(expected, List.of()).stream().anyMatch(actual::equalsIgnoreCase);
    }

    /** "-": not checked; ">=X": X or later; else the stated version (compared on the parts the fixture gives). */
    static boolean versionOk(String expected, String actual) {
        if (expected.equals("-")) return true;
        if (actual == null) return false;
        // A parser may say "10 or later" itself (Yauaa's ">=10" for a frozen string).
        if (actual.startsWith(">=")) actual = actual.substring(2);
        if (expected.startsWith(">=")) return compare(actual, expected.substring(2)) >= 0;
        return compare(actual, expected) == 0 || actual.equals(expected);
    }

    private static int compare(String actual, String expected) {
        String[] a = actual.split("[._]"), e = expected.split("[._]");
        for (int i = 0; i < e.length; i++) {
            int x = i < a.length ? number(a[i]) : 0, y = number(e[i]);
            if (x != y) return Integer.compare(x, y);
        }
        return 0;
    }

    private static int number(String s) {
        String digits = s.replaceAll("[^0-9].*$", "");
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }

    private static String major(String v) {
        if (v == null) return "";
        int dot = v.indexOf('.');
        return dot < 0 ? v : v.substring(0, dot);
    }
}
