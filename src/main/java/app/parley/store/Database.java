package app.parley.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private final EmbeddedServer embedded;
    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(EmbeddedServer embedded, HikariDataSource pool) {
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

    /** Starts (or reuses) the PostgreSQL embedded in {@code dataDir} and opens a pool on it. */
    public static Database embedded(Path dataDir, Path postgresBinaries) {
        EmbeddedServer server = startEmbedded(dataDir, postgresBinaries);
        HikariConfig hc = poolConfig();
        hc.setDataSource(server.dataSource("postgres"));
        return connect(server, hc);
    }

    /** For tests and an external server: a pool on a database of an already running server. */
    public static Database connect(String url, String user, String password) {
        HikariConfig hc = poolConfig();
        hc.setJdbcUrl(url);
        if (user != null) hc.setUsername(user);
        if (password != null) hc.setPassword(password);
        return connect(null, hc);
    }

    private static HikariConfig poolConfig() {
        HikariConfig hc = new HikariConfig();
        hc.setMaximumPoolSize(12);
        hc.setPoolName("parley");
        // Hikari's default of 30 s kept every request waiting that long while the database was down: fail within a
        // few seconds with a retryable answer instead.
        hc.setConnectionTimeout(3_000);
        hc.setValidationTimeout(1_000);
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("ApplicationName", "parley");
        // PostgreSQL's error DETAIL quotes the values ("Key (email)=(ann@shop.test) already exists."): keep it out
        // of exceptions, and so out of the logs. The server's own log gets no statement or parameter of a failing
        // command either (see serverSettings; an external server's operator sets log_min_error_statement = panic).
        hc.addDataSourceProperty("logServerErrorDetail", "false");
        hc.addDataSourceProperty("options", "-c log_parameter_max_length_on_error=0");
        return hc;
    }

    private static Database connect(EmbeddedServer server, HikariConfig hc) {
        if (hc.getDataSource() instanceof org.postgresql.ds.PGSimpleDataSource ds) {
            // Hikari applies data source properties only to a data source it creates itself.
            ds.setReWriteBatchedInserts(true);
            ds.setApplicationName("parley");
            ds.setLogServerErrorDetail(false);
            ds.setOptions("-c log_parameter_max_length_on_error=0");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            if (server != null) server.close();
            throw e;
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            if (server != null) server.close();
            throw e;
        }
        return new Database(server, ds);
    }

    static EmbeddedServer startEmbedded(Path dataDir, Path binaries) {
        log.info("Starting embedded PostgreSQL in {}", dataDir.resolve("postgres"));
        return EmbeddedServer.start(dataDir, binaries, serverSettings());
    }

    /** The embedded server's settings, given on its command line (they win over postgresql.conf). */
    static Map<String, String> serverSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        // Parley's data must survive a crash (zonky, which Parley used to start it with, turned these off).
        settings.put("fsync", "on");
        settings.put("synchronous_commit", "on");
        settings.put("full_page_writes", "on");
        // The first change to a page after a checkpoint logs the whole page: compressed, those bursts
        // cost the commits right after a checkpoint less (bench/README.md).
        settings.put("wal_compression", "pglz");
        // Backends (autovacuum among them) hand what they write to the disk as they go: left to the
        // kernel, a vacuum's ~200 MB of dirty pages went out 30 s later in one burst, and every commit
        // waited ~100 ms behind it (bench/README.md).
        settings.put("backend_flush_after", "256kB");
        // PostgreSQL's default of 128 MB is filled within a minute of busy chat: the writer's backend
        // then evicts dirty pages itself and its commits wait behind their writeback (bench/README.md).
        settings.put("shared_buffers", sharedBuffersMb(physicalMemory()) + "MB");
        settings.put("max_connections", "100");
        // PostgreSQL's own log (errors, checkpoints, long autovacuums) in <data dir>/postgres/log, one
        // file per weekday, overwritten a week later.
        settings.put("logging_collector", "on");
        settings.put("log_filename", "postgresql-%a.log");
        settings.put("log_truncate_on_rotation", "on");
        settings.put("log_rotation_age", "1d");
        settings.put("log_rotation_size", "0");
        settings.put("listen_addresses", "localhost");
        settings.put("password_encryption", "scram-sha-256");
        // A failing statement is logged with its text and, on request, its parameters: what people typed.
        settings.put("log_min_error_statement", "panic");
        settings.put("log_parameter_max_length", "0");
        settings.put("log_parameter_max_length_on_error", "0");
        return settings;
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

    /**
     * Whether the database answers: the embedded server's process is up, or the external server gives a connection
     * within the pool's timeout.
     */
    public boolean available() {
        if (embedded != null) return embedded.ready();
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Whether a failure means the database could not be reached (down, restarting, connection lost) rather than
     * that a statement was wrong: the caller may simply try again in a moment.
     */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a failure is a unique index refusing a row that already exists (a race two writers lost). */
    public static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
        }
        return false;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) embedded.close();
    }
}
