package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.parley.testing.ParleyProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL gives nobody on the machine a way in: a password only Parley's user can read, no
 * {@code trust} in pg_hba.conf, no socket in a shared directory. A data folder made by older Parleys (trust) is
 * locked down on its next start.
 */
class EmbeddedServerSecurityTest {
    /** Where the README says the password is. */
    static final String SECRET_FILE = "postgres-password";
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    @TempDir
    static Path root;
    static ParleyProcess parley;
    static Path data;

    @BeforeAll
    static void start() {
        data = root.resolve("data");
        parley = ParleyProcess.start(data, ParleyProcess.freePort());
    }

    @AfterAll
    static void stop() {
        parley.close();
    }

    @Test
    void thePasswordIsKeptInAnOwnerOnlyFileOfTheDataFolder() throws Exception {
        Path secret = data.resolve(SECRET_FILE);
        assertThat(secret).isRegularFile();
        assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(OWNER_ONLY_FILE);
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(OWNER_ONLY_DIR);
        assertThat(Files.readString(secret).strip()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void pgHbaTrustsNobody() throws Exception {
        assertThat(Files.readAllLines(data.resolve("postgres").resolve("pg_hba.conf")))
                .filteredOn(l -> !l.strip().startsWith("#") && !l.isBlank())
                .isNotEmpty()
                .noneMatch(l -> l.contains("trust"));
    }

    @Test
    void aConnectionWithoutThePasswordIsRefusedAndWithItAccepted() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + parley.postgresPort() + "/postgres";
        Properties noPassword = new Properties();
        noPassword.setProperty("user", "postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close()).isInstanceOf(SQLException.class);
        Properties wrong = new Properties();
        wrong.setProperty("user", "postgres");
        wrong.setProperty("password", "postgres");
        assertThatThrownBy(() -> DriverManager.getConnection(url, wrong).close()).isInstanceOf(SQLException.class);
        try (var c = DriverManager.getConnection(url, "postgres", Files.readString(data.resolve(SECRET_FILE)).strip())) {
            assertThat(c.isValid(2)).isTrue();
        }
    }

    @Test
    void noSocketIsLeftInASharedDirectory() {
        int port = parley.postgresPort();
        assertThat(Path.of("/tmp/.s.PGSQL." + port)).doesNotExist();
        assertThat(Path.of("/var/run/postgresql/.s.PGSQL." + port)).doesNotExist();
    }

    /** A data folder an older Parley made (zonky's initdb: trust for everyone) keeps its data and loses the trust. */
    @Test
    void aTrustingDataFolderOfAnOlderParleyIsLockedDownOnStart() throws Exception {
        Path old = root.resolve("old");
        Path pgData = old.resolve("postgres");
        Files.createDirectories(pgData);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(ParleyProcess.BINARIES.toFile()).start();
             var c = pg.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            // Out of Parley's schema, so only this test looks at it.
            s.execute("CREATE SCHEMA legacy");
            s.execute("CREATE TABLE legacy.kept (v text)");
            s.execute("INSERT INTO legacy.kept VALUES ('from before')");
        }
        try (ParleyProcess upgraded = ParleyProcess.start(old, ParleyProcess.freePort())) {
            assertThat(Files.readAllLines(pgData.resolve("pg_hba.conf")))
                    .filteredOn(l -> !l.strip().startsWith("#")).noneMatch(l -> l.contains("trust"));
            String url = "jdbc:postgresql://127.0.0.1:" + upgraded.postgresPort() + "/postgres";
            Properties noPassword = new Properties();
            noPassword.setProperty("user", "postgres");
            assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close()).isInstanceOf(SQLException.class);
            String secret = Files.readString(old.resolve(SECRET_FILE)).strip();
            try (var c = DriverManager.getConnection(url, "postgres", secret); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT v FROM legacy.kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from before");
            }
            upgraded.awaitHealth(200, Duration.ofSeconds(5));
        }
    }
}
