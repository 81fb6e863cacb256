package app.parley.store;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's own PostgreSQL in {@code <data>/postgres}, run from the unpacked binaries as a child process and watched:
 * when it dies, it is started again on the same data. Only Parley can get in: password authentication with a
 * secret kept in {@code <data>/postgres-password} (owner-only), TCP on localhost only, no Unix socket at all (a
 * socket in /tmp is open to every local user). A data folder of an older Parley (trust for everyone) is locked down
 * on its first start here.
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    public static final String SECRET_FILE = "postgres-password";
    static final String USER = "postgres";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final String HBA = """
            # Written by Parley on every start: password (SCRAM) over TCP on localhost only, no Unix socket.
            host    all    all    127.0.0.1/32    scram-sha-256
            host    all    all    ::1/128         scram-sha-256
            """;

    private final Path pgData;
    private final Path bin;
    private final String password;
    private final Map<String, String> settings;
    private final DataFolderLock lock;
    private volatile Process postmaster;
    private volatile int port;
    private volatile boolean ready;
    private volatile boolean closing;
    private Thread supervisor;

    private EmbeddedServer(Path pgData, Path bin, String password, Map<String, String> settings, DataFolderLock lock) {
        this.pgData = pgData;
        this.bin = bin;
        this.password = password;
        this.settings = settings;
        this.lock = lock;
    }

    /**
     * Takes the data folder (refused while another Parley holds it), stops a PostgreSQL an earlier Parley of this
     * folder left behind, creates or locks down the cluster, starts it and watches it.
     */
    public static EmbeddedServer start(Path dataDir, Path binaries, Map<String, String> settings) {
        DataFolderLock lock = DataFolderLock.acquire(dataDir);
        try {
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            Path pgData = dataDir.resolve("postgres");
            Path bin = PostgresBinaries.unpacked(binaries).resolve("bin");
            Path secretFile = dataDir.resolve(SECRET_FILE);
            boolean newSecret = !Files.exists(secretFile);
            String password = secret(secretFile);
            EmbeddedServer server = new EmbeddedServer(pgData, bin, password, settings, lock);
            server.stopOrphan();
            if (!Files.exists(pgData.resolve("PG_VERSION"))) {
                server.initdb(secretFile);
            } else if (newSecret || server.hbaTrustsSomeone()) {
                log.info("Locking down the embedded PostgreSQL of an older Parley: password authentication from now on");
                server.setPassword();
            }
            Files.writeString(pgData.resolve("pg_hba.conf"), HBA);
            server.launch(freePort());
            server.supervise();
            return server;
        } catch (IOException e) {
            lock.close();
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** A data source for one of the server's databases that follows the server if a restart moves its port. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource() {
            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                setPortNumbers(new int[] {port});
                return super.getConnection(user, password);
            }
        };
        ds.setServerNames(new String[] {"localhost"});
        ds.setDatabaseName(database);
        ds.setUser(USER);
        ds.setPassword(password);
        return ds;
    }

    /** Whether the server is up: false from the moment its process ends until a restart is ready. */
    public boolean ready() {
        return ready;
    }

    public int port() {
        return port;
    }

    /** The secret in the file, or a new one written there readable by Parley's user only. */
    private static String secret(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
            } catch (FileAlreadyExistsException raced) {
                // read below
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        String secret = Files.readString(file).strip();
        if (!secret.matches("[0-9a-f]{32,}")) throw new IllegalStateException(file + " does not hold Parley's database password");
        return secret;
    }

    private boolean hbaTrustsSomeone() throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        return !Files.exists(hba) || Files.readAllLines(hba).stream()
                .map(String::strip).anyMatch(l -> !l.startsWith("#") && l.contains("trust"));
    }

    private void initdb(Path secretFile) throws IOException {
        log.info("Creating the embedded PostgreSQL in {}", pgData);
        Files.createDirectories(pgData);
        run(List.of(bin.resolve("initdb").toString(), "-D", pgData.toString(), "-U", USER, "-E", "UTF-8",
                "--auth=scram-sha-256", "--pwfile=" + secretFile), null);
    }

    /** Single-user mode: no server, no network, so nobody can connect while the role has no password yet. */
    private void setPassword() throws IOException {
        // The secret is hex (checked when read): nothing in it can end the SQL string.
        run(List.of(bin.resolve("postgres").toString(), "--single", "-D", pgData.toString(), "-c", "password_encryption=scram-sha-256", "postgres"),
                "ALTER ROLE " + USER + " PASSWORD '" + password + "';\n");
    }

    /**
     * PostgreSQL's programs refuse to run as root; as root (containers) they run in a user namespace of their own,
     * where they are not root, as zonky does it.
     */
    private static List<String> command(List<String> program) {
        if (!LinuxUtils.isUnshareAvailable()) return program;
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-U"));
        wrapped.addAll(program);
        return wrapped;
    }

    private void run(List<String> program, String input) throws IOException {
        List<String> command = command(program);
        Path output = Files.createTempFile(pgData.getParent(), "pg-tool-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (input != null) in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(Path.of(program.getFirst()).getFileName() + " did not finish in 2 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(Path.of(program.getFirst()).getFileName() + " failed (" + p.exitValue() + "): "
                        + Files.readString(output).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + program.getFirst(), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * A postmaster an earlier Parley of this data folder left running (its JVM was killed) holds the folder and
     * would make this start fail: it is stopped. Only a postgres process whose command line names this very data
     * folder is ours; we hold the folder's lock, so no running Parley owns it. A lock file whose process is gone or
     * is something else is stale and PostgreSQL's own checks deal with it, except a reused pid, removed here.
     */
    private void stopOrphan() throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) return;
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().strip());
        } catch (NumberFormatException e) {
            return;
        }
        var process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) return;
        if (!isPostmasterOf(process.get())) {
            log.warn("{} names process {}, which is not this folder's PostgreSQL: removing the stale lock file", pidFile, pid);
            Files.deleteIfExists(pidFile);
            return;
        }
        log.warn("Stopping the embedded PostgreSQL (pid {}) that a previous run of Parley left behind", pid);
        run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t", "60"), null);
        process.get().onExit().orTimeout(60, TimeUnit.SECONDS).join();
    }

    private boolean isPostmasterOf(ProcessHandle p) {
        var info = p.info();
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false);
        List<String> args = info.arguments().map(List::of).orElse(List.of());
        int d = args.indexOf("-D");
        if (!postgres || d < 0 || d + 1 >= args.size()) return false;
        try {
            return Path.of(args.get(d + 1)).toRealPath().equals(pgData.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts the postmaster and waits until it takes connections; a port taken meanwhile gets another try. */
    private void launch(int firstPort) throws IOException {
        int tryPort = firstPort;
        for (int attempt = 1; ; attempt++) {
            List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", pgData.toString(),
                    "-p", String.valueOf(tryPort), "-c", "unix_socket_directories="));
            settings.forEach((k, v) -> command.addAll(List.of("-c", k + "=" + v)));
            Path log = pgData.resolve("log");
            Files.createDirectories(log);
            // Before its logging collector takes over, PostgreSQL writes to stderr: startup failures land here.
            Process p = new ProcessBuilder(command(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolve("startup.log").toFile())).start();
            port = tryPort;
            if (awaitReady(p)) {
                postmaster = p;
                ready = true;
                return;
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                throw new IllegalStateException("The embedded PostgreSQL did not start within " + STARTUP.toSeconds() + " s; see " + log);
            }
            if (attempt == 3) throw new IllegalStateException("The embedded PostgreSQL failed to start; see " + log.resolve("startup.log"));
            tryPort = freePort();
        }
    }

    private boolean awaitReady(Process p) {
        DataSource ds = dataSource("postgres");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Connection c = ds.getConnection()) {
                return true;
            } catch (SQLException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Waits for the postmaster to end; unless Parley is stopping, starts it again on the same data. */
    private void supervise() {
        supervisor = Thread.ofPlatform().daemon().name("parley-postgres-supervisor").start(() -> {
            while (!closing) {
                Process p = postmaster;
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    return;
                }
                ready = false;
                if (closing) return;
                log.error("The embedded PostgreSQL stopped (exit code {}); starting it again", p.exitValue());
                restart();
            }
        });
    }

    private void restart() {
        long backoff = 200;
        while (!closing) {
            try {
                // Its backends notice the postmaster's death and exit; until they have, a new one cannot start.
                launch(port);
                log.info("The embedded PostgreSQL is running again");
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("Starting the embedded PostgreSQL again failed: {}", e.getMessage());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 5_000);
        }
    }

    @Override
    public void close() {
        closing = true;
        ready = false;
        if (supervisor != null) supervisor.interrupt();
        Process p = postmaster;
        try {
            if (p != null && p.isAlive()) {
                run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", pgData.toString(), "-m", "fast", "-w", "-t", "60"), null);
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            if (p != null) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.close();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
