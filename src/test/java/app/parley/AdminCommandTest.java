package app.parley;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code java -jar parley.jar admin ...}, run in-process against a running Parley's database (issue #15 point 7). */
class AdminCommandTest {
    static TestParley app;
    static Map<String, String> env;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void start() {
        app = TestParley.start();
        String url = app.parley().database().jdbi().withHandle(h -> {
            try {
                return h.getConnection().getMetaData().getURL();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        env = Map.of("PARLEY_DATABASE_URL", url, "PARLEY_DATABASE_USER", "postgres", "PARLEY_CONFIG", "");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Run admin(String stdin, Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AdminCommand.run(args, environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run admin(String... args) {
        return admin("", env, args);
    }

    @Test
    void createsListsSuspendsAndDeletesAnAccountBesideARunningParley() throws Exception {
        Run created = admin("cli-password-1\n", env, "create-account", "--name", "CLI Shop", "--owner-email", "cli@instance.test",
                "--owner-name", "Cleo", "--owner-password-stdin");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created account").contains("cli@instance.test").doesNotContain("cli-password-1");
        long id = Long.parseLong(created.out().replaceAll("(?s).*Created account (\\d+).*", "$1"));

        // The running Parley signs the new owner in.
        TestParley.Api owner = app.login("cli@instance.test", "cli-password-1");
        assertThat(owner.expect(200, "GET", "/v2/conversations", null).path("items")).isEmpty();

        Run list = admin("accounts");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("CLI Shop").contains("cli@instance.test").contains("Test Shop").contains("active");

        Run suspended = admin("suspend", String.valueOf(id));
        assertThat(suspended.exit()).as(suspended.err()).isZero();
        assertThat(admin("accounts").out()).containsPattern("CLI Shop.*suspended");
        // The running node sees it on the next request: nothing of the CLI reached it but the database.
        assertThat(owner.send("GET", "/v2/conversations", null).path("error").path("code").asText()).isEqualTo("account_inactive");
        assertThat(admin("unsuspend", String.valueOf(id)).exit()).isZero();
        assertThat(owner.expect(200, "GET", "/v2/conversations", null).path("items")).isEmpty();

        Run refused = admin("delete", String.valueOf(id), "--confirm", "Wrong Shop");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("confirmation_mismatch");
        Run deleted = admin("delete", String.valueOf(id), "--confirm", "CLI Shop");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(admin("accounts").out()).doesNotContain("CLI Shop").contains("Test Shop");
        assertThat(app.owner().expect(200, "GET", "/v2/account", null).path("name").asText()).isEqualTo("Test Shop");
    }

    @Test
    void misuseExitsTwoAndRefusalsExitOne() {
        assertThat(admin().exit()).isEqualTo(2);
        assertThat(admin("frobnicate").exit()).isEqualTo(2);
        assertThat(admin("suspend").exit()).isEqualTo(2);
        assertThat(admin("suspend", "abc").exit()).isEqualTo(2);
        assertThat(admin("delete", "1").exit()).isEqualTo(2);
        Run argvPassword = admin("create-account", "--name", "X", "--owner-email", "x@instance.test", "--owner-name", "X",
                "--owner-password", "in-argv-password");
        assertThat(argvPassword.exit()).isEqualTo(2);
        assertThat(argvPassword.err()).contains("--owner-password-stdin");
        Run missing = admin("suspend", "999999");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("account_not_found");
        Run weak = admin("short\n", env, "create-account", "--name", "Weak", "--owner-email", "weak@instance.test",
                "--owner-name", "W", "--owner-password-stdin");
        assertThat(weak.exit()).isEqualTo(1);
        assertThat(weak.err()).contains("weak_password");
        Run taken = admin("long-enough-1\n", env, "create-account", "--name", "Taken", "--owner-email", TestParley.OWNER_EMAIL,
                "--owner-name", "T", "--owner-password-stdin");
        assertThat(taken.exit()).isEqualTo(1);
        assertThat(taken.err()).contains("email_taken");
        assertThat(admin("accounts").out()).doesNotContain("Weak").doesNotContain("Taken");
    }

    @Test
    void theEmbeddedDatabaseOfARunningParleyIsRefusedClearly() throws Exception {
        Path data = Files.createTempDirectory("parley-admin-cli");
        // Held as a running Parley holds it (same JVM: the lock overlaps, which Parley reads as "in use").
        try (FileChannel ch = FileChannel.open(data.resolve("parley.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            Map<String, String> embedded = new HashMap<>(Map.of("PARLEY_DATA_DIR", data.toString(), "PARLEY_CONFIG", ""));
            Run r = admin("", embedded, "accounts");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("in use").contains("/instance/accounts");
        }
    }

    @Test
    void withoutASecretTheAdminApiIsTurnedOff() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/instance/accounts"))
                .header("Authorization", "Bearer anything").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("instance_admin_disabled");
    }
}
