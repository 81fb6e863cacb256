package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Row counts of the tables a request could half-write, to prove that a refused request wrote nothing. */
final class RowCounts {
    private static final List<String> TABLES = List.of("messages", "conversations", "agents", "tags", "events",
            "groups", "group_members", "conversation_tags", "conversation_reads", "api_tokens", "contacts");

    private RowCounts() {}

    static Map<String, Long> of(TestParley app) {
        return app.parley().database().jdbi().withHandle(h -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String t : TABLES) out.put(t, h.createQuery("SELECT count(*) FROM " + t).mapTo(Long.class).one());
            return out;
        });
    }

    /** Runs {@code refused} (which asserts its own answer) and asserts that no table gained or lost a row. */
    static void unchangedBy(TestParley app, Runnable refused) {
        Map<String, Long> before = of(app);
        refused.run();
        assertThat(of(app)).as("row counts after a refused request").isEqualTo(before);
    }
}
