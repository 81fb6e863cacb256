package app.parley.ops;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.ParleyProcess;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue #15, point 8: SIGTERM, as an operator or an orchestrator stops Parley, turns readiness off first while the
 * node still serves, for PARLEY_DRAIN_SECONDS, and then stops in order.
 */
class SigtermDrainTest {
    @Test
    void sigtermDrainsBeforeStopping() throws Exception {
        Path data = Files.createTempDirectory("parley-drain");
        ParleyProcess parley = ParleyProcess.launch(data.resolve("data"), ParleyProcess.freePort(), Map.of("PARLEY_DRAIN_SECONDS", "3"));
        String base = parley.baseUrl();
        try {
            parley.awaitHealth(200, Duration.ofSeconds(120));
            assertThat(Scrape.get(base + "/health/ready", Map.of()).statusCode()).isEqualTo(200);

            // SIGTERM, then waits. The checks below must land within the 3 s of draining: they are three quick GETs.
            CompletableFuture<Void> terminated = CompletableFuture.runAsync(parley::close);
            HttpResponse<String> ready = awaitReady(base, 503, Duration.ofSeconds(3));
            assertThat(new ObjectMapper().readTree(ready.body()).path("error").path("code").asText()).isEqualTo("draining");
            // Still live and still serving while the load balancer notices.
            assertThat(Scrape.get(base + "/health/live", Map.of()).statusCode()).isEqualTo(200);
            assertThat(Scrape.get(base + "/chat.js", Map.of()).statusCode()).isEqualTo(200);

            terminated.get(90, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(parley.output()).contains("Draining: not ready for 3 s before stopping").contains("Parley stopped");
        } finally {
            parley.close();
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static HttpResponse<String> awaitReady(String base, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last;
        do {
            last = Scrape.get(base + "/health/ready", Map.of());
            if (last.statusCode() == status) return last;
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/health/ready answered " + last.statusCode() + ", not " + status);
    }
}
