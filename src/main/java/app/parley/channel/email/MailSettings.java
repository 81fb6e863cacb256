package app.parley.channel.email;

import java.util.Map;

/**
 * The instance's mail settings (PARLEY_SMTP_*, PARLEY_INBOUND_*, PARLEY_IMAP_*, PARLEY_NOTIFY_DELAY_MILLIS). An
 * account may override the SMTP server in Settings ({@link EmailSettings}).
 */
public record MailSettings(
        Smtp smtp,
        int inboundSmtpPort,
        String inboundDomain,
        Imap imap,
        long notifyDelayMillis,
        long retryBaseMillis,
        int maxAttempts,
        String publicUrl) {

    /** An SMTP server to send through; {@code host} null: none configured. */
    public record Smtp(String host, int port, String user, String password, boolean tls, String from) {
        public boolean configured() {
            return host != null && from != null;
        }

        /** Never print the password. */
        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + ", from=" + from + "]";
        }
    }

    /** A mailbox to poll; {@code host} null: none. */
    public record Imap(String host, int port, String user, String password, boolean tls, String folder) {
        public boolean configured() {
            return host != null && user != null;
        }

        @Override
        public String toString() {
            return "Imap[" + host + ":" + port + ", " + user + "]";
        }
    }

    public static MailSettings from(Map<String, String> v) {
        boolean smtpTls = Boolean.parseBoolean(v.getOrDefault("PARLEY_SMTP_TLS", "false"));
        boolean imapTls = Boolean.parseBoolean(v.getOrDefault("PARLEY_IMAP_TLS", "false"));
        return new MailSettings(
                new Smtp(blank(v.get("PARLEY_SMTP_HOST")), Integer.parseInt(v.getOrDefault("PARLEY_SMTP_PORT", smtpTls ? "465" : "25")),
                        blank(v.get("PARLEY_SMTP_USER")), blank(v.get("PARLEY_SMTP_PASSWORD")), smtpTls,
                        blank(v.get("PARLEY_SMTP_FROM"))),
                // -1: no listener. 0: any free port (tests).
                Integer.parseInt(v.getOrDefault("PARLEY_INBOUND_SMTP_PORT", "-1")),
                v.getOrDefault("PARLEY_INBOUND_DOMAIN", "localhost").trim().toLowerCase(java.util.Locale.ROOT),
                new Imap(blank(v.get("PARLEY_IMAP_HOST")), Integer.parseInt(v.getOrDefault("PARLEY_IMAP_PORT", imapTls ? "993" : "143")),
                        blank(v.get("PARLEY_IMAP_USER")), blank(v.get("PARLEY_IMAP_PASSWORD")), imapTls,
                        v.getOrDefault("PARLEY_IMAP_FOLDER", "INBOX")),
                // About two minutes after the event (issue #12, point 4); tests shorten it.
                Long.parseLong(v.getOrDefault("PARLEY_NOTIFY_DELAY_MILLIS", "120000")),
                Long.parseLong(v.getOrDefault("PARLEY_EMAIL_RETRY_BASE_MS", "30000")),
                Integer.parseInt(v.getOrDefault("PARLEY_EMAIL_MAX_ATTEMPTS", "10")),
                blank(v.get("PARLEY_PUBLIC_URL")));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
