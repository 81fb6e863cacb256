package app.parley.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Visit boundaries after 30 minutes without activity, and the time spent on each page. */
class PageHistoryTest {
    private static final OffsetDateTime T = OffsetDateTime.parse("2026-12-01T10:00:00Z");

    @Test
    void aPageMoreThanThirtyMinutesAfterTheLastStartsANewVisitWithItsOwnEntryPage() {
        List<PageHistory.Viewed> newestFirst = List.of(
                new PageHistory.Viewed("https://s.test/c", "C", null, T.plusMinutes(50)),
                new PageHistory.Viewed("https://s.test/b", "B", null, T.plusMinutes(2)),
                new PageHistory.Viewed("https://s.test/a", "A", "https://search.test/", T));
        List<PageHistory.Page> pages = PageHistory.of(newestFirst, T.plusMinutes(51), true);
        assertThat(pages).extracting(PageHistory.Page::url).containsExactly("https://s.test/c", "https://s.test/b", "https://s.test/a");
        assertThat(pages).extracting(PageHistory.Page::entry).containsExactly(true, false, true);
        // C until the last activity; B's end is unknown (the visitor left after it); A until B.
        assertThat(pages).extracting(PageHistory.Page::timeSpentSeconds).containsExactly(60L, null, 120L);
    }

    @Test
    void exactlyThirtyMinutesIsStillTheSameVisit() {
        List<PageHistory.Page> pages = PageHistory.of(List.of(
                new PageHistory.Viewed("https://s.test/b", "B", null, T.plusMinutes(30)),
                new PageHistory.Viewed("https://s.test/a", "A", null, T)), T.plusMinutes(30), true);
        assertThat(pages).extracting(PageHistory.Page::entry).containsExactly(false, true);
    }

    @Test
    void theOldestPageReadIsNoEntryWhenOlderPagesWereNotRead() {
        List<PageHistory.Page> pages = PageHistory.of(List.of(new PageHistory.Viewed("https://s.test/z", "Z", null, T)), T, false);
        assertThat(pages.getFirst().entry()).isFalse();
    }
}
