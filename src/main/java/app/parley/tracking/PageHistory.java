package app.parley.tracking;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A visitor's browsing history as the card shows it: newest first, each page with the time spent on it, and the
 * first page of each visit (after 30 minutes without activity, docs/PRODUCT.md §3) marked as the entry page.
 */
public final class PageHistory {
    static final Duration VISIT_GAP = Duration.ofMinutes(30);

    public record Page(String url, String title, String referrer, OffsetDateTime viewedAt, Long timeSpentSeconds,
                       boolean entry) {}

    record Viewed(String url, String title, String referrer, OffsetDateTime viewedAt) {}

    private PageHistory() {}

    /**
     * {@code newestFirst}: the newest views; {@code lastSeen}: the visitor's last activity (the newest page's time
     * ends there). The oldest view is an entry when nothing older was read or when it follows a gap.
     */
    static List<Page> of(List<Viewed> newestFirst, OffsetDateTime lastSeen, boolean complete) {
        List<Page> out = new ArrayList<>(newestFirst.size());
        for (int i = 0; i < newestFirst.size(); i++) {
            Viewed v = newestFirst.get(i);
            Viewed next = i > 0 ? newestFirst.get(i - 1) : null;
            Viewed previous = i + 1 < newestFirst.size() ? newestFirst.get(i + 1) : null;
            OffsetDateTime end = next != null ? next.viewedAt() : lastSeen;
            Long spent = null;
            if (end != null && !end.isBefore(v.viewedAt()) && Duration.between(v.viewedAt(), end).compareTo(VISIT_GAP) <= 0) {
                spent = Duration.between(v.viewedAt(), end).toSeconds();
            }
            boolean entry = previous == null ? complete
                    : Duration.between(previous.viewedAt(), v.viewedAt()).compareTo(VISIT_GAP) > 0;
            out.add(new Page(v.url(), v.title(), v.referrer(), v.viewedAt(), spent, entry));
        }
        return out;
    }
}
