package app.parley.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference for "stored durably": how many single-row INSERT commits per second the server's own embedded
 * PostgreSQL takes (autocommit, fsync on), from one connection and from eight, measured in the same run.
 */
final class PgReference {
    record Result(double oneConnection, double eightConnections, String settings) {}

    private final String url;
    private final String password;

    PgReference(int port, String password) {
        this.url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?ApplicationName=parley-bench";
        this.password = password;
    }

    Result run(int warmupSeconds, int seconds) throws Exception {
        String settings;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            settings = show(s, "fsync") + ", synchronous_commit=" + show(s, "synchronous_commit").split("=")[1]
                    + ", full_page_writes=" + show(s, "full_page_writes").split("=")[1]
                    + ", wal_sync_method=" + show(s, "wal_sync_method").split("=")[1];
            s.execute("DROP TABLE IF EXISTS bench_ref");
            s.execute("CREATE TABLE bench_ref (id bigserial, body text)");
        }
        try {
            double one = rate(1, warmupSeconds, seconds);
            double eight = rate(8, warmupSeconds, seconds);
            return new Result(one, eight, settings);
        } finally {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_ref");
            }
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, "postgres", password);
        c.setAutoCommit(true);
        return c;
    }

    private static String show(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return name + "=" + rs.getString(1);
        }
    }

    /** Commits per second over {@code seconds}, after {@code warmup}, from {@code connections} threads. */
    private double rate(int connections, int warmup, int seconds) throws Exception {
        long start = System.nanoTime();
        long windowStart = start + warmup * 1_000_000_000L;
        long windowEnd = windowStart + seconds * 1_000_000_000L;
        AtomicLong inWindow = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        String body = "x".repeat(60);
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofPlatform().name("pg-ref-" + i).start(() -> {
                try (Connection c = connect();
                     PreparedStatement ps = c.prepareStatement("INSERT INTO bench_ref (body) VALUES (?)")) {
                    ps.setString(1, body);
                    long n = 0;
                    for (long now = System.nanoTime(); now < windowEnd && n < 10_000_000; now = System.nanoTime()) {
                        ps.executeUpdate();
                        n++;
                        long done = System.nanoTime();
                        if (done >= windowStart && done < windowEnd) inWindow.incrementAndGet();
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join(60_000L + (warmup + seconds) * 1000L);
        if (!failures.isEmpty()) throw failures.get(0);
        return inWindow.get() / (double) seconds;
    }
}
