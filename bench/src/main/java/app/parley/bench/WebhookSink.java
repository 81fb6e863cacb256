package app.parley.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shop's webhook endpoint on loopback for {@code --webhook 1}: answers 204 to every delivery whose
 * X-Parley-Signature verifies (401 otherwise, which Parley retries), and counts them. It runs in the load
 * client's JVM, so its CPU shows in the "load client" column.
 */
final class WebhookSink implements AutoCloseable {
    static final String SECRET = "bench-webhook-secret-0123456789";
    final LongAdder delivered = new LongAdder();
    final LongAdder badSignatures = new LongAdder();
    private final HttpServer server;

    WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        // No executor: each exchange is handled on the server's own dispatcher thread, with its keyed Mac. The sink
        // shares the 2 cores with the server it measures, so it verifies every signature at the least cost: no
        // hand-off to another thread, no thread nor Mac made per delivery.
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String sent = exchange.getRequestHeaders().getFirst("X-Parley-Signature");
            boolean ok = sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.US_ASCII),
                    sign(body).getBytes(StandardCharsets.US_ASCII));
            if (ok) delivered.increment();
            else badSignatures.increment();
            exchange.sendResponseHeaders(ok ? 204 : 401, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String sign(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(MAC.get().doFinal(body)); // doFinal resets the Mac for the next body
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
