package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A visitor is stored once they do something worth keeping, and stays the same visitor across reloads and tabs. */
class VisitorRowsTest {
    private static TestParley app;

    @BeforeAll
    static void start() {
        app = TestParley.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aChatBoxThatOnlyConnectsLeavesNoVisitorRow() {
        long before = visitors();
        try (TestSocket s = TestSocket.visitor(app, null, null)) {
            String key = s.await("welcome").path("visitor_id").asText();
            assertThat(key).isNotBlank();
            s.send(Map.of("type", "page", "url", "https://shop.test/shoes", "title", "Shoes"));
            s.send(Map.of("type", "typing", "typing", true, "draft", "hel"));
            s.send(Map.of("type", "ping"));
            s.await("pong");
            // A reload with the key it was given: still nothing stored.
            try (TestSocket reload = TestSocket.visitor(app, key, null)) {
                assertThat(reload.await("welcome").path("visitor_id").asText()).isEqualTo(key);
                reload.send(Map.of("type", "ping"));
                reload.await("pong");
            }
        }
        assertThat(visitors()).isEqualTo(before);
    }

    @Test
    void aVisitorWhoWritesIsStoredWithThePageTheyAreOn() {
        long before = visitors();
        try (TestSocket s = TestSocket.visitor(app, null, null)) {
            String key = s.await("welcome").path("visitor_id").asText();
            s.send(Map.of("type", "page", "url", "https://shop.test/cart", "title", "Cart", "referrer", "https://search.test/"));
            s.send(Map.of("type", "message", "client_id", "c1", "text", "Do you ship to Prague?"));
            long conversationId = s.await("ack").path("message").path("conversation_id").asLong();

            assertThat(visitors()).isEqualTo(before + 1);
            Map<String, Object> row = app.parley().database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT current_url, current_title, referrer FROM visitors WHERE visitor_key = :k")
                    .bind("k", key).mapToMap().one());
            assertThat(row).containsEntry("current_url", "https://shop.test/cart").containsEntry("current_title", "Cart")
                    .containsEntry("referrer", "https://search.test/");
            JsonNode conversation = app.owner().get("/v2/conversations/" + conversationId);
            assertThat(conversation.path("domain").asText()).isEqualTo("shop.test");
        }
    }

    @Test
    void aShopNamingTheVisitorStoresThem() {
        long before = visitors();
        try (TestSocket s = TestSocket.visitor(app, null, null)) {
            s.await("welcome");
            s.send(Map.of("type", "identify", "name", "Jana", "client_id", "i1"));
            s.send(Map.of("type", "ping"));
            s.await("pong");
            // Frames are handled in order: by the pong, the identify before it has been handled.
            assertThat(visitors()).isEqualTo(before + 1);
        }
    }

    @Test
    void reloadsAndOtherTabsKeepTheSameVisitorBeforeAndAfterTheyWrite() {
        TestParley.Api owner = app.owner();
        try (TestSocket first = TestSocket.visitor(app, null, null)) {
            String key = first.await("welcome").path("visitor_id").asText();
            try (TestSocket otherTab = TestSocket.visitor(app, key, null)) {
                assertThat(otherTab.await("welcome").path("visitor_id").asText()).isEqualTo(key);

                first.send(Map.of("type", "message", "client_id", "c1", "text", "Hello from the first tab"));
                long conversationId = first.await("ack").path("message").path("conversation_id").asLong();
                owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                        Map.of("type", "message", "text", "Hello, how can I help?"));

                // The other tab connected before the visitor was stored, and still hears the reply.
                for (TestSocket tab : new TestSocket[] {first, otherTab}) {
                    tab.await(f -> "message.created".equals(f.path("type").asText())
                            && "Hello, how can I help?".equals(f.path("data").path("text").asText()));
                }
            }
            // A reload after writing: the same visitor, the same conversation, the messages in the welcome.
            try (TestSocket reload = TestSocket.visitor(app, key, null)) {
                JsonNode welcome = reload.await("welcome");
                assertThat(welcome.path("visitor_id").asText()).isEqualTo(key);
                assertThat(welcome.path("messages")).extracting(m -> m.path("text").asText())
                        .contains("Hello from the first tab", "Hello, how can I help?");
            }
        }
    }

    @Test
    void aKeyTheServerDidNotIssueGetsANewVisitor() {
        String forged = "AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        try (TestSocket s = TestSocket.visitor(app, forged, null)) {
            assertThat(s.await("welcome").path("visitor_id").asText()).isNotEqualTo(forged);
        }
    }

    private static long visitors() {
        return app.parley().database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM visitors")
                .mapTo(Long.class).one());
    }
}
