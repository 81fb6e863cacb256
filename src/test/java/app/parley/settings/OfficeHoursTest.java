package app.parley.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.core.Refusal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The office-hours rule alone: intervals, overnight ones, holidays, and summer time (issue #18, point 4). */
class OfficeHoursTest {
    private static final ZoneId PRAGUE = ZoneId.of("Europe/Prague");

    private static OfficeHours.Interval at(String from, String to) {
        return new OfficeHours.Interval(from, to);
    }

    /** The instant a Prague wall clock shows this local time (the earlier one when it shows it twice). */
    private static Instant prague(String local) {
        return LocalDateTime.parse(local).atZone(PRAGUE).toInstant();
    }

    private static OfficeHours hours(Map<String, List<OfficeHours.Interval>> week, List<OfficeHours.Holiday> holidays) {
        return new OfficeHours(true, week, holidays).normalised();
    }

    @Test
    void severalIntervalsADayInTheAccountsTimezone() {
        OfficeHours h = hours(Map.of("monday", List.of(at("09:00", "12:00"), at("13:00", "17:30"))), List.of());
        // 2026-12-07 is a Monday.
        assertThat(h.openAt(prague("2026-12-07T08:59"), PRAGUE)).isFalse();
        assertThat(h.openAt(prague("2026-12-07T09:00"), PRAGUE)).isTrue();
        assertThat(h.openAt(prague("2026-12-07T12:30"), PRAGUE)).isFalse();
        assertThat(h.openAt(prague("2026-12-07T17:29"), PRAGUE)).isTrue();
        assertThat(h.openAt(prague("2026-12-07T17:30"), PRAGUE)).isFalse();
        // 09:30 in Prague is 08:30 UTC: the same instant in another zone is outside.
        assertThat(h.openAt(prague("2026-12-07T09:30"), ZoneId.of("America/New_York"))).isFalse();
        assertThat(h.openAt(prague("2026-12-08T10:00"), PRAGUE)).as("Tuesday has no hours").isFalse();
    }

    @Test
    void anIntervalEndingBeforeItStartsRunsPastMidnightAnd2400EndsADay() {
        OfficeHours h = hours(Map.of("friday", List.of(at("20:00", "02:00")), "saturday", List.of(at("10:00", "24:00"))), List.of());
        // 2026-12-11 is a Friday.
        assertThat(h.openAt(prague("2026-12-11T19:59"), PRAGUE)).isFalse();
        assertThat(h.openAt(prague("2026-12-11T23:59"), PRAGUE)).isTrue();
        assertThat(h.openAt(prague("2026-12-12T00:00"), PRAGUE)).isTrue();
        assertThat(h.openAt(prague("2026-12-12T01:59"), PRAGUE)).isTrue();
        assertThat(h.openAt(prague("2026-12-12T02:00"), PRAGUE)).isFalse();
        assertThat(h.openAt(prague("2026-12-12T23:59:59"), PRAGUE)).isTrue();
        assertThat(h.openAt(prague("2026-12-13T00:00"), PRAGUE)).as("Sunday has no hours").isFalse();
    }

    @Test
    void aHolidayReplacesTheWeeksHours() {
        OfficeHours h = hours(Map.of("thursday", List.of(at("08:00", "18:00")), "friday", List.of(at("08:00", "18:00"))),
                List.of(new OfficeHours.Holiday("2026-12-24", List.of()), new OfficeHours.Holiday("2026-12-25", List.of(at("10:00", "12:00")))));
        assertThat(h.openAt(prague("2026-12-24T10:00"), PRAGUE)).as("Christmas Eve: closed").isFalse();
        assertThat(h.openAt(prague("2026-12-25T09:00"), PRAGUE)).isFalse();
        assertThat(h.openAt(prague("2026-12-25T11:00"), PRAGUE)).as("short hours").isTrue();
        assertThat(h.openAt(prague("2026-12-31T10:00"), PRAGUE)).as("an ordinary Thursday").isTrue();
    }

    @Test
    void wallClockHoursHoldAcrossSummerTime() {
        OfficeHours h = hours(Map.of("sunday", List.of(at("01:00", "04:00"), at("09:00", "17:00"))), List.of());
        // 2026-03-29: clocks go from 02:00 to 03:00. 01:30 and 03:30 local are both inside; 04:00 is not.
        Instant spring = prague("2026-03-29T01:30");
        assertThat(h.openAt(spring, PRAGUE)).isTrue();
        assertThat(h.openAt(spring.plusSeconds(3600), PRAGUE)).as("03:30 CEST").isTrue();
        assertThat(h.openAt(spring.plusSeconds(2 * 3600), PRAGUE)).as("04:30 CEST").isFalse();
        assertThat(h.openAt(prague("2026-03-29T16:59"), PRAGUE)).isTrue();
        assertThat(h.openAt(prague("2026-03-29T17:00"), PRAGUE)).isFalse();
        // 2026-10-25: 02:30 happens twice; both are inside 01:00–04:00, and 09:00 is 09:00 CET.
        Instant first = LocalDateTime.parse("2026-10-25T02:30").atZone(PRAGUE).withEarlierOffsetAtOverlap().toInstant();
        Instant second = LocalDateTime.parse("2026-10-25T02:30").atZone(PRAGUE).withLaterOffsetAtOverlap().toInstant();
        assertThat(second).isEqualTo(first.plusSeconds(3600));
        assertThat(h.openAt(first, PRAGUE)).isTrue();
        assertThat(h.openAt(second, PRAGUE)).isTrue();
        assertThat(h.openAt(Instant.parse("2026-10-25T08:00:00Z"), PRAGUE)).as("09:00 CET").isTrue();
        assertThat(h.openAt(Instant.parse("2026-10-25T07:59:00Z"), PRAGUE)).as("08:59 CET").isFalse();
    }

    @Test
    void disabledHoursAreAlwaysOpen() {
        assertThat(OfficeHours.alwaysOpen().openAt(Instant.now(), PRAGUE)).isTrue();
        assertThat(new OfficeHours(false, Map.of(), List.of()).normalised().openAt(Instant.now(), PRAGUE)).isTrue();
    }

    @Test
    void badHoursAreRefusedByField() {
        assertThatThrownBy(() -> hours(Map.of("funday", List.of()), List.of())).isInstanceOfSatisfying(Refusal.class,
                e -> assertThat(e.field()).isEqualTo("week"));
        assertThatThrownBy(() -> hours(Map.of("monday", List.of(at("9:00", "17:00"))), List.of())).isInstanceOfSatisfying(Refusal.class,
                e -> assertThat(e.field()).isEqualTo("week.monday"));
        assertThatThrownBy(() -> hours(Map.of("monday", List.of(at("10:00", "10:00"))), List.of())).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> hours(Map.of(), List.of(new OfficeHours.Holiday("24.12.2026", List.of()))))
                .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.field()).isEqualTo("holidays"));
    }
}
