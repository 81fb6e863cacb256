package app.parley.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.Await;
import app.parley.testing.TestParley;
import app.parley.testing.TestSocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The world of the shared mail fixtures for tests: a real SMTP+IMAP server (GreenMail) Parley sends through and
 * polls, a Parley with its inbound SMTP listener for {@code inbound.parley.example}, and helpers to seed a
 * conversation whose first mail Parley really sent, and to deliver a fixture with the generated token and
 * Message-ID substituted (README, "Substitution").
 */
final class MailWorld implements AutoCloseable {
    static final String DOMAIN = "inbound.parley.example";
    static final String SHOP = "support@shop.example";

    final GreenMail mail;
    final TestParley app;
    final TestParley.Api owner;

    /** A conversation with its first mail sent: the token and Message-ID Parley generated for it. */
    record Seed(long conversationId, String token, String messageId, long outboundMessageId) {}

    MailWorld(Map<String, String> extra) {
        mail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        mail.setUser(SHOP, SHOP, "mailbox-password");
        var settings = new java.util.HashMap<String, String>(Map.of(
                "PARLEY_SMTP_HOST", "127.0.0.1",
                "PARLEY_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                "PARLEY_SMTP_FROM", "Example Shop <" + SHOP + ">",
                "PARLEY_INBOUND_SMTP_PORT", "0",
                "PARLEY_INBOUND_DOMAIN", DOMAIN,
                "PARLEY_BACKBONE_POLL_MS", "300",
                "PARLEY_EMAIL_RETRY_BASE_MS", "200"));
        settings.put("PARLEY_IMAP_HOST", "127.0.0.1");
        settings.put("PARLEY_IMAP_PORT", Integer.toString(mail.getImap().getPort()));
        settings.put("PARLEY_IMAP_USER", SHOP);
        settings.put("PARLEY_IMAP_PASSWORD", "mailbox-password");
        settings.putAll(extra);
        app = TestParley.start(settings);
        owner = app.owner();
        owner.patch("/auth/me", Map.of("name", "Petra Novak"));
    }

    int listenerPort() {
        return app.parley().email().inboundPort();
    }

    /** A visitor writes in the chat box, an agent puts their address on the card and answers by email. */
    Seed seed(String visitorEmail) {
        long conversationId;
        try (TestSocket v = TestSocket.visitor(app, null, null)) {
            v.await("welcome");
            String clientId = TestSocket.clientId();
            v.send(Map.of("type", "message", "client_id", clientId, "text", "Where is my order?"));
            conversationId = v.await(f -> "ack".equals(f.path("type").asText())).path("message").path("conversation_id").asLong();
        }
        JsonNode conversation = owner.get("/v2/conversations/" + conversationId);
        owner.patch("/v2/visitors/" + conversation.path("visitor_id").asLong(), Map.of("email", visitorEmail));
        JsonNode sent = owner.expect(201, "POST", "/v2/conversations/" + conversationId + "/messages",
                Map.of("text", "Hello, your order left our warehouse today.", "channel", "email"));
        MimeMessage m;
        try {
            String mine = "/messages/" + sent.path("id").asLong() + "@";
            m = await(() -> Arrays.stream(mail.getReceivedMessages())
                    .filter(x -> messageIdOf(x).contains(mine)).findFirst().orElse(null));
        } catch (AssertionError e) {
            throw new AssertionError("Mail of message " + sent + " not sent; jobs: " + app.parley().database().jdbi().withHandle(h ->
                    h.createQuery("SELECT concat_ws(' ', kind, state, attempts, last_error) FROM jobs").mapTo(String.class).list())
                    + ", mails: " + app.parley().database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT concat_ws(' ', message_id, delivery_status, delivery_fail_reason) FROM email_messages")
                    .mapTo(String.class).list()) + ", cursors: " + app.parley().database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT concat_ws(' ', p.name, p.account_id, p.last_seq, s.seq) FROM event_consumer_positions p JOIN account_seqs s USING (account_id)").mapTo(String.class).list())
                    + ", threads: " + app.parley().database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT concat_ws(' ', conversation_id, token, address) FROM email_threads").mapTo(String.class).list())
                    + ", events: " + app.parley().database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT concat_ws(' ', seq, type, left(agent_payload, 150)) FROM events WHERE conversation_id = :c ORDER BY seq").bind("c", conversationId).mapTo(String.class).list())
                    + ", activity: " + app.parley().database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT concat_ws(' | ', state, wait_event_type, wait_event, left(query, 120)) FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle'").mapTo(String.class).list()), e);
        }
        try {
            String replyTo = ((InternetAddress) m.getReplyTo()[0]).getAddress();
            String token = ReplyAddress.tokenOf(replyTo, DOMAIN).orElseThrow();
            return new Seed(conversationId, token, m.getMessageID(), sent.path("id").asLong());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture's bytes with the README's token and Parley Message-ID replaced by the seed's. */
    static byte[] substituted(String fixture, String readmeToken, Seed seed) {
        String raw = new String(MailFixtures.raw(fixture), StandardCharsets.ISO_8859_1);
        raw = raw.replace("<conversation/" + readmeToken + "/messages/1@parley.example>", seed.messageId())
                .replace(readmeToken, seed.token());
        // Each case is independent: the visitor's own Message-ID is made unique to the seed, so that delivering one
        // fixture in several tests is not the same mail stored once.
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("(?im)^Message-I[dD]:\\s*<([^@>]+)@").matcher(raw);
        if (own.find()) raw = raw.replace("<" + own.group(1) + "@", "<" + own.group(1) + "." + seed.token() + "@");
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Delivers raw bytes to Parley's SMTP listener, to the envelope recipient given. */
    void deliver(byte[] raw, String recipient) {
        deliver(raw, recipient, listenerPort());
    }

    /** Delivers raw bytes to the shop's mailbox on the mail server, which Parley reads by IMAP. */
    void deliverToMailbox(byte[] raw) {
        deliver(raw, SHOP, mail.getSmtp().getPort());
    }

    private static void deliver(byte[] raw, String recipient, int port) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.from", "sender@example.com");
        Session s = Session.getInstance(p);
        try (Transport t = s.getTransport("smtp")) {
            t.connect();
            MimeMessage m = new MimeMessage(s, new ByteArrayInputStream(raw));
            t.sendMessage(m, new Address[] {new InternetAddress(recipient)});
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException("Delivery refused: " + e.getMessage(), e);
        }
    }

    /** Waits until Parley has decided what the mail with this Message-ID is; its state. */
    String processed(String messageId) {
        try {
            return await(() -> app.parley().database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT state FROM email_inbound WHERE message_id = :m AND state <> 'received'")
                    .bind("m", messageId).mapTo(String.class).findOne().orElse(null)));
        } catch (AssertionError e) {
            throw new AssertionError("Mail " + messageId + " not processed; stored: " + rows(
                    "SELECT concat_ws(' ', id, state, outcome, received_at) FROM email_inbound ORDER BY id DESC LIMIT 3")
                    + ", jobs: " + rows("SELECT concat_ws(' ', id, kind, state, payload, attempts, due_at, locked_until, now(), "
                            + "left(last_error, 200)) FROM jobs ORDER BY id")
                    + ", activity: " + rows("SELECT concat_ws(' | ', state, wait_event_type, wait_event, left(query, 120)) "
                            + "FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle'"), e);
        }
    }

    private List<String> rows(String sql) {
        return app.parley().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    long count(String sql, Object... binds) {
        return app.parley().database().jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < binds.length; i++) q.bind(i, binds[i]);
            return q.mapTo(Long.class).one();
        });
    }

    JsonNode messages(long conversationId) {
        return owner.get("/v2/conversations/" + conversationId + "/messages?limit=100").path("items");
    }

    static String messageIdOf(MimeMessage m) {
        try {
            return String.valueOf(m.getMessageID());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String recipient(MimeMessage m) {
        try {
            return ((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(Supplier<T> probe) {
        return Await.value(probe);
    }

    @Override
    public void close() {
        app.close();
        mail.stop();
    }

    static void assertVisible(String text, String expected, String mayEndWith) {
        String t = MailFixtures.visible(text);
        if (mayEndWith != null && t.endsWith(mayEndWith)) t = t.substring(0, t.length() - mayEndWith.length()).strip();
        assertThat(t).isEqualTo(expected);
    }
}
