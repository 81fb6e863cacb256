package app.parley.files;

import static org.assertj.core.api.Assertions.assertThat;

import app.parley.testing.TestParley;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V18 moves the mail and Messenger attachments already kept onto the one file store, bytes and numbering intact. */
class FilesMigrationTest {
    @Test
    void attachmentsKeptBeforeMoveOntoTheFileStore() throws Exception {
        String url;
        try (Connection admin = TestParley.serverAdmin(); var s = admin.createStatement()) {
            s.execute("CREATE DATABASE parley_files_migration");
            url = admin.getMetaData().getURL().replaceAll("/postgres(\\?|$)", "/parley_files_migration$1");
        }
        Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/migration").target("15").load().migrate();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        try (Connection c = DriverManager.getConnection(url, "postgres", null); var s = c.createStatement()) {
            s.execute("INSERT INTO accounts (id, name, chat_key) VALUES (1, 'Shop', 'k1')");
            s.execute("INSERT INTO visitors (id, account_id, visitor_key) VALUES (1, 1, 'v1')");
            s.execute("INSERT INTO conversations (id, account_id, visitor_id, channel) VALUES (1, 1, 1, 'email')");
            try (var p = c.prepareStatement("INSERT INTO email_attachments (account_id, conversation_id, parley_message_id, "
                    + "ordinal, filename, content_type, size, sha256, content) VALUES (1, 1, 77, 2, 'cracked-lid.png', 'image/png', 12, 'abc', ?)")) {
                p.setBytes(1, png);
                p.execute();
            }
            s.execute("INSERT INTO conversations (id, account_id, visitor_id, channel) VALUES (2, 1, 1, 'facebook')");
            s.execute("INSERT INTO messages (id, account_id, conversation_id, kind, sub_type) VALUES (88, 1, 2, 'message', 'contact')");
            // The message's first attachment was never fetched (its URL expired); the second was.
            s.execute("INSERT INTO messenger_attachments (message_id, account_id, type, source_url) VALUES (88, 1, 'image', 'https://cdn/x')");
            try (var p = c.prepareStatement("INSERT INTO messenger_attachments (message_id, account_id, type, source_url, content, "
                    + "content_type, fetched_at) VALUES (88, 1, 'image', 'https://cdn/a', ?, 'image/png', now())")) {
                p.setBytes(1, png);
                p.execute();
            }
        }
        Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); var s = c.createStatement()) {
            ResultSet r = s.executeQuery("SELECT public_id, message_id, ordinal, source, filename, content, conversation_id "
                    + "FROM files ORDER BY message_id");
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).matches("[0-9a-f]{32}");
            assertThat(r.getLong(2)).isEqualTo(77);
            assertThat(r.getInt(3)).isEqualTo(2);
            assertThat(r.getString(4)).isEqualTo("email");
            assertThat(r.getString(5)).isEqualTo("cracked-lid.png");
            assertThat(r.getBytes(6)).isEqualTo(png);
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(2)).isEqualTo(88);
            assertThat(r.getInt(3)).as("its place among the message's attachments").isEqualTo(1);
            assertThat(r.getString(4)).isEqualTo("messenger");
            assertThat(r.getLong(7)).isEqualTo(2);
            assertThat(r.getBytes(6)).isEqualTo(png);
            assertThat(r.next()).isFalse();
            ResultSet gone = s.executeQuery("SELECT to_regclass('email_attachments') IS NULL, "
                    + "NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'messenger_attachments' AND column_name = 'content')");
            gone.next();
            assertThat(gone.getBoolean(1)).as("one store: the mail attachments' own table is gone").isTrue();
            assertThat(gone.getBoolean(2)).as("one store: Messenger keeps no bytes of its own").isTrue();
        }
    }
}
