package app.parley.db;

import app.parley.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parley's one PostgreSQL: embedded in the data folder by default, or any server named by configuration. */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        // Parley's SQL defines no <attributes>: rendering each statement through Jdbi's template engine would only
        // copy it (the journal's flushes are a few KiB, on every batch).
        jdbi.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
        // Jdbi writes a failing statement's bound arguments into its exception's message, and the 500 handler logs
        // that exception: bound values are what people typed, so the message names neither SQL nor arguments.
        jdbi.getConfig(org.jdbi.v3.core.statement.StatementExceptions.class)
                .setMessageRendering(org.jdbi.v3.core.statement.StatementExceptions.MessageRendering.NONE);
    }

    public static Database open(Config config) {
        if (config.embeddedDatabase()) {
            EmbeddedPostgres pg = startEmbedded(config.dataDir(), config.postgresBinaries());
            String url = pg.getJdbcUrl("postgres", "postgres");
            return connect(pg, url, "postgres", null);
        }
        return connect(null, config.databaseUrl(), config.databaseUser(), config.databasePassword());
    }

    /** For tests: a pool on a database of an already running server. */
    public static Database connect(String url, String user, String password) {
        return connect(null, url, user, password);
    }

    private static Database connect(EmbeddedPostgres pg, String url, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null) hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        hc.setMaximumPoolSize(12);
        hc.setPoolName("parley");
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("ApplicationName", "parley");
        // PostgreSQL's error DETAIL quotes the values ("Key (email)=(ann@shop.test) already exists."): keep it out
        // of exceptions, and so out of the logs. The server's own log gets no statement or parameter of a failing
        // command either (below; an external server's operator sets log_min_error_statement = panic there).
        hc.addDataSourceProperty("logServerErrorDetail", "false");
        hc.addDataSourceProperty("options", "-c log_parameter_max_length_on_error=0");
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            closeQuietly(pg);
            throw e;
        }
        return new Database(pg, ds);
    }

    static EmbeddedPostgres startEmbedded(Path dataDir, Path binaries) {
        try {
            Path pgData = dataDir.resolve("postgres");
            Files.createDirectories(pgData);
            log.info("Starting embedded PostgreSQL in {}", pgData);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    // zonky's defaults are for throwaway test databases: Parley's data must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // The first change to a page after a checkpoint logs the whole page: compressed, those bursts
                    // cost the commits right after a checkpoint less (bench/README.md).
                    .setServerConfig("wal_compression", "pglz")
                    // Backends (autovacuum among them) hand what they write to the disk as they go: left to the
                    // kernel, a vacuum's ~200 MB of dirty pages went out 30 s later in one burst, and every commit
                    // waited ~100 ms behind it (bench/README.md).
                    .setServerConfig("backend_flush_after", "256kB")
                    // PostgreSQL's default of 128 MB is filled within a minute of busy chat: the writer's backend
                    // then evicts dirty pages itself and its commits wait behind their writeback (bench/README.md).
                    .setServerConfig("shared_buffers", sharedBuffersMb(physicalMemory()) + "MB")
                    .setServerConfig("max_connections", "100")
                    // PostgreSQL's own log (errors, checkpoints, long autovacuums) in <data dir>/postgres/log, one
                    // file per weekday, overwritten a week later: zonky stops reading its output once it has started.
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_filename", "postgresql-%a.log")
                    .setServerConfig("log_truncate_on_rotation", "on")
                    .setServerConfig("log_rotation_age", "1d")
                    .setServerConfig("log_rotation_size", "0")
                    .setServerConfig("listen_addresses", "localhost")
                    // A failing statement is logged with its text and, on request, its parameters: what people typed.
                    .setServerConfig("log_min_error_statement", "panic")
                    .setServerConfig("log_parameter_max_length", "0")
                    .setServerConfig("log_parameter_max_length_on_error", "0")
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The embedded server's page cache: an eighth of the machine's memory (PostgreSQL's guide suggests a quarter for
     * a machine of its own; this one is shared with Parley's JVM), at least PostgreSQL's default of 128 MB and at
     * most 1 GB.
     */
    static long sharedBuffersMb(long physicalMemoryBytes) {
        return Math.clamp(physicalMemoryBytes / 8 / (1024 * 1024), 128, 1024);
    }

    /** The machine's memory, or the container's limit when it has one. */
    static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }

    public DataSource dataSource() {
        return pool;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        pool.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg == null) return;
        try {
            pg.close();
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
