package app.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #9, point 8, with an external database: Parley does not own the server, so it cannot restart it; while the
 * database refuses it, /health says so, sends fail fast with the retryable code the chat box resends on, and once
 * the database takes connections again Parley carries on by itself. The test JVM's PostgreSQL plays the external
 * server: its database stops accepting connections and Parley's sessions are ended, as a restart of the server would.
 */
class ExternalDatabaseOutageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void whileTheDatabaseRefusesParleyHealthSaysSoSendsFailFastAndItCarriesOnWhenItIsBack() throws Exception {
        try (TestParley app = TestParley.start()) {
            String db = app.databaseName();
            TestParley.Api owner = app.owner();
            try (TestSocket visitor = TestSocket.visitor(app, null, null)) {
                visitor.await("welcome");
                visitor.send(Map.of("type", "message", "client_id", "before", "text", "Before the outage"));
                assertThat(visitor.await(f -> f.path("client_id").asText().equals("before")).path("type").asText()).isEqualTo("ack");

                admin("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false",
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()");
                try {
                    awaitHealth(app, 503, Duration.ofSeconds(30));
                    visitor.send(Map.of("type", "message", "client_id", "during", "text", "During the outage"));
                    JsonNode refused = visitor.await(f -> f.path("client_id").asText().equals("during"), Duration.ofSeconds(30));
                    assertThat(refused.path("type").asText()).isEqualTo("error");
                    assertThat(refused.path("code").asText()).isEqualTo("unavailable");
                } finally {
                    admin("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
                }
                awaitHealth(app, 200, Duration.ofSeconds(30));

                // The chat box resends with the same client id; it is stored once.
                visitor.send(Map.of("type", "message", "client_id", "during", "text", "During the outage"));
                assertThat(visitor.await(f -> f.path("client_id").asText().equals("during")
                        && f.path("type").asText().equals("ack"), Duration.ofSeconds(30))).isNotNull();
            }
            JsonNode conversations = owner.expect(200, "GET", "/v2/conversations?tab=all", null);
            long id = conversations.get("items").get(0).get("id").asLong();
            JsonNode messages = owner.expect(200, "GET", "/v2/conversations/" + id + "/messages", null);
            assertThat(messages.get("items").findValuesAsText("text"))
                    .containsExactly("Before the outage", "During the outage");
        }
    }

    private static void admin(String... statements) throws Exception {
        try (Connection c = TestParley.serverAdmin(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    private static void awaitHealth(TestParley app, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            last = r.statusCode();
            if (last == status) return;
            Thread.onSpinWait();
        }
        throw new AssertionError("/health answered " + last + ", not " + status + ", for " + within);
    }
}
