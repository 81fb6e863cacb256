package app.parley.recording;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps recording_chunks in daily partitions (UTC) made a few days ahead, and forgets recordings past their
 * account's retention: a day older than the longest retention any account has is dropped whole (no row-by-row
 * delete, no vacuum debt); a shorter per-account retention is one bulk delete per run. Partitions are made at start;
 * the whole run is hourly, never on the request path.
 */
public final class RecordingRetention {
    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);
    static final int DAYS_AHEAD = 3;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern PARTITION = Pattern.compile("recording_chunks_(\\d{8})");

    /** What one run did. */
    public record Run(int created, List<String> dropped, int recordingsDeleted, int chunksDeleted) {}

    private final Jdbi jdbi;

    public RecordingRetention(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Makes the partitions from yesterday to {@link #DAYS_AHEAD} days ahead; at start, before any chunk can come. */
    public int ensurePartitions(LocalDate today) {
        int created = 0;
        for (int d = -1; d <= DAYS_AHEAD; d++) created += ensurePartition(today.plusDays(d)) ? 1 : 0;
        return created;
    }

    public Run run(LocalDate today) {
        int created = ensurePartitions(today);
        // A partition can go whole once its day is past the longest retention any account has chosen now.
        int longest = jdbi.withHandle(h -> h.createQuery("""
                        SELECT coalesce(max(coalesce(s.retention_days, :d)), :d) FROM accounts a
                        LEFT JOIN recording_settings s ON s.account_id = a.id""")
                .bind("d", RecordingOptions.DEFAULT_RETENTION_DAYS).mapTo(Integer.class).one());
        LocalDate keepFrom = today.minusDays(longest + 1L);
        List<String> dropped = jdbi.withHandle(h -> {
            List<String> names = h.createQuery("""
                            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                            JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'recording_chunks'""")
                    .mapTo(String.class).list();
            return names.stream().filter(n -> {
                Matcher m = PARTITION.matcher(n);
                return m.matches() && LocalDate.parse(m.group(1), DAY).isBefore(keepFrom);
            }).sorted().toList();
        });
        for (String name : dropped) {
            // Detached without the parent's exclusive lock first, so chunks keep coming in while a day goes.
            jdbi.useHandle(h -> h.execute("ALTER TABLE recording_chunks DETACH PARTITION " + name + " CONCURRENTLY"));
            jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + name));
        }
        int[] deleted = jdbi.inTransaction(h -> {
            int recordings = h.createUpdate("""
                            DELETE FROM recordings r USING accounts a
                            LEFT JOIN recording_settings s ON s.account_id = a.id
                            WHERE r.account_id = a.id
                              AND r.last_chunk_at < now() - make_interval(days => coalesce(s.retention_days, :d))""")
                    .bind("d", RecordingOptions.DEFAULT_RETENTION_DAYS).execute();
            // Chunks of forgotten recordings (within partitions still kept), in one statement.
            int chunks = h.createUpdate("""
                            DELETE FROM recording_chunks c
                            WHERE c.received_at < now() - make_interval(days => 1)
                              AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.id = c.recording_id)""").execute();
            return new int[] {recordings, chunks};
        });
        Run run = new Run(created, dropped, deleted[0], deleted[1]);
        if (!dropped.isEmpty() || deleted[0] > 0) {
            log.info("Recordings: dropped partitions {}, forgot {} recordings ({} chunks)", dropped, deleted[0], deleted[1]);
        }
        return run;
    }

    public Run run() {
        return run(LocalDate.now(ZoneOffset.UTC));
    }

    /** Creates the day's partition unless it exists; true when it was made now. */
    boolean ensurePartition(LocalDate day) {
        String name = "recording_chunks_" + DAY.format(day);
        return jdbi.withHandle(h -> {
            boolean exists = h.createQuery("SELECT to_regclass(:n) IS NOT NULL").bind("n", name).mapTo(Boolean.class).one();
            if (exists) return false;
            // Names and bounds come from a LocalDate, never from input.
            h.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF recording_chunks FOR VALUES FROM ('"
                    + day + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')");
            return true;
        });
    }

    /** Names of the partitions that exist now, oldest first (for tests and operators). */
    public List<String> partitions() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'recording_chunks' ORDER BY 1""")
                .mapTo(String.class).list());
    }
}
