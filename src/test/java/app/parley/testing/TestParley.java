package app.parley.testing;

import app.parley.Config;
import app.parley.Parley;
import app.parley.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Parley for tests: its own fresh database on one embedded PostgreSQL shared by the test JVM, a random
 * port, an owner account. {@link #restart()} stops the server and starts it again on the same port and data.
 */
public final class TestParley implements AutoCloseable {
    public static final String OWNER_EMAIL = "owner@shop.test";
    public static final String OWNER_PASSWORD = "owner-password-1";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private final Config config;
    private final Map<String, String> env;
    private Parley parley;

    private TestParley(Config config) {
        this(config, Map.of());
    }

    private TestParley(Config config, Map<String, String> env) {
        this.config = config;
        this.env = Map.copyOf(env);
        this.parley = Parley.start(config);
    }

    /**
     * Another node of this Parley (issue #15): a second {@code Parley} in this JVM on the same database, on a port of
     * its own, with this one's settings and {@code settings} on top. Close it on its own.
     */
    public TestParley anotherNode(Map<String, String> settings) {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(settings);
        e.put("PARLEY_PORT", "0");
        return new TestParley(Config.load(e), e);
    }

    /** A fresh Parley with its own empty database. */
    public static TestParley start() {
        return start(Map.of());
    }

    /** A fresh Parley with its own empty database and some settings of the test's own (PARLEY_… names). */
    public static TestParley start(Map<String, String> settings) {
        String db = "parley_test_" + DATABASES.incrementAndGet();
        EmbeddedPostgres pg = postgres();
        try (var c = pg.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create test database " + db, e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_PORT", "0");
        env.put("PARLEY_HOST", "127.0.0.1");
        env.put("PARLEY_DATABASE_URL", pg.getJdbcUrl("postgres", db));
        env.put("PARLEY_DATABASE_USER", "postgres");
        env.put("PARLEY_OWNER_EMAIL", OWNER_EMAIL);
        env.put("PARLEY_OWNER_PASSWORD", OWNER_PASSWORD);
        env.put("PARLEY_ACCOUNT_NAME", "Test Shop");
        env.put("PARLEY_CONFIG", "");
        // Every test's chat boxes come from 127.0.0.1: the per-address limits are lifted unless a test sets them.
        env.put("PARLEY_NEW_VISITORS_PER_IP_PER_MINUTE", "1000000");
        env.put("PARLEY_NEW_CONVERSATIONS_PER_IP_PER_MINUTE", "1000000");
        // One node, as Parley runs by default (its embedded database); tests of several nodes turn it on.
        env.put("PARLEY_CLUSTER", "off");
        // Page views wait 50 ms for each other rather than Parley's 500 (TrackingApiTest runs with the default).
        env.put("PARLEY_PAGE_VIEW_GATHER_MS", "50");
        env.putAll(settings);
        return new TestParley(Config.load(env), env);
    }

    /** One embedded PostgreSQL per test JVM, durable settings as in production. */
    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                Path dir = Files.createTempDirectory("parley-test-pg");
                postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                        .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                        .setServerConfig("max_connections", "300").start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start embedded PostgreSQL for tests", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    /**
     * A superuser connection to the test JVM's PostgreSQL (its maintenance database), for tests that act on the
     * server from outside Parley: refuse a database's connections, end its sessions.
     */
    public static java.sql.Connection serverAdmin() throws java.sql.SQLException {
        return postgres().getPostgresDatabase().getConnection();
    }

    /** The JDBC address of this Parley's own database on the test server (user postgres): for more nodes on it. */
    public String databaseUrl() {
        return config.databaseUrl();
    }

    /** The name of this Parley's own database on the test server. */
    public String databaseName() {
        return parley.database().jdbi().withHandle(h -> h.createQuery("SELECT current_database()").mapTo(String.class).one());
    }

    public int port() {
        return parley.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + parley.port();
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + parley.port();
    }

    public Parley parley() {
        return parley;
    }

    public String accountKey() {
        return parley.database().jdbi().withHandle(h -> h.createQuery("SELECT chat_key FROM accounts ORDER BY id LIMIT 1")
                .mapTo(String.class).one());
    }

    /** Stops Parley (gracefully, as on SIGTERM) and starts it again on the same port and database. */
    public void restart() {
        int port = parley.port();
        parley.close();
        parley = Parley.start(config.withPort(port));
    }

    /** Stops it without starting again (for tests of what a client does while the server is down). */
    public void stop() {
        parley.close();
    }

    /** Starts it again after {@link #stop()}, on the same port. */
    public void startAgain(int port) {
        parley = Parley.start(config.withPort(port));
    }

    /** An HTTP client signed in as the owner. */
    public Api owner() {
        return login(OWNER_EMAIL, OWNER_PASSWORD);
    }

    /** What the shop's server sends with an identity it vouches for: {@code value} signed with the account's secret. */
    public String identityHash(String value) {
        return hmacHex(owner().get("/v2/account/identity-secret").path("secret").asText(), value);
    }

    /** HMAC-SHA256 of {@code value} with {@code key}, hex: the shop's identity hash, computed as the shop would. */
    public static String hmacHex(String key, String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Api login(String email, String password) {
        return loginAt(baseUrl(), email, password);
    }

    /** Signs in to any Parley (for tests that run one as a separate process). */
    public static Api loginAt(String baseUrl, String email, String password) {
        Api api = new Api(baseUrl);
        JsonNode me = api.post("/auth/login", Map.of("email", email, "password", password));
        if (!me.has("csrf_token")) throw new IllegalStateException("Login failed: " + me);
        api.csrf = me.get("csrf_token").asText();
        api.me = me;
        return api;
    }

    /** Creates an agent ("admin" or "agent") through the API as the owner; returns a client signed in as them. */
    public Api createAgent(String email, String name, String password, String role) {
        Api owner = owner();
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("name", name);
        body.put("password", password);
        body.put("role", role);
        owner.expect(201, "POST", "/v2/agents", body);
        return login(email, password);
    }

    @Override
    public void close() {
        parley.close();
    }

    /** A small JSON HTTP client with a cookie jar and the CSRF header, for tests. */
    public static final class Api {
        private final String base;
        private final HttpClient http;
        private String csrf;
        private JsonNode me;
        public int lastStatus;

        Api(String base) {
            this.base = base;
            this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        }

        public JsonNode me() {
            return me;
        }

        public long agentId() {
            return me.get("agent").get("id").asLong();
        }

        public JsonNode get(String path) {
            return send("GET", path, null);
        }

        public JsonNode post(String path, Object body) {
            return send("POST", path, body);
        }

        public JsonNode patch(String path, Object body) {
            return send("PATCH", path, body);
        }

        public JsonNode put(String path, Object body) {
            return send("PUT", path, body);
        }

        public JsonNode delete(String path) {
            return send("DELETE", path, null);
        }

        /** Sends and fails unless the status is the expected one. */
        public JsonNode expect(int status, String method, String path, Object body) {
            JsonNode r = send(method, path, body);
            if (lastStatus != status) {
                throw new AssertionError(method + " " + path + " answered " + lastStatus + ", expected " + status + ": " + r);
            }
            return r;
        }

        /** Sends a raw body (for malformed-input tests). */
        public JsonNode raw(String method, String path, String contentType, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) b.header("Content-Type", contentType);
            if (csrf != null) b.header("X-CSRF-Token", csrf);
            return exchange(b.build());
        }

        /** Sends bytes as the body (a file upload), with the session and CSRF header. */
        public JsonNode bytes(String method, String path, byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/octet-stream");
            if (csrf != null) b.header("X-CSRF-Token", csrf);
            return exchange(b.build());
        }

        /** A GET whose answer is kept whole (bytes and headers): a file download. */
        public HttpResponse<byte[]> download(String path) {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                lastStatus = r.statusCode();
                return r;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public JsonNode send(String method, String path, Object body) {
            return raw(method, path, body == null ? null : "application/json", body == null ? null : Json.write(body));
        }

        private JsonNode exchange(HttpRequest request) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                lastStatus = response.statusCode();
                String text = response.body();
                return text == null || text.isBlank() ? Json.object() : Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public HttpClient client() {
            return http;
        }
    }
}
