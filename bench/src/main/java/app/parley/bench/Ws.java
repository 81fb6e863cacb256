package app.parley.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal blocking WebSocket client (RFC 6455, text frames, no extensions) over a plain socket. It is cheap
 * enough to hold 20,000 of them in one JVM (one small buffer each, a virtual thread per reader) and costs the
 * load generator little CPU per frame, so the server, not the client, is what is measured.
 */
final class Ws implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean closed;

    private Ws(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /** Thrown when the server refuses the upgrade (its HTTP status) or closes the socket. */
    static final class Refused extends IOException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Opens {@code path} on host:port, from {@code localAddress} when given (to spread over source IPs),
     * with extra request headers; waits at most {@code timeoutMs} for the upgrade.
     */
    static Ws connect(String host, int port, InetAddress localAddress, String path, Map<String, String> headers,
                      int timeoutMs, int bufferSize) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (localAddress != null) s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            StringBuilder req = new StringBuilder(256)
                    .append("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n")
;
            // A page-view load sends a browser's user agent: Parley does not count scripts as visitors.
            if (!headers.containsKey("User-Agent")) req.append("User-Agent: parley-bench/1.0\r\n");
            for (var h : headers.entrySet()) req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), bufferSize);
            String status = readHeaders(in);
            int code = Integer.parseInt(status.split(" ", 3)[1]);
            if (code != 101) throw new Refused(code, "upgrade refused: " + status);
            s.setSoTimeout(0);
            return new Ws(s, in, out);
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            throw e;
        }
    }

    /** Reads the response head; returns the status line. Bounded: at most 16 KiB. */
    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        int matched = 0;
        while (head.length() < 16_384) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed during the upgrade");
            head.append((char) b);
            matched = switch (matched) {
                case 0, 2 -> b == '\r' ? matched + 1 : 0;
                case 1, 3 -> b == '\n' ? matched + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (matched == 4) {
                int eol = head.indexOf("\r\n");
                return head.substring(0, eol);
            }
        }
        throw new IOException("response head too long");
    }

    /** The next text message; answers pings; throws {@link Refused} (status 0) when the server closes. */
    String readText() throws IOException {
        byte[] message = null;
        int messageLength = 0;
        for (int frames = 0; ; frames++) {
            if (frames > 100_000) throw new IOException("100,000 frames without a complete text message");
            int b0 = readByte();
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            long len = b1 & 0x7F;
            if (len == 126) len = (readByte() << 8) | readByte();
            else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) len = (len << 8) | readByte();
            }
            if ((b1 & 0x80) != 0) throw new IOException("masked frame from the server");
            if (len > 16 * 1024 * 1024) throw new IOException("frame too large: " + len);
            byte[] payload = readFully((int) len);
            switch (opcode) {
                case 0x9 -> send(0xA, payload); // ping → pong
                case 0xA -> { }                 // pong: ignore
                case 0x8 -> {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    closeQuietly();
                    throw new Refused(0, "closed by the server: " + code + " " + reason);
                }
                case 0x1, 0x2, 0x0 -> {
                    if (message == null && fin) return new String(payload, StandardCharsets.UTF_8);
                    if (message == null) message = new byte[Math.max(payload.length * 2, 1024)];
                    if (messageLength + payload.length > message.length) {
                        message = java.util.Arrays.copyOf(message, Math.max(message.length * 2, messageLength + payload.length));
                    }
                    System.arraycopy(payload, 0, message, messageLength, payload.length);
                    messageLength += payload.length;
                    if (fin) return new String(message, 0, messageLength, StandardCharsets.UTF_8);
                }
                default -> throw new IOException("unknown opcode " + opcode);
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            closed = true;
            throw new Refused(0, "connection closed");
        }
        return b;
    }

    private byte[] readFully(int n) throws IOException {
        byte[] buf = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(buf, off, n - off);
            if (r < 0) {
                closed = true;
                throw new Refused(0, "connection closed");
            }
            off += r;
        }
        return buf;
    }

    void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One frame, masked as a client must, in one write. */
    synchronized void send(int opcode, byte[] payload) throws IOException {
        int n = payload.length;
        int headerLength = 2 + (n < 126 ? 0 : n < 65_536 ? 2 : 8) + 4;
        byte[] frame = new byte[headerLength + n];
        int p = 0;
        frame[p++] = (byte) (0x80 | opcode);
        if (n < 126) {
            frame[p++] = (byte) (0x80 | n);
        } else if (n < 65_536) {
            frame[p++] = (byte) (0x80 | 126);
            frame[p++] = (byte) (n >>> 8);
            frame[p++] = (byte) n;
        } else {
            frame[p++] = (byte) (0x80 | 127);
            for (int i = 7; i >= 0; i--) frame[p++] = (byte) ((long) n >>> (8 * i));
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        System.arraycopy(key, 0, frame, p, 4);
        p += 4;
        for (int i = 0; i < n; i++) frame[p + i] = (byte) (payload[i] ^ key[i & 3]);
        out.write(frame);
    }

    void setReadTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    boolean isClosed() {
        return closed || socket.isClosed();
    }

    void closeQuietly() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        if (!isClosed()) {
            try {
                send(0x8, new byte[] {0x03, (byte) 0xE8}); // 1000 normal closure
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeQuietly();
    }
}
