package app.parley.ui.dashboard;

import app.parley.testing.TestParley;
import app.parley.ui.Browsers;
import com.microsoft.playwright.Locator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Thousands of open conversations: cursor pages on scroll, and only the rows in view are in the DOM. */
class DashboardScaleTest {
    private static final int CONVERSATIONS = 5_000;
    private static TestParley parley;

    @BeforeAll
    static void start() {
        parley = TestParley.start();
        // Seeded straight into the tables (the browser, not the write path, is under test here).
        parley.parley().database().jdbi().useTransaction(h -> {
            long account = h.createQuery("SELECT id FROM accounts ORDER BY id LIMIT 1").mapTo(Long.class).one();
            h.createUpdate("""
                            INSERT INTO visitors (account_id, visitor_key, name)
                            SELECT :a, 'bulk-' || g, 'Customer ' || g FROM generate_series(1, :n) g""")
                    .bind("a", account).bind("n", CONVERSATIONS).execute();
            h.createUpdate("""
                            INSERT INTO conversations (account_id, visitor_id, status, contact_message_count,
                                                       last_message_text, last_message_sub_type, last_message_at)
                            SELECT :a, v.id, 'open', 1, 'Question number ' || substr(v.visitor_key, 6), 'contact',
                                   now() - substr(v.visitor_key, 6)::int * interval '1 second'
                            FROM visitors v WHERE v.account_id = :a AND v.visitor_key LIKE 'bulk-%'""")
                    .bind("a", account).execute();
        });
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void fiveThousandOpenConversationsPageInOnScrollWithABoundedDom() {
        try (var s = DashboardSession.owner(parley)) {
            s.go("#/conversations/all");
            assertThat(s.tabCount("all")).hasText(String.valueOf(CONVERSATIONS));
            Locator rows = s.page.locator(".conv-row");
            assertThat(rows.first().locator(".row-name")).hasText("Customer 1");
            assertThat(rows.count()).isLessThan(40);

            Locator list = s.page.locator(".list-scroll");
            long started = System.nanoTime();
            int scrolls = 0;
            while (s.page.getByText("Customer " + CONVERSATIONS, new com.microsoft.playwright.Page.GetByTextOptions().setExact(true)).count() == 0) {
                list.evaluate("e => e.scrollTop = e.scrollHeight");
                s.page.waitForTimeout(80);
                assertThat(rows.count()).as("rows in the DOM while scrolling").isLessThan(40);
                assertThat(++scrolls).as("scrolls to reach the last conversation").isLessThan(600);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("Scrolled through %d conversations in %d ms (%d scrolls)%n", CONVERSATIONS, millis, scrolls);
            Object height = list.evaluate("e => e.scrollHeight");
            assertThat(((Number) height).intValue()).isGreaterThanOrEqualTo(CONVERSATIONS * 80);
            Browsers.screenshot(s.page, "dashboard-5000-conversations");

            // Opening one far down the list works like any other.
            rows.last().locator(".row-link").click();
            assertThat(s.threadHeader()).isVisible();
            assertThat(s.errors).isEmpty();
        }
    }
}
