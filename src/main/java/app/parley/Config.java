package app.parley;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Parley's settings, read from environment variables and, when present, a properties file
 * ({@code PARLEY_CONFIG}, default {@code ./parley.properties}) whose keys are the same names.
 * The environment wins over the file.
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        Path postgresBinaries,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String ownerEmail,
        String ownerPassword,
        String accountName,
        int eventRetentionDays,
        boolean secureCookies,
        int visitorMessageRate,
        int newVisitorsPerIpPerMinute,
        int newConversationsPerIpPerMinute,
        int passwordHashConcurrency,

        int backbonePollMillis,
        int webhookRetryBaseMillis,
        int webhookMaxAttempts,
        int visitorLeftGraceMillis,

        app.parley.channel.email.MailSettings mail,

        String trustedProxies,
        Path geoipDb,
        int pageViewQueue,
        int pageViewGatherMillis,

        boolean searchIndexing,

        String graphApiUrl,
        int messengerRetryBaseMillis,

        int recordingReadySeconds,
        app.parley.push.PushSettings push,
        app.parley.ops.OpsSettings ops,
        app.parley.instance.InstanceSettings instance,

        boolean cluster,
        int tailPollMillis,
        int nodeTimeoutSeconds) {

    public static Config load(Map<String, String> env) {
        Map<String, String> values = new HashMap<>(fileValues(env));
        values.putAll(env);
        try {
            return new Config(
                    values.getOrDefault("PARLEY_HOST", "0.0.0.0"),
                    Integer.parseInt(values.getOrDefault("PARLEY_PORT", "8080")),
                    dataDir(values),
                    values.containsKey("PARLEY_POSTGRES_BINARIES")
                            ? Path.of(values.get("PARLEY_POSTGRES_BINARIES")).toAbsolutePath().normalize()
                            : dataDir(values).resolve("postgres-binaries"),
                    blankToNull(values.get("PARLEY_DATABASE_URL")),
                    blankToNull(values.get("PARLEY_DATABASE_USER")),
                    blankToNull(values.get("PARLEY_DATABASE_PASSWORD")),
                    blankToNull(values.get("PARLEY_OWNER_EMAIL")),
                    blankToNull(values.get("PARLEY_OWNER_PASSWORD")),
                    values.getOrDefault("PARLEY_ACCOUNT_NAME", "My shop"),
                    Integer.parseInt(values.getOrDefault("PARLEY_EVENT_RETENTION_DAYS", "7")),
                    Boolean.parseBoolean(values.getOrDefault("PARLEY_SECURE_COOKIES", "false")),
                    Integer.parseInt(values.getOrDefault("PARLEY_VISITOR_MESSAGE_RATE", "5")),
                    // An office or a mobile network shows many shoppers behind one address: generous per-IP budgets.
                    positive(values, "PARLEY_NEW_VISITORS_PER_IP_PER_MINUTE", 30),
                    positive(values, "PARLEY_NEW_CONVERSATIONS_PER_IP_PER_MINUTE", 10),
                    // Each Argon2 check holds 64 MiB; one per core keeps sign-in fast without risking the heap.
                    positive(values, "PARLEY_PASSWORD_HASH_CONCURRENCY", Math.max(2, Runtime.getRuntime().availableProcessors())),

                    // The durable consumers' and jobs' slow poll: wake-ups after each commit make them quick.
                    Integer.parseInt(values.getOrDefault("PARLEY_BACKBONE_POLL_MS", "5000")),
                    Integer.parseInt(values.getOrDefault("PARLEY_WEBHOOK_RETRY_BASE_MS", "10000")),
                    Integer.parseInt(values.getOrDefault("PARLEY_WEBHOOK_MAX_ATTEMPTS", "15")),
                    // Going to the shop's next page closes the chat box and opens another within a second or two.
                    positive(values, "PARLEY_VISITOR_LEFT_GRACE_MS", 30_000),

                    app.parley.channel.email.MailSettings.from(values),

                    // Visitor tracking (issue #11).
                    blankToNull(values.get("PARLEY_TRUSTED_PROXIES")),
                    values.containsKey("PARLEY_GEOIP_DB") && !values.get("PARLEY_GEOIP_DB").isBlank()
                            ? Path.of(values.get("PARLEY_GEOIP_DB")).toAbsolutePath().normalize() : null,
                    positive(values, "PARLEY_PAGE_VIEW_QUEUE", 200_000),
                    // How long the tracking writer lets page views gather into one transaction (docs/ARCHITECTURE.md).
                    notNegative(values, "PARLEY_PAGE_VIEW_GATHER_MS", 500),

                    // Off only to measure what indexing costs the chat (bench/): searches then miss new messages.
                    Boolean.parseBoolean(values.getOrDefault("PARLEY_SEARCH_INDEXING", "true")),

                    // Facebook Messenger (docs/MESSENGER.md): another Graph API base for tests; the send retries' first pause.
                    values.getOrDefault("PARLEY_GRAPH_API_URL", "https://graph.facebook.com"),
                    positive(values, "PARLEY_MESSENGER_RETRY_BASE_MS", 10_000),

                    // Session recordings (issue #16): shown once no chunk came for this long (the visitor left).
                    positive(values, "PARLEY_RECORDING_READY_SECONDS", 120),
                    // Web Push to agents' devices (issue #17).
                    app.parley.push.PushSettings.from(values),
                    // Operations (issue #15, point 8): /metrics, draining, the log's format.
                    app.parley.ops.OpsSettings.from(values),
                    // Many shops in one installation (issue #15): the instance administrator's API and its secret.
                    app.parley.instance.InstanceSettings.from(values),

                    // Several nodes on one database (issue #15, docs/DEPLOY.md): on by default with an external database.
                    cluster(values),
                    // How often a node reads the log for commits it was not told of (a lost notification, a lost answer).
                    positive(values, "PARLEY_TAIL_POLL_MS", 1_000),
                    positive(values, "PARLEY_NODE_TIMEOUT_SECONDS", 15));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A numeric setting is not a number: " + e.getMessage(), e);
        }
    }

    private static int notNegative(Map<String, String> values, String name, int fallback) {
        int n = Integer.parseInt(values.getOrDefault(name, String.valueOf(fallback)));
        if (n < 0) throw new IllegalArgumentException(name + " must not be negative.");
        return n;
    }

    private static int positive(Map<String, String> values, String name, int fallback) {
        int n = Integer.parseInt(values.getOrDefault(name, String.valueOf(fallback)));
        if (n < 1) throw new IllegalArgumentException(name + " must be at least 1.");
        return n;
    }

    /** {@code PARLEY_CLUSTER}: on or off; unset, on exactly when the database is external (other nodes may share it). */
    private static boolean cluster(Map<String, String> values) {
        String v = values.get("PARLEY_CLUSTER");
        if (v == null || v.isBlank()) return blankToNull(values.get("PARLEY_DATABASE_URL")) != null;
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("PARLEY_CLUSTER must be on or off, not " + v.trim() + ".");
        };
    }

    private static Path dataDir(Map<String, String> values) {
        return Path.of(values.getOrDefault("PARLEY_DATA_DIR", "./data")).toAbsolutePath().normalize();
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    public Config withPort(int newPort) {
        return new Config(host, newPort, dataDir, postgresBinaries, databaseUrl, databaseUser, databasePassword, ownerEmail,
                ownerPassword, accountName, eventRetentionDays, secureCookies, visitorMessageRate, newVisitorsPerIpPerMinute,
                newConversationsPerIpPerMinute, passwordHashConcurrency, backbonePollMillis, webhookRetryBaseMillis,
                webhookMaxAttempts, visitorLeftGraceMillis, mail, trustedProxies, geoipDb, pageViewQueue, pageViewGatherMillis, searchIndexing,
                graphApiUrl, messengerRetryBaseMillis, recordingReadySeconds, push, ops, instance, cluster, tailPollMillis,
                nodeTimeoutSeconds);
    }

    private static Map<String, String> fileValues(Map<String, String> env) {
        String name = env.getOrDefault("PARLEY_CONFIG", "parley.properties");
        if (name.isBlank()) return Map.of();
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            if (env.containsKey("PARLEY_CONFIG")) {
                throw new IllegalArgumentException("PARLEY_CONFIG names a file that does not exist: " + file);
            }
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> map = new HashMap<>();
        properties.forEach((k, v) -> map.put(k.toString().trim(), v.toString().trim()));
        return map;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Never print the secrets. */
    @Override
    public String toString() {
        return "Config[port=" + port + ", dataDir=" + dataDir + ", database="
                + (embeddedDatabase() ? "embedded" : "external") + "]";
    }
}
