package app.parley.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.ParleyProcess;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes under load, each followed by the recovery Parley promises: the embedded PostgreSQL killed with SIGKILL
 * is restarted by Parley itself; Parley's JVM killed with SIGKILL (its PostgreSQL orphaned) starts again at the
 * first try. A visitor resends what was not acknowledged, as the chat box does; every acknowledged message is then
 * stored exactly once. Prints: sent, acknowledged (before the resends), refused, found, lost, duplicated.
 */
class ReliabilityTest {
    static final int TOTAL = 200;
    static final int ACKED_BEFORE_CRASH = 50;

    @TempDir
    Path root;

    @Test
    void postgresKilledDuringLoadIsRestartedByParleyAndNothingAcknowledgedIsLost() {
        try (ParleyProcess parley = ParleyProcess.start(root.resolve("data"), ParleyProcess.freePort())) {
            String key = parley.chatKey();
            Load load = new Load();
            try (TestSocket visitor = TestSocket.visitor(parley.wsUrl(), key, null, null)) {
                load.visitorId = visitor.await("welcome").get("visitor_id").asText();
                load.sendAndTakeAcks(visitor, parley::killPostmaster, true);
                long killed = System.nanoTime();
                // Within seconds, not after a request timed out: the supervisor sees the postmaster exit.
                Duration seen = parley.keepPostgresDownUntilHealthSaysSo(Duration.ofSeconds(10));
                load.collect(visitor, Duration.ofSeconds(4));
                parley.awaitHealth(200, Duration.ofSeconds(60));
                System.out.printf("PostgreSQL killed: /health said down after %d ms, ok again after %d ms%n",
                        seen.toMillis(), (System.nanoTime() - killed) / 1_000_000);
            }
            assertThat(load.errors).as("sends while the database is down fail fast with a retryable code")
                    .allMatch(code -> code.equals("unavailable"));
            load.resendUnacknowledged(parley, key);
            load.assertEveryMessageStoredOnce(parley, "PostgreSQL killed");
        }
    }

    @Test
    void parleyKilledDuringLoadStartsAgainAtTheFirstTryAndNothingAcknowledgedIsLost() {
        Path data = root.resolve("data");
        int port = ParleyProcess.freePort();
        Load load = new Load();
        String key;
        ParleyProcess first = ParleyProcess.start(data, port);
        try {
            key = first.chatKey();
            try (TestSocket visitor = TestSocket.visitor(first.wsUrl(), key, null, null)) {
                load.visitorId = visitor.await("welcome").get("visitor_id").asText();
                // Only the JVM: its PostgreSQL keeps running, orphaned, holding the data folder and its port.
                load.sendAndTakeAcks(visitor, first::killJvm, false);
            } catch (RuntimeException | AssertionError socketDied) {
                // the socket may notice the kill first; what was acknowledged is in load.acked
            }
            assertThat(first.postmaster()).as("the orphaned postmaster outlives the JVM").isPresent();
        } finally {
            first.killJvm();
        }
        try (ParleyProcess again = ParleyProcess.start(data, port)) {
            load.resendUnacknowledged(again, key);
            load.assertEveryMessageStoredOnce(again, "Parley killed");
        }
    }

    /** One visitor's messages: what was sent, what the server acknowledged, what it refused. */
    static final class Load {
        String visitorId;
        final Set<String> acked = new LinkedHashSet<>();
        final List<String> errors = new ArrayList<>();
        long conversationId;

        /**
         * Sends {@link #ACKED_BEFORE_CRASH} messages and takes their acks, then crashes while the rest are in flight
         * ({@code restAfterCrash}: sent right after the crash, into the outage, instead of all before it).
         */
        void sendAndTakeAcks(TestSocket visitor, Runnable crash, boolean restAfterCrash) {
            int first = restAfterCrash ? ACKED_BEFORE_CRASH : TOTAL;
            for (int i = 0; i < first; i++) send(visitor, i);
            for (int i = 0; i < ACKED_BEFORE_CRASH; i++) take(visitor.await("ack"));
            crash.run();
            if (restAfterCrash) for (int i = first; i < TOTAL; i++) send(visitor, i);
        }

        private static void send(TestSocket visitor, int i) {
            visitor.send(Map.of("type", "message", "client_id", "c" + i, "text", "message " + i));
        }

        void collect(TestSocket visitor, Duration wait) {
            for (JsonNode f : visitor.frames(wait.toMillis())) {
                if (f.has("_taken")) continue;
                switch (f.path("type").asText()) {
                    case "ack" -> take(f);
                    case "error" -> errors.add(f.path("code").asText());
                    default -> { }
                }
            }
        }

        private void take(JsonNode ack) {
            acked.add(ack.path("client_id").asText());
            if (conversationId == 0) conversationId = ack.path("message").path("conversation_id").asLong();
        }

        /** The chat box resends every message it has no ack for, with the same client id, once it is back. */
        void resendUnacknowledged(ParleyProcess parley, String key) {
            try (TestSocket visitor = TestSocket.visitor(parley.wsUrl(), key, visitorId, null)) {
                visitor.await("welcome");
                for (int i = 0; i < TOTAL; i++) {
                    if (acked.contains("c" + i)) continue;
                    visitor.send(Map.of("type", "message", "client_id", "c" + i, "text", "message " + i));
                    JsonNode f = visitor.await(n -> Set.of("ack", "error").contains(n.path("type").asText()));
                    assertThat(f.path("type").asText()).as("resend after recovery: %s", f).isEqualTo("ack");
                    if (conversationId == 0) conversationId = f.path("message").path("conversation_id").asLong();
                }
            }
        }

        void assertEveryMessageStoredOnce(ParleyProcess parley, String crash) {
            JsonNode items = parley.owner().get("/v2/conversations/" + conversationId + "/messages?limit=" + TOTAL).get("items");
            Map<String, Integer> stored = new HashMap<>();
            items.forEach(m -> stored.merge(m.path("text").asText(), 1, Integer::sum));
            int lost = 0;
            for (String id : acked) if (!stored.containsKey("message " + id.substring(1))) lost++;
            long duplicated = stored.values().stream().filter(n -> n > 1).count();
            int found = stored.size();
            System.out.printf("%s: sent %d, acknowledged %d, refused as unavailable %d, found %d, lost %d, duplicated %d%n",
                    crash, TOTAL, acked.size(), errors.size(), found, lost, duplicated);
            assertThat(lost).as("acknowledged but lost").isZero();
            assertThat(duplicated).as("stored twice").isZero();
            assertThat(found).as("every message, after the resends").isEqualTo(TOTAL);
        }
    }
}
