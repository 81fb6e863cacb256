package app.parley.ops;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #15, point 8, without PARLEY_METRICS_TOKEN: /metrics and /ops/drain only for this machine, unproxied;
 * readiness off while the database refuses connections (liveness stays on), and a stop drains first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProbesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestParley app;
    private static boolean stopped;

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_DRAIN_SECONDS", "2"));
    }

    @AfterAll
    static void stop() {
        if (!stopped) app.close();
    }

    @Test
    @Order(1)
    void withoutATokenMetricsAreForThisMachineOnlyAndNeverThroughAProxy() throws Exception {
        HttpResponse<String> local = Scrape.get(app.baseUrl() + "/metrics", Map.of());
        assertThat(local.statusCode()).isEqualTo(200);
        assertThat(local.body()).contains("parley_messages_stored_total");

        for (String header : new String[] {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
            HttpResponse<String> proxied = Scrape.get(app.baseUrl() + "/metrics", Map.of(header, "203.0.113.9"));
            assertThat(proxied.statusCode()).as(header).isEqualTo(403);
            assertThat(JSON.readTree(proxied.body()).path("error").path("code").asText()).isEqualTo("metrics_not_public");
            assertThat(Scrape.send("POST", app.baseUrl() + "/ops/drain", Map.of(header, "203.0.113.9"), "{\"draining\":true}").statusCode()).isEqualTo(403);
        }
        assertThat(Scrape.get(app.baseUrl() + "/health/ready", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void whileTheDatabaseRefusesConnectionsTheNodeIsLiveButNotReady() throws Exception {
        String db = app.databaseName();
        admin("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()");
        try {
            HttpResponse<String> ready = awaitStatus("/health/ready", 503, Duration.ofSeconds(30));
            assertThat(ready.headers().firstValue("Retry-After")).isPresent();
            JsonNode error = JSON.readTree(ready.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("unavailable");
            assertThat(error.path("message").asText()).contains("database");
            assertThat(Scrape.get(app.baseUrl() + "/health/live", Map.of()).statusCode()).isEqualTo(200);
            // A scrape while the database is away still answers, with the last consumer lag it read.
            assertThat(Scrape.get(app.baseUrl() + "/metrics", Map.of()).statusCode()).isEqualTo(200);
        } finally {
            admin("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
        }
        awaitStatus("/health/ready", 200, Duration.ofSeconds(30));
    }

    @Test
    @Order(3)
    void aStopSaysNotReadyFirstForTheDrainTimeThenStops() throws Exception {
        // What the SIGTERM hook runs: readiness goes off at once and requests are still served meanwhile.
        String base = app.baseUrl();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(app.parley()::drainAndClose);
        stopped = true;
        HttpResponse<String> ready = awaitStatus("/health/ready", 503, Duration.ofSeconds(2));
        assertThat(JSON.readTree(ready.body()).path("error").path("code").asText()).isEqualTo("draining");
        assertThat(Scrape.get(app.baseUrl() + "/health/live", Map.of()).statusCode()).isEqualTo(200);
        stopping.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stopping).isDone();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scrape.get(base + "/health/live", Map.of()))
                .isInstanceOf(java.io.IOException.class);
    }

    private static HttpResponse<String> awaitStatus(String path, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last;
        do {
            last = Scrape.get(app.baseUrl() + path, Map.of());
            if (last.statusCode() == status) return last;
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " answered " + last.statusCode() + ", not " + status + ", for " + within);
    }

    private static void admin(String... statements) throws Exception {
        try (Connection c = TestParley.serverAdmin(); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }
}
