package app.parley.ops;

import java.util.Map;

/**
 * Operations settings (README, "Configuration"). {@code metricsToken}: the bearer token /metrics and /ops/drain ask
 * for, or null (then only loopback callers that no proxy forwarded get them). {@code drainSeconds}: how long a node
 * stopping on SIGTERM answers "not ready" before it stops, so a load balancer moves traffic away first.
 * {@code logFormat}: {@code text} or {@code json}; logback reads it from the environment itself (logback.xml),
 * it is checked here so that a typo stops the start instead of silencing the log.
 */
public record OpsSettings(String metricsToken, int drainSeconds, String logFormat) {
    public static OpsSettings from(Map<String, String> v) {
        String token = v.get("PARLEY_METRICS_TOKEN");
        if (token != null && token.isBlank()) token = null;
        if (token != null && token.strip().length() < 16) {
            throw new IllegalArgumentException("PARLEY_METRICS_TOKEN must be at least 16 characters.");
        }
        int drain = Integer.parseInt(v.getOrDefault("PARLEY_DRAIN_SECONDS", "5"));
        if (drain < 0) throw new IllegalArgumentException("PARLEY_DRAIN_SECONDS must be 0 or more.");
        String format = v.getOrDefault("PARLEY_LOG_FORMAT", "text").strip();
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("PARLEY_LOG_FORMAT must be text or json.");
        }
        return new OpsSettings(token == null ? null : token.strip(), drain, format);
    }

    /** Never print the token. */
    @Override
    public String toString() {
        return "OpsSettings[metricsToken=" + (metricsToken == null ? "none" : "set") + ", drainSeconds=" + drainSeconds
                + ", logFormat=" + logFormat + "]";
    }
}
