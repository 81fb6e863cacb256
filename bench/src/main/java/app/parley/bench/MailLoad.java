package app.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Inbound mail while the chat runs (issue #12, point 7): a few SMTP sessions to Parley's own listener, each
 * sending mail after mail to the shop's public address (a new sender and a new conversation each time: the
 * heaviest path, a contact, a visitor and a conversation per mail). A small SMTP client of its own, like Ws.java:
 * the load client needs no mail library. "accepted" counts the listener's 250 after DATA (the mail is then stored
 * with its job); "processed" is read from the database (threaded rows).
 */
final class MailLoad implements AutoCloseable {
    private static final AtomicLong SEQ = new AtomicLong();

    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean running = true;

    MailLoad(String host, int port, String to, int sessions) {
        for (int i = 0; i < sessions; i++) {
            senders.add(Thread.ofVirtual().name("mail-" + i).start(() -> session(host, port, to)));
        }
    }

    private void session(String host, int port, String to) {
        while (running) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                s.setSoTimeout(30_000);
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                expect(in, "220");
                command(out, in, "EHLO bench.example", "250");
                while (running) {
                    long n = SEQ.incrementAndGet();
                    String from = "shopper-" + n + "@bench.example";
                    command(out, in, "MAIL FROM:<" + from + ">", "250");
                    command(out, in, "RCPT TO:<" + to + ">", "250");
                    command(out, in, "DATA", "354");
                    String mail = "From: Shopper " + n + " <" + from + ">\r\nTo: <" + to + ">\r\nSubject: Question " + n
                            + "\r\nMessage-ID: <bench-" + n + "-" + System.nanoTime() + "@bench.example>\r\nMIME-Version: 1.0\r\n"
                            + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello, is item " + n + " in stock?\r\n\r\n"
                            + "On Mon, 7 Dec 2026 at 10:00, Shop <" + to + "> wrote:\r\n> Earlier text\r\n.\r\n";
                    out.write(mail.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String reply = in.readLine();
                    if (reply != null && reply.startsWith("250")) accepted.increment();
                    else refused.increment();
                }
                command(out, in, "QUIT", "221");
            } catch (IOException e) {
                refused.increment();
                if (running) pause();
            }
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    /** Reads a (possibly multi-line) reply and checks its code. */
    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new IOException("connection closed");
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) throw new IOException("expected " + code + ", got " + line);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : senders) t.join(java.time.Duration.ofSeconds(35));
    }
}
