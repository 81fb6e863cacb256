package app.parley.channel.messenger;

import app.parley.testing.TestParley;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * The world of /work/shared/testdata/messenger/README.md for tests: a Parley with the page connected through its
 * API, the fake Graph server it talks to, and the README's ids and secret. Payloads are read from the shared folder
 * byte for byte (their signatures are over those bytes).
 */
public final class MessengerWorld implements AutoCloseable {
    public static final String PAGE = "104857291736482";
    public static final String UNKNOWN_PAGE = "109998877665544";
    public static final String APP_SECRET = "parley-test-app-secret";
    public static final String PARLEY_APP_ID = "1297461903848211";
    public static final String PAGE_INBOX_APP_ID = "263902037430900";
    public static final String VISITOR_A = "7394018263551420";
    public static final String VISITOR_B = "25081647392016552";
    public static final String VISITOR_UNKNOWN_PAGE = "6930251748802216";
    public static final String M_AGENT = "m_dYnOEXSElEOWhK33dr0p9qXLfBd6IpQpXdBPBdil5stodFI29jQInrUzzYiFx_k9wfeTsb7zg0OExoiIzdtsU0";
    public static final String VERIFY_TOKEN = "teapot-verify-token";
    public static final String TOKEN = "EAAGpageTokenTeapotCorner";

    private static final List<Path> SHARED = List.of(Path.of("../shared/testdata/messenger"),
            Path.of("/work/shared/testdata/messenger"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final FakeGraph graph;
    public final TestParley parley;
    public final TestParley.Api owner;

    public MessengerWorld() throws IOException {
        this(true);
    }

    /** {@code connect}: false leaves the page for the test to connect (through the dashboard). */
    public MessengerWorld(boolean connect) throws IOException {
        this(connect, Map.of());
    }

    /** {@code extra}: more settings (an SMTP server for the admins' notices). */
    public MessengerWorld(boolean connect, Map<String, String> extra) throws IOException {
        graph = new FakeGraph().page(PAGE, "Teapot Corner", TOKEN)
                .person(VISITOR_A, "Jana", "Nováková").person(VISITOR_B, "Petr", "Dvořák");
        Map<String, String> settings = new java.util.HashMap<>(Map.of("PARLEY_GRAPH_API_URL", graph.url(),
                "PARLEY_BACKBONE_POLL_MS", "200", "PARLEY_MESSENGER_RETRY_BASE_MS", "50"));
        settings.putAll(extra);
        parley = TestParley.start(settings);
        owner = parley.owner();
        if (connect) connect();
    }

    public void connect() {
        owner.expect(201, "POST", "/v2/channels/messenger", Map.of("app_id", PARLEY_APP_ID, "app_secret", APP_SECRET,
                "verify_token", VERIFY_TOKEN, "page_id", PAGE, "page_access_token", TOKEN));
    }

    public Jdbi jdbi() {
        return parley.parley().database().jdbi();
    }

    public static byte[] payload(String name) throws IOException {
        Path dir = SHARED.stream().filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new IllegalStateException("testdata/messenger not found at " + SHARED));
        return Files.readAllBytes(dir.resolve(name));
    }

    public static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a body as Meta does: the header named, the value given (null: no header). */
    public HttpResponse<String> post(byte[] body, String header, String value) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(parley.baseUrl() + "/webhooks/messenger"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (value != null) b.header(header, value);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A correctly signed POST. */
    public HttpResponse<String> post(byte[] body) {
        return post(body, "X-Hub-Signature-256", sign(body));
    }

    public HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(parley.baseUrl() + pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every stored webhook body is processed. */
    public void processed() {
        await("every webhook body processed", () -> jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) = 0 FROM messenger_inbox WHERE processed_at IS NULL").mapTo(Boolean.class).one()));
    }

    public static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("Timed out waiting for: " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A messaging item of one entry of the connected page, as Meta would post it (compact JSON). */
    public static byte[] entry(String pageId, String... messaging) {
        return ("{\"object\":\"page\",\"entry\":[{\"time\":" + System.currentTimeMillis() + ",\"id\":\"" + pageId
                + "\",\"messaging\":[" + String.join(",", messaging) + "]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A customer's text message (the text is JSON-escaped by the caller if needed). */
    public static String text(String psid, String mid, long timestamp, String jsonText) {
        return "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"" + PAGE + "\"},\"timestamp\":" + timestamp
                + ",\"message\":{\"mid\":\"" + mid + "\",\"text\":" + jsonText + "}}";
    }

    /** A customer of the page who last wrote {@code ago} ago ("Hello?"), processed; their conversation's id. */
    public long customerWrote(String psid, Duration ago) {
        Instant at = Instant.now().minus(ago);
        graph.person(psid, "Customer", psid.substring(psid.length() - 4));
        graph.customerWrote(psid, at);
        post(entry(PAGE, text(psid, "m_question" + psid, at.toEpochMilli(), "\"Hello?\"")));
        processed();
        return conversationOf(psid);
    }

    /** An agent's reply through the REST API; the message's id. */
    public long reply(long conversation, String text) {
        return owner.expect(201, "POST", "/v2/conversations/" + conversation + "/messages", Map.of("text", text)).path("id").asLong();
    }

    /** The conversation of a PSID of the connected page. */
    public long conversationOf(String psid) {
        return jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.id FROM conversations c JOIN messenger_contacts mc ON mc.visitor_id = c.visitor_id
                        WHERE mc.psid = :p ORDER BY c.id DESC LIMIT 1""").bind("p", psid).mapTo(Long.class).one());
    }

    @Override
    public void close() {
        parley.close();
        graph.close();
    }
}
