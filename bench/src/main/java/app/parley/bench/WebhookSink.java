package app.parley.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shop's webhook endpoint on loopback for {@code --webhook 1}: answers 204 to every delivery whose
 * X-Parley-Signature verifies (401 otherwise, which Parley retries), and counts them. It runs in the load
 * client's JVM, on the same 2 cores as the server it measures, so it is a plain HTTP/1.1 keep-alive server: a
 * virtual thread per connection reading requests with blocking I/O and a keyed Mac per connection. (The JDK's
 * com.sun.net.httpserver cost it about 80 µs of CPU per delivery, taken from the server.) Its CPU shows in the
 * "load client" column.
 */
final class WebhookSink implements AutoCloseable {
    static final String SECRET = "bench-webhook-secret-0123456789";
    private static final byte[] NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNAUTHORIZED = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    final LongAdder delivered = new LongAdder();
    final LongAdder badSignatures = new LongAdder();
    private final ServerSocket server;
    private volatile boolean open = true;

    WebhookSink() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("webhook-sink").start(() -> {
            while (open) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    if (open) System.err.println("webhook sink: " + e);
                }
            }
        });
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    /** Requests one after the other on a keep-alive connection, until the client closes it. */
    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
             OutputStream out = socket.getOutputStream()) {
            Mac mac = mac();
            while (true) {
                String line = line(in);
                if (line == null) return;
                if (line.isEmpty()) continue;
                int length = -1;
                String signature = null;
                boolean close = false;
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    if (colon < 0) continue;
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> length = Integer.parseInt(value);
                        case "x-parley-signature" -> signature = value;
                        case "connection" -> close = value.equalsIgnoreCase("close");
                        case "transfer-encoding" -> length = -2; // Parley sends a length; anything else is refused
                        default -> {}
                    }
                }
                if (length < 0 || !line.startsWith("POST /hook ")) {
                    badSignatures.increment();
                    out.write(BAD_REQUEST);
                    return;
                }
                byte[] body = in.readNBytes(length);
                if (body.length < length) return;
                boolean ok = signature != null && MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                        ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.US_ASCII));
                if (ok) delivered.increment();
                else badSignatures.increment();
                out.write(ok ? NO_CONTENT : UNAUTHORIZED);
                out.flush();
                if (close) return;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away mid-request: Parley retries what it did not see answered.
        }
    }

    /** A header line without its CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) return b.isEmpty() ? null : b.toString();
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    private static Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
