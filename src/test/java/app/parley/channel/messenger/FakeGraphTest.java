package app.parley.channel.messenger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake Graph API itself (issue #13, point 6): it refuses what Meta refuses, in Meta's shapes. */
class FakeGraphTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeGraph graph;

    @BeforeAll
    static void start() throws Exception {
        graph = new FakeGraph().page("104857291736482", "Teapot Corner", "good").page("104857291736482", "Teapot Corner", "old");
        graph.expire("old");
        graph.customerWrote("1", Instant.now().minus(Duration.ofHours(30)));
        graph.customerWrote("2", Instant.now().minus(Duration.ofDays(8)));
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    private record Answer(int status, JsonNode body) {
        JsonNode error() {
            return body.path("error");
        }
    }

    private static Answer send(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(graph.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    @Test
    void aGoodMessageGetsMetasAnswerShape() throws Exception {
        graph.nextMessageId("m_given");
        Answer a = send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"3\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"Hi\"}}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().path("recipient_id").asText()).isEqualTo("3");
        assertThat(a.body().path("message_id").asText()).isEqualTo("m_given");
        // The page's own id works as the path too; so does ?access_token=.
        Answer byQuery = send("/v19.0/104857291736482/messages?access_token=good", null,
                "{\"recipient\":{\"id\":\"3\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"Hi\"}}");
        assertThat(byQuery.status()).isEqualTo(200);
    }

    @Test
    void tokensAreCheckedAsMetaDoes() throws Exception {
        Answer expired = send("/v19.0/me/messages", "old", "{}");
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.error().path("code").asInt()).isEqualTo(190);
        assertThat(expired.error().path("error_subcode").asInt()).isEqualTo(463);
        assertThat(expired.error().path("type").asText()).isEqualTo("OAuthException");
        assertThat(expired.error().path("fbtrace_id").asText()).isNotEmpty();
        assertThat(send("/v19.0/me/messages", "forged", "{}").error().path("code").asInt()).isEqualTo(190);
        assertThat(send("/v19.0/me/messages", null, "{}").error().path("code").asInt()).isEqualTo(2500);
    }

    @Test
    void theVersionMessagingTypeAndTagRulesAreEnforced() throws Exception {
        int before = graph.violations().size();
        assertThat(send("/me/messages", "good", "{}").status()).isEqualTo(400);
        assertThat(send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"3\"},\"message\":{\"text\":\"Hi\"}}").status()).isEqualTo(400);
        assertThat(send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"3\"},\"messaging_type\":\"MESSAGE_TAG\",\"message\":{\"text\":\"Hi\"}}").status()).isEqualTo(400);
        assertThat(send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"3\"},\"messaging_type\":\"RESPONSE\",\"tag\":\"HUMAN_AGENT\",\"message\":{\"text\":\"Hi\"}}").status()).isEqualTo(400);
        assertThat(send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"3\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"" + "x".repeat(2001) + "\"}}").status()).isEqualTo(400);
        assertThat(send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"3\"},\"sender_action\":\"typing_on\",\"message\":{\"text\":\"Hi\"}}").status()).isEqualTo(400);
        assertThat(graph.violations()).hasSize(before + 6);
    }

    @Test
    void theWindowsAreMetasWithItsErrorText() throws Exception {
        Answer late = send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"1\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"Hi\"}}");
        assertThat(late.error().path("code").asInt()).isEqualTo(10);
        assertThat(late.error().path("error_subcode").asInt()).isEqualTo(2018278);
        assertThat(late.error().path("message").asText()).startsWith("(#10) This message is sent outside of allowed window.");
        Answer tagged = send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"1\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\",\"message\":{\"text\":\"Hi\"}}");
        assertThat(tagged.status()).isEqualTo(200);
        Answer tooLate = send("/v19.0/me/messages", "good", "{\"recipient\":{\"id\":\"2\"},\"messaging_type\":\"MESSAGE_TAG\",\"tag\":\"HUMAN_AGENT\",\"message\":{\"text\":\"Hi\"}}");
        assertThat(tooLate.error().path("code").asInt()).isEqualTo(10);
    }

    @Test
    void scriptedErrorsComeOnceInMetasShape() throws Exception {
        graph.failNext(400, 613, null, "(#613) Calls to this api have exceeded the rate limit.");
        String body = "{\"recipient\":{\"id\":\"3\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"Hi\"}}";
        Answer limited = send("/v19.0/me/messages", "good", body);
        assertThat(limited.error().path("code").asInt()).isEqualTo(613);
        assertThat(send("/v19.0/me/messages", "good", body).status()).isEqualTo(200);
    }
}
