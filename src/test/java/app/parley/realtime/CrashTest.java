package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A message the sender saw accepted survives a crash": Parley runs as its own process on its embedded
 * PostgreSQL; both are killed with SIGKILL while a visitor is writing; after a restart every acknowledged
 * message is there, once.
 */
class CrashTest {
    static final Path BINARIES = Path.of(System.getProperty("java.io.tmpdir"), "parley-test-pg-binaries");

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedMessageSurvivesKillingServerAndDatabase() throws Exception {
        int port = freePort();
        Process server = launch(port);
        List<String> acked = new ArrayList<>();
        String key;
        try {
            waitHealthy(port);
            key = chatKey(port);
            try (TestSocket visitor = TestSocket.visitor("ws://127.0.0.1:" + port, key, null, null)) {
                visitor.await("welcome");
                for (int i = 0; i < 200; i++) {
                    visitor.send(Map.of("type", "message", "client_id", "c" + i, "text", "message " + i));
                }
                // Take the acknowledgements that arrive before the kill; the rest were never promised.
                for (int i = 0; i < 100; i++) acked.add(visitor.await("ack").path("message").path("text").asText());
                killEverything(server);
            } catch (RuntimeException | AssertionError socketDied) {
                // the socket may notice the kill first; what was acknowledged is in `acked`
            }
        } finally {
            killEverything(server);
        }
        assertThat(acked).hasSize(100);

        Process again = launch(port);
        try {
            waitHealthy(port);
            TestParley.Api owner = login(port);
            JsonNode conversations = owner.get("/v2/conversations?tab=all");
            long id = conversations.get("items").get(0).get("id").asLong();
            JsonNode items = owner.get("/v2/conversations/" + id + "/messages?limit=200").get("items");
            List<String> stored = new ArrayList<>();
            items.forEach(m -> stored.add(m.path("text").asText()));
            Set<String> unique = new HashSet<>(stored);
            assertThat(unique).hasSameSizeAs(stored).containsAll(acked);
        } finally {
            again.destroy();
            again.waitFor();
        }
    }

    private Process launch(int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "app.parley.Parley");
        pb.environment().put("PARLEY_PORT", String.valueOf(port));
        pb.environment().put("PARLEY_HOST", "127.0.0.1");
        pb.environment().put("PARLEY_DATA_DIR", data.toString());
        pb.environment().put("PARLEY_POSTGRES_BINARIES", BINARIES.toString());
        pb.environment().put("PARLEY_OWNER_EMAIL", TestParley.OWNER_EMAIL);
        pb.environment().put("PARLEY_OWNER_PASSWORD", TestParley.OWNER_PASSWORD);
        pb.environment().put("PARLEY_CONFIG", "");
        pb.environment().put("PARLEY_VISITOR_MESSAGE_RATE", "1000");
        pb.environment().remove("PARLEY_DATABASE_URL");
        pb.redirectErrorStream(true).redirectOutput(data.resolve("parley-" + System.nanoTime() + ".log").toFile());
        return pb.start();
    }

    /** SIGKILL for Parley and for every PostgreSQL process of its data folder: no shutdown of any kind. */
    private void killEverything(Process server) throws Exception {
        Path pid = data.resolve("postgres").resolve("postmaster.pid");
        server.destroyForcibly().waitFor();
        if (Files.exists(pid)) {
            long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).trim());
            ProcessHandle.of(postmaster).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.onExit().join();
            });
        }
    }

    private static void waitHealthy(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Parley did not become healthy");
    }

    private static TestParley.Api login(int port) {
        return TestParley.loginAt("http://127.0.0.1:" + port, TestParley.OWNER_EMAIL, TestParley.OWNER_PASSWORD);
    }

    private static String chatKey(int port) {
        return login(port).me().get("account").get("chat_key").asText();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
