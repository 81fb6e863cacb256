package app.parley.push;

import java.util.Map;

/**
 * Web Push settings (README, "Configuration"). {@code subject} is the VAPID contact (RFC 8292 §2.1: a mailto: or an
 * https: URL) that a push service may use to reach the operator; {@code allowHttp} admits plain-http push
 * endpoints, which no real push service uses (a local test service does).
 */
public record PushSettings(String subject, boolean allowHttp, long retryBaseMillis, int maxAttempts) {
    public static PushSettings from(Map<String, String> v) {
        String publicUrl = v.get("PARLEY_PUBLIC_URL");
        String subject = v.get("PARLEY_PUSH_SUBJECT");
        if (subject == null || subject.isBlank()) {
            subject = publicUrl != null && publicUrl.trim().startsWith("https://") ? publicUrl.trim() : "mailto:push@parley.invalid";
        }
        subject = subject.trim();
        if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
            throw new IllegalArgumentException("PARLEY_PUSH_SUBJECT must be a mailto: address or an https: URL.");
        }
        return new PushSettings(subject, Boolean.parseBoolean(v.getOrDefault("PARLEY_PUSH_ALLOW_HTTP", "false")),
                Long.parseLong(v.getOrDefault("PARLEY_PUSH_RETRY_BASE_MS", "10000")),
                Integer.parseInt(v.getOrDefault("PARLEY_PUSH_MAX_ATTEMPTS", "8")));
    }
}
