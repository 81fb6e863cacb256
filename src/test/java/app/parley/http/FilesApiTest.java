package app.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.core.Json;
import app.parley.files.FileStore;
import app.parley.testing.TestParley;
import app.parley.testing.TestParley.Api;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files both ways (issue #18 point 7) over real HTTP and sockets: uploads by a visitor and an agent become messages
 * on both sides; downloads only to those who see the conversation; size and type refused with stable codes and
 * nothing kept; hostile files served so they cannot run; card numbers masked in names.
 */
class FilesApiTest {
    static TestParley app;
    static Api owner;
    static Api lena;
    static ChatVisitor anna;
    static ChatVisitor bert;
    static long salesConversation;
    static long billingConversation;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = TestParley.start();
        owner = app.owner();
        long sales = owner.expect(201, "POST", "/v2/groups", Map.of("name", "Sales", "key", "sales")).path("id").asLong();
        owner.expect(201, "POST", "/v2/groups", Map.of("name", "Billing", "key", "billing"));
        lena = app.createAgent("lena@shop.test", "Lena", "lena-password-1", "agent");
        owner.expect(200, "PATCH", "/v2/agents/" + lena.agentId(), Map.of("group_ids", List.of(sales)));
        anna = visitorIn("sales", "Hello from Anna");
        bert = visitorIn("billing", "Hello from Bert");
        salesConversation = anna.conversationId();
        billingConversation = bert.conversationId();
    }

    @AfterAll
    static void stop() {
        anna.close();
        bert.close();
        app.close();
    }

    private static ChatVisitor visitorIn(String groupKey, String text) {
        ChatVisitor v = ChatVisitor.connect(app);
        v.routeToGroup(groupKey);
        v.say(text);
        return v;
    }

    @Test
    void aVisitorsImageReachesTheAgentLiveWithAThumbnailAndTheAgentsPdfReachesTheVisitor() throws Exception {
        try (TestSocket agentSocket = TestSocket.agent(app, owner, null)) {
            agentSocket.await("welcome");
            byte[] png = png(1200, 800);
            HttpResponse<String> up = visitorUpload(anna, "photo.png", png);
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            JsonNode message = json(up.body());
            JsonNode file = message.path("data").path("file");
            assertThat(file.path("name").asText()).isEqualTo("photo.png");
            assertThat(file.path("content_type").asText()).isEqualTo("image/png");
            assertThat(file.path("image").asBoolean()).isTrue();
            assertThat(file.path("thumbnail").asBoolean()).isTrue();
            assertThat(file.path("width").asInt()).isEqualTo(1200);
            assertThat(message.path("sub_type").asText()).isEqualTo("contact");

            // Live on the agent's side, and in the history.
            String id = file.path("id").asText();
            agentSocket.await(f -> "message.created".equals(f.path("type").asText())
                    && id.equals(f.path("data").path("data").path("file").path("id").asText()));
            JsonNode history = owner.expect(200, "GET", "/v2/conversations/" + salesConversation + "/messages", null);
            assertThat(history.toString()).contains(id);

            HttpResponse<byte[]> full = owner.download("/v2/files/" + id);
            assertThat(full.statusCode()).isEqualTo(200);
            assertThat(full.body()).isEqualTo(png);
            assertThat(full.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
            assertThat(full.headers().firstValue("Content-Disposition").orElse("")).startsWith("inline;");
            assertThat(full.headers().firstValue("X-Content-Type-Options").orElse("")).isEqualTo("nosniff");
            HttpResponse<byte[]> thumb = owner.download("/v2/files/" + id + "/thumbnail");
            assertThat(thumb.statusCode()).isEqualTo(200);
            assertThat(thumb.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/jpeg");
            BufferedImage small = ImageIO.read(new java.io.ByteArrayInputStream(thumb.body()));
            assertThat(Math.max(small.getWidth(), small.getHeight())).isEqualTo(320);
            assertThat(thumb.body().length).isLessThan(png.length);
        }

        byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        JsonNode sent = owner.bytes("POST", "/v2/conversations/" + salesConversation + "/files?name=invoice.pdf&client_id=f1", pdf);
        assertThat(owner.lastStatus).as(sent.toString()).isEqualTo(201);
        String pdfId = sent.path("data").path("file").path("id").asText();
        assertThat(sent.path("sub_type").asText()).isEqualTo("agent");
        anna.socket.await(f -> "message.created".equals(f.path("type").asText())
                && pdfId.equals(f.path("data").path("data").path("file").path("id").asText()));
        HttpResponse<byte[]> got = visitorDownload(anna, "/v2/chat/files/" + pdfId);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(pdf);
        assertThat(got.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        assertThat(got.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
        assertThat(got.headers().firstValue("Access-Control-Allow-Origin").orElse("")).isEqualTo("*");

        // Sent again with the same client id (a retried upload): one message, one file.
        long files = count();
        JsonNode again = owner.bytes("POST", "/v2/conversations/" + salesConversation + "/files?name=invoice.pdf&client_id=f1", pdf);
        assertThat(again.path("id").asLong()).isEqualTo(sent.path("id").asLong());
        assertThat(count()).isEqualTo(files);
    }

    @Test
    void onlyThoseWhoSeeTheConversationMayReadOrAddFiles() throws Exception {
        JsonNode billingFile = owner.bytes("POST", "/v2/conversations/" + billingConversation + "/files?name=notes.txt",
                "Refund approved.\n".getBytes(StandardCharsets.UTF_8));
        assertThat(owner.lastStatus).isEqualTo(201);
        String id = billingFile.path("data").path("file").path("id").asText();

        // Lena works in Sales: the Billing conversation's file does not exist for her, nor may she add one.
        lena.download("/v2/files/" + id);
        assertThat(lena.lastStatus).isEqualTo(404);
        lena.download("/v2/files/" + id + "/thumbnail");
        assertThat(lena.lastStatus).isEqualTo(404);
        long before = count();
        JsonNode refused = lena.bytes("POST", "/v2/conversations/" + billingConversation + "/files?name=x.txt", "hi".getBytes());
        assertThat(lena.lastStatus).isEqualTo(404);
        assertThat(refused.path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(count()).as("nothing kept for a refused upload").isEqualTo(before);

        // Another shop's owner.
        TestAccounts.Created other = TestAccounts.create(app, "Other shop", "other@elsewhere.test", "other-password-1");
        Api stranger = app.login(other.ownerEmail(), other.ownerPassword());
        stranger.download("/v2/files/" + id);
        assertThat(stranger.lastStatus).isEqualTo(404);
        stranger.bytes("POST", "/v2/conversations/" + billingConversation + "/files?name=x.txt", "hi".getBytes());
        assertThat(stranger.lastStatus).isEqualTo(404);

        // Another visitor, even of the same shop, and a visitor who names no one.
        assertThat(visitorDownload(anna, "/v2/chat/files/" + id).statusCode()).isEqualTo(404);
        assertThat(visitorDownload(bert, "/v2/chat/files/" + id).statusCode()).isEqualTo(200);
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v2/chat/files/" + id
                + "?key=" + app.accountKey())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("unknown_visitor");
        // Nor with a session cookie but no login: an agent route refuses without a session.
        HttpResponse<String> noSession = HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v2/files/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noSession.statusCode()).isEqualTo(401);

        // A note's file is never the visitor's (notes are agent-only): files only travel as messages anyway.
        assertThat(visitorDownload(bert, "/v2/chat/files/not-a-real-id").statusCode()).isEqualTo(404);
    }

    @Test
    void tooLargeEmptyAndForbiddenTypesAreRefusedWithStableCodesAndNothingKept() throws Exception {
        long before = count();
        byte[] big = new byte[20 * 1024 * 1024 + 1];
        big[0] = '%'; big[1] = 'P'; big[2] = 'D'; big[3] = 'F';
        JsonNode tooLarge = owner.bytes("POST", "/v2/conversations/" + salesConversation + "/files?name=big.pdf", big);
        assertThat(owner.lastStatus).isEqualTo(413);
        assertThat(tooLarge.path("error").path("code").asText()).isEqualTo("file_too_large");
        assertThat(visitorUpload(anna, "big.pdf", big).body()).contains("file_too_large");

        JsonNode empty = owner.bytes("POST", "/v2/conversations/" + salesConversation + "/files?name=empty.txt", new byte[0]);
        assertThat(owner.lastStatus).isEqualTo(422);
        assertThat(empty.path("error").path("code").asText()).isEqualTo("empty_file");

        // Judged by the bytes: an HTML page called .txt, a Windows program called .pdf, a zip.
        for (Map.Entry<String, byte[]> e : Map.of(
                "readme.txt", "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8),
                "page.html", "<html><head><title>x</title></head><body>hi</body></html>".getBytes(StandardCharsets.UTF_8),
                "invoice.pdf", exe(),
                "archive.zip", zip()).entrySet()) {
            JsonNode r = owner.bytes("POST", "/v2/conversations/" + salesConversation + "/files?name=" + e.getKey(), e.getValue());
            assertThat(owner.lastStatus).as(e.getKey()).isEqualTo(415);
            assertThat(r.path("error").path("code").asText()).isEqualTo("file_type_not_allowed");
            HttpResponse<String> v = visitorUpload(anna, e.getKey(), e.getValue());
            assertThat(v.statusCode()).as(e.getKey()).isEqualTo(415);
            assertThat(v.body()).contains("file_type_not_allowed");
        }
        JsonNode noName = owner.bytes("POST", "/v2/conversations/" + salesConversation + "/files", "hi".getBytes());
        assertThat(owner.lastStatus).isEqualTo(422);
        assertThat(noName.path("error").path("field").asText()).isEqualTo("name");
        assertThat(count()).as("no file row for any refused upload").isEqualTo(before);
    }

    @Test
    void anSvgWithScriptIsServedAsBytesThatCannotRunOnParleysOrigin() throws Exception {
        byte[] svg = """
                <svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script>
                <rect width="10" height="10"/></svg>""".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> up = visitorUpload(anna, "logo.svg", svg);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        JsonNode file = json(up.body()).path("data").path("file");
        assertThat(file.path("image").asBoolean()).as("never previewed as an image").isFalse();
        HttpResponse<byte[]> got = owner.download("/v2/files/" + file.path("id").asText());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/octet-stream");
        assertThat(got.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
        assertThat(got.headers().firstValue("X-Content-Type-Options").orElse("")).isEqualTo("nosniff");
        assertThat(got.headers().allValues("Content-Security-Policy")).singleElement().asString()
                .startsWith("sandbox;").contains("default-src 'none'");
        assertThat(visitorDownload(anna, "/v2/chat/files/" + file.path("id").asText()).headers()
                .firstValue("Content-Security-Policy").orElse("")).startsWith("sandbox;");
    }

    @Test
    void cardNumbersInFileNamesAreMaskedBeforeTheyAreStored() throws Exception {
        String name = "card 4242 4242 4242 4242 <img src=x onerror=alert(1)>.txt";
        JsonNode sent = owner.bytes("POST", "/v2/conversations/" + salesConversation + "/files?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8), "receipt".getBytes(StandardCharsets.UTF_8));
        assertThat(owner.lastStatus).as(sent.toString()).isEqualTo(201);
        String stored = sent.path("data").path("file").path("name").asText();
        assertThat(stored).doesNotContain("4242 4242 4242 4242").contains("4242");
        assertThat(sent.path("text").asText()).isEqualTo(stored);
        HttpResponse<String> v = visitorUpload(anna, "5555-5555-5555-4444.png", png(10, 10));
        assertThat(json(v.body()).path("data").path("file").path("name").asText()).doesNotContain("5555-5555-5555-4444");
        String inDb = app.parley().database().jdbi().withHandle(h -> String.join("|", h.createQuery(
                "SELECT filename FROM files").mapTo(String.class).list()));
        assertThat(inDb).doesNotContain("4242 4242 4242 4242").doesNotContain("5555-5555-5555-4444");
        HttpResponse<byte[]> got = owner.download("/v2/files/" + sent.path("data").path("file").path("id").asText());
        assertThat(got.headers().firstValue("Content-Disposition").orElse("")).doesNotContain("4242%204242%204242%204242");
    }

    @Test
    void anUploadWhoseMessageNeverCameIsForgottenAfterAnHour() {
        var jdbi = app.parley().database().jdbi();
        long[] ids = jdbi.withHandle(h -> {
            long conversation = salesConversation;
            String insert = "INSERT INTO files (public_id, account_id, conversation_id, source, filename, content_type, size, "
                    + "sha256, content, created_at) SELECT :p, account_id, id, 'agent', 'x.txt', 'text/plain', 1, 'x', '\\x41', "
                    + "now() - CAST(:age AS interval) FROM conversations WHERE id = :c RETURNING id";
            long old = h.createQuery(insert).bind("p", "abandoned-old").bind("age", "2 hours").bind("c", conversation).mapTo(Long.class).one();
            long fresh = h.createQuery(insert).bind("p", "abandoned-new").bind("age", "1 minute").bind("c", conversation).mapTo(Long.class).one();
            return new long[] {old, fresh};
        });
        long attached = count() - 2;
        assertThat(FileStore.forgetAbandoned(jdbi)).isEqualTo(1);
        long left = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM files WHERE id = :id").bind("id", ids[0]).mapTo(Long.class).one());
        assertThat(left).isZero();
        assertThat(count()).isEqualTo(attached + 1);
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM files WHERE id = :id").bind("id", ids[1]).execute());
    }

    static long count() {
        return app.parley().database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM files").mapTo(Long.class).one());
    }

    static HttpResponse<String> visitorUpload(ChatVisitor v, String name, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v2/chat/files?key=" + app.accountKey()
                                + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&client_id=" + TestSocket.clientId()))
                        .header("X-Parley-Visitor", v.visitorKey).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> visitorDownload(ChatVisitor v, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path + "?key=" + app.accountKey()))
                .header("X-Parley-Visitor", v.visitorKey).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(String body) throws IOException {
        return Json.MAPPER.readTree(body);
    }

    static byte[] png(int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, w, h, java.awt.Color.BLUE));
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static byte[] exe() {
        byte[] b = new byte[512];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3c] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    static byte[] zip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(out)) {
            z.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            z.write("a".getBytes());
            z.closeEntry();
        }
        return out.toByteArray();
    }
}
