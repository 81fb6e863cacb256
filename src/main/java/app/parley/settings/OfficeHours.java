package app.parley.settings;

import app.parley.core.Refusal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * When a chat box takes chats (docs/PRODUCT.md §8): several intervals a day in the account's timezone, and
 * holidays as dates with their own intervals (none: closed all day). Outside them the chat box shows the contact
 * form whatever the agents' status. Times are wall-clock times, so a 09:00–17:00 day stays 09:00–17:00 across a
 * change to or from summer time. An interval whose end is not after its start runs past midnight into the next
 * day ("22:00"–"02:00"); "24:00" ends a day.
 *
 * @param week     intervals by day name ("monday"…"sunday"); a missing day is closed
 * @param holidays dates whose intervals replace the week's (an empty list: closed all day)
 */
public record OfficeHours(Boolean enabled, Map<String, List<Interval>> week, List<Holiday> holidays) {

    /** From and to as "HH:mm"; to may be "24:00". */
    public record Interval(String from, String to) {}

    public record Holiday(String date, List<Interval> hours) {}

    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d|24:00");
    private static final int MAX_INTERVALS = 12;

    /** Always open: what an account or group without hours has. */
    public static OfficeHours alwaysOpen() {
        return new OfficeHours(false, Map.of(), List.of());
    }

    /** Checks every field and answers the hours in their one spelling; a bad field is refused by name. */
    public OfficeHours normalised() {
        Map<String, List<Interval>> w = new LinkedHashMap<>();
        Map<String, List<Interval>> in = week == null ? Map.of() : week;
        for (String day : in.keySet()) {
            if (day == null || dayOf(day) == null) throw Refusal.invalid("week", "week is keyed by day: monday … sunday.");
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            w.put(name, intervals("week." + name, in.get(name)));
        }
        List<Holiday> hs = new ArrayList<>();
        if (holidays != null) {
            if (holidays.size() > 366) throw Refusal.invalid("holidays", "At most 366 holidays.");
            for (Holiday h : holidays) {
                if (h == null || h.date() == null) throw Refusal.invalid("holidays", "Each holiday has a date (YYYY-MM-DD).");
                try {
                    LocalDate.parse(h.date());
                } catch (DateTimeParseException e) {
                    throw Refusal.invalid("holidays", "Each holiday has a date (YYYY-MM-DD).");
                }
                if (hs.stream().anyMatch(x -> x.date().equals(h.date()))) throw Refusal.invalid("holidays", h.date() + " is listed twice.");
                hs.add(new Holiday(h.date(), intervals("holidays." + h.date(), h.hours())));
            }
            hs.sort(java.util.Comparator.comparing(Holiday::date));
        }
        return new OfficeHours(Boolean.TRUE.equals(enabled), w, hs);
    }

    private static List<Interval> intervals(String field, List<Interval> in) {
        if (in == null) return List.of();
        if (in.size() > MAX_INTERVALS) throw Refusal.invalid(field, "At most " + MAX_INTERVALS + " intervals a day.");
        List<Interval> out = new ArrayList<>();
        for (Interval i : in) {
            if (i == null || i.from() == null || i.to() == null || !TIME.matcher(i.from()).matches() || !TIME.matcher(i.to()).matches()
                    || i.from().equals("24:00")) {
                throw Refusal.invalid(field, "Times are HH:MM from 00:00 to 24:00.");
            }
            if (i.from().equals(i.to())) throw Refusal.invalid(field, "An interval cannot start and end at " + i.from() + ".");
            out.add(i);
        }
        out.sort(java.util.Comparator.comparing(Interval::from));
        return out;
    }

    /** Whether the chat box takes chats at this instant, in this zone. Disabled hours are always open. */
    public boolean openAt(Instant now, ZoneId zone) {
        if (!Boolean.TRUE.equals(enabled)) return true;
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        for (Interval i : day(today)) {
            LocalTime from = LocalTime.parse(i.from());
            if (time.isBefore(from)) continue;
            if (overnight(i) || i.to().equals("24:00") || time.isBefore(LocalTime.parse(i.to()))) return true;
        }
        // Yesterday's overnight intervals reach into the small hours of today.
        for (Interval i : day(today.minusDays(1))) {
            if (overnight(i) && time.isBefore(LocalTime.parse(i.to()))) return true;
        }
        return false;
    }

    private List<Interval> day(LocalDate date) {
        String iso = date.toString();
        for (Holiday h : holidays == null ? List.<Holiday>of() : holidays) if (h.date().equals(iso)) return h.hours();
        List<Interval> w = week == null ? null : week.get(date.getDayOfWeek().name().toLowerCase(Locale.ROOT));
        return w == null ? List.of() : w;
    }

    private static boolean overnight(Interval i) {
        return !i.to().equals("24:00") && i.to().compareTo(i.from()) < 0;
    }

    private static DayOfWeek dayOf(String name) {
        for (DayOfWeek d : DayOfWeek.values()) if (d.name().equalsIgnoreCase(name)) return d;
        return null;
    }

    /** Monday to Friday, 9 to 17: what the dashboard offers first. */
    public static OfficeHours weekdays() {
        Map<String, List<Interval>> w = new LinkedHashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            boolean workday = d.getValue() <= 5;
            w.put(d.name().toLowerCase(Locale.ROOT), workday ? List.of(new Interval("09:00", "17:00")) : List.of());
        }
        return new OfficeHours(false, w, List.of());
    }
}
