package app.parley.ops;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.store.Jobs;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue #15, point 8: GET /metrics with PARLEY_METRICS_TOKEN set, in Prometheus text, counts what the node did;
 * POST /ops/drain makes /health/ready say no while /health/live still says yes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsTest {
    private static final String TOKEN = "metrics-token-0123456789abcdef";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
    private static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start(Map.of("PARLEY_METRICS_TOKEN", TOKEN, "PARLEY_DRAIN_SECONDS", "0"));
        // Before the first scrape reads the jobs: one due job of a kind this node does not run, one dead one.
        app.parley().database().jdbi().useHandle(h -> {
            Jobs.enqueue(h, "ops.test", null, "{}", Instant.now().minusSeconds(1));
            long dead = Jobs.enqueue(h, "ops.test", null, "{}", Instant.now().plusSeconds(3600));
            h.execute("UPDATE jobs SET state = 'dead' WHERE id = ?", dead);
        });
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    @Order(1)
    void metricsNeedTheBearerToken() throws Exception {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer wrong-token-0123456789"),
                Map.of("Authorization", TOKEN))) {
            HttpResponse<String> r = Scrape.get(app.baseUrl() + "/metrics", headers);
            assertThat(r.statusCode()).isEqualTo(401);
            JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("unauthenticated");
            assertThat(error.path("message").asText()).isNotBlank();
        }
        HttpResponse<String> ok = Scrape.get(app.baseUrl() + "/metrics", AUTH);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(ok.body()).doesNotContain(TOKEN);
    }

    @Test
    @Order(2)
    void metricsCountMessagesSocketsBatchesLagJobsResponsesAndTheJvm() throws Exception {
        TestParley.Api owner = app.owner();
        long storedBefore = messagesInDatabase();
        double countedBefore = scrape().value("parley_messages_stored_total").orElse(0);
        try (TestSocket agent = TestSocket.agent(app, owner, null); TestSocket visitor = TestSocket.visitor(app, null, null)) {
            visitor.await("welcome");
            for (String id : List.of("m1", "m2", "m3")) {
                visitor.send(Map.of("type", "message", "client_id", id, "text", "Where is my order " + id + "?"));
                visitor.await(f -> f.path("client_id").asText().equals(id) && f.path("type").asText().equals("ack"));
            }
            Scrape s = awaitScrape(x -> x.value("parley_sockets_open", "kind=\"agent\"").orElse(0) == 1
                    && x.value("parley_sockets_open", "kind=\"visitor\"").orElse(0) == 1);
            assertThat(s.value("parley_sockets_open", "kind=\"agent\"")).hasValue(1);
            assertThat(s.value("parley_sockets_open", "kind=\"visitor\"")).hasValue(1);
        }
        long id = owner.get("/v2/conversations?tab=all").get("items").get(0).get("id").asLong();
        owner.get("/v2/conversations/" + id + "/messages");
        Scrape.get(app.baseUrl() + "/no/such/page/12345", Map.of());
        assertThat(Scrape.get(app.baseUrl() + "/chat.js", Map.of()).statusCode()).isEqualTo(200);

        // Exactly the messages the database gained, whoever wrote them (the visitor's and any automatic ones).
        Scrape s = awaitScrape(x -> x.value("parley_messages_stored_total").orElse(0) - countedBefore
                == messagesInDatabase() - storedBefore);
        assertThat(s.value("parley_messages_stored_total").orElse(0) - countedBefore)
                .isEqualTo((double) (messagesInDatabase() - storedBefore)).isGreaterThanOrEqualTo(3);

        assertThat(s.value("parley_journal_batch_commands_count").orElse(0)).isGreaterThanOrEqualTo(3);
        assertThat(s.value("parley_journal_batch_commands_sum").orElse(0)).isGreaterThanOrEqualTo(3);
        for (String timer : List.of("parley_journal_batch_wait_seconds", "parley_journal_batch_execute_seconds",
                "parley_journal_batch_commit_seconds")) {
            assertThat(s.value(timer + "_count").orElse(0)).as(timer).isGreaterThanOrEqualTo(3);
            assertThat(s.series(timer + "_bucket")).as(timer + " histogram").isNotEmpty();
        }

        List<String> consumers = app.parley().database().jdbi().withHandle(h ->
                h.createQuery("SELECT name FROM event_consumers").mapTo(String.class).list());
        assertThat(consumers).contains("webhooks", "search");
        for (String consumer : consumers) {
            assertThat(s.value("parley_consumer_lag_events", "consumer=\"" + consumer + "\"")).as(consumer).isPresent();
        }

        assertThat(s.value("parley_jobs_queued", "kind=\"ops.test\"")).hasValue(1);
        assertThat(s.value("parley_jobs_due", "kind=\"ops.test\"")).hasValue(1);
        assertThat(s.value("parley_jobs_failed", "kind=\"ops.test\"")).hasValue(1);

        // Route templates, never raw paths: the number of series is the number of routes.
        assertThat(s.value("parley_http_requests_seconds_count", "method=\"GET\"",
                "route=\"/v2/conversations/{conversation_id}/messages\"", "status=\"2xx\"").orElse(0)).isGreaterThanOrEqualTo(1);
        assertThat(s.value("parley_http_requests_seconds_count", "route=\"unmatched\"", "status=\"4xx\"").orElse(0))
                .isGreaterThanOrEqualTo(1);
        assertThat(s.value("parley_http_requests_seconds_count", "route=\"/metrics\"", "status=\"4xx\"").orElse(0))
                .isGreaterThanOrEqualTo(1);
        assertThat(s.value("parley_http_requests_seconds_count", "route=\"other\"", "status=\"2xx\"").orElse(0))
                .as("static files").isGreaterThanOrEqualTo(1);
        assertThat(s.text()).doesNotContain("/v2/conversations/" + id).doesNotContain("12345");

        for (String jvm : List.of("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds")) {
            assertThat(s.series(jvm)).as(jvm).isNotEmpty();
        }
    }

    @Test
    @Order(3)
    void drainingOnDemandTurnsReadinessOffButNotLiveness() throws Exception {
        assertThat(Scrape.get(app.baseUrl() + "/health/ready", Map.of()).statusCode()).isEqualTo(200);
        assertThat(Scrape.send("POST", app.baseUrl() + "/ops/drain", Map.of(), "{\"draining\":true}").statusCode()).isEqualTo(401);
        assertThat(Scrape.get(app.baseUrl() + "/health/ready", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> unsure = Scrape.send("POST", app.baseUrl() + "/ops/drain", AUTH, "{}");
        assertThat(unsure.statusCode()).isEqualTo(422);
        assertThat(unsure.body()).contains("validation_failed");

        HttpResponse<String> drained = Scrape.send("POST", app.baseUrl() + "/ops/drain", AUTH, "{\"draining\":true}");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).isEqualTo("{\"draining\":true}");

        HttpResponse<String> ready = Scrape.get(app.baseUrl() + "/health/ready", Map.of());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Retry-After")).hasValue("2");
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ready.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("draining");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(Scrape.get(app.baseUrl() + "/health/live", Map.of()).statusCode()).isEqualTo(200);
        // Still served while draining: a load balancer moves traffic away, nothing is refused.
        assertThat(Scrape.get(app.baseUrl() + "/widget/config?key=" + app.accountKey(), Map.of()).statusCode()).isEqualTo(200);

        // An operator who drained the wrong node takes it back.
        assertThat(Scrape.send("POST", app.baseUrl() + "/ops/drain", AUTH, "{\"draining\":false}").statusCode()).isEqualTo(200);
        assertThat(Scrape.get(app.baseUrl() + "/health/ready", Map.of()).statusCode()).isEqualTo(200);
    }

    private static long messagesInDatabase() {
        return app.parley().database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM messages").mapTo(Long.class).one());
    }

    private static Scrape scrape() throws Exception {
        HttpResponse<String> r = Scrape.get(app.baseUrl() + "/metrics", AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        return new Scrape(r.body());
    }

    private static Scrape awaitScrape(java.util.function.Predicate<Scrape> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Scrape s = scrape();
        while (!until.test(s) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            s = scrape();
        }
        return s;
    }
}
