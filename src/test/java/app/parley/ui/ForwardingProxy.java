package app.parley.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A reverse proxy in front of Parley, as a shop's load balancer is: it names the browser's address in
 * {@code X-Forwarded-For} (replacing any the browser sent) on every request it passes on, the chat box's socket
 * upgrade included. Browsers' own extra-header settings do not reach WebSocket handshakes in every Chromium, so a
 * browser test that needs a visitor seen at a public address connects through this. Plain requests are passed on
 * one per connection ({@code Connection: close}), so each carries the header; an upgraded socket is piped as is.
 */
public final class ForwardingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final String address;

    public ForwardingProxy(int targetPort, String forwardedFor) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = targetPort;
        this.address = forwardedFor;
        Thread.ofVirtual().name("forwarding-proxy").start(this::accept);
    }

    /** The proxy's base URL, in place of Parley's. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket browser = server.accept();
                Thread.ofVirtual().start(() -> serve(browser));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket browser) {
        try (browser; Socket parley = new Socket(InetAddress.getLoopbackAddress(), target)) {
            InputStream in = browser.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) return;
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (head.size() > 64 * 1024) return;
            }
            OutputStream toParley = parley.getOutputStream();
            toParley.write(rewrite(head.toString(StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
            toParley.flush();
            Thread back = Thread.ofVirtual().start(() -> pipe(parley, browser));
            pipe(browser, parley);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the browser or Parley went away: nothing to pass on
        }
    }

    private String rewrite(String head) {
        String[] lines = head.substring(0, head.length() - 4).split("\r\n");
        boolean upgrade = false;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("upgrade:")) upgrade = true;
        }
        StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].toLowerCase(Locale.ROOT);
            if (name.startsWith("x-forwarded-for:") || (!upgrade && name.startsWith("connection:"))) continue;
            out.append(lines[i]).append("\r\n");
        }
        out.append("X-Forwarded-For: ").append(address).append("\r\n");
        if (!upgrade) out.append("Connection: close\r\n");
        return out.append("\r\n").toString();
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed: the other follows
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
