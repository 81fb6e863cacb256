package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL Parley starts by default: durable, and set up for a chat server's steady writes. */
class EmbeddedPostgresTest {
    static final long MB = 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void theEmbeddedServerIsDurableAndSizedForTheMachine() throws Exception {
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "parley-test-pg-binaries");
        try (EmbeddedServer pg = Database.startEmbedded(data, binaries);
             Connection c = pg.dataSource("postgres").getConnection();
             Statement st = c.createStatement()) {
            Map<String, String> settings = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("""
                    SELECT name, current_setting(name) FROM pg_settings
                    WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_compression',
                                   'backend_flush_after', 'logging_collector', 'listen_addresses')""")) {
                while (rs.next()) settings.put(rs.getString(1), rs.getString(2));
            }
            assertThat(settings).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "fsync", "on", "synchronous_commit", "on", "full_page_writes", "on", "wal_compression", "pglz",
                    "backend_flush_after", "256kB", "logging_collector", "on", "listen_addresses", "localhost"));
            try (ResultSet rs = st.executeQuery("SELECT pg_size_bytes(current_setting('shared_buffers'))")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(Database.sharedBuffersMb(Database.physicalMemory()) * MB);
            }
            assertThat(data.resolve("postgres").resolve("log")).as("PostgreSQL's own log is kept in the data folder").isDirectory();
        }
    }

    @Test
    void theCacheIsAnEighthOfTheMemoryBetween128MbAnd1Gb() {
        assertThat(Database.sharedBuffersMb(512 * MB)).isEqualTo(128);
        assertThat(Database.sharedBuffersMb(2048 * MB)).isEqualTo(256);
        assertThat(Database.sharedBuffersMb(4096 * MB)).isEqualTo(512);
        assertThat(Database.sharedBuffersMb(8192 * MB)).isEqualTo(1024);
        assertThat(Database.sharedBuffersMb(24 * 1024 * MB)).isEqualTo(1024);
    }
}
