package app.parley.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A push service (RFC 8030) on a local port, for tests: it holds subscriptions as a browser would (a P-256 key pair
 * and an auth secret each), checks every push's VAPID token (RFC 8292: ES256 over the claims, the audience is this
 * origin, it expires within 24 h, the key in the header verifies it) and decrypts the aes128gcm payload with the
 * subscription's private key (RFC 8291 §3.4, as a user agent does). A push that fails a check is answered 400/401
 * and recorded as a problem; each subscription may be told which statuses to answer first (503, 410…).
 */
final class PushService implements AutoCloseable {
    /** A subscription the way {@code PushSubscription.toJSON()} gives it, plus what the browser keeps to itself. */
    record Subscription(String id, String endpoint, String p256dh, String auth, KeyPair keys, byte[] authSecret) {
        Map<String, Object> json(String label) {
            return Map.of("endpoint", endpoint, "keys", Map.of("p256dh", p256dh, "auth", auth), "label", label);
        }
    }

    /** A push that arrived and passed every check: the decrypted notification, the VAPID key and the headers. */
    record Push(String subscriptionId, JsonNode notice, String vapidKey, String ttl, String urgency, String topic) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final HttpServer server;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    final List<Push> received = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final List<String> attempts = new CopyOnWriteArrayList<>();

    PushService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/push/", this::handle);
        server.start();
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Subscription subscribe() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        byte[] auth = new byte[16];
        RANDOM.nextBytes(auth);
        String id = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        Subscription s = new Subscription(id, origin() + "/push/" + id, b64(raw((ECPublicKey) keys.getPublic())), b64(auth), keys, auth);
        subscriptions.put(id, s);
        return s;
    }

    /** The next pushes to this subscription are answered with these statuses, then 201. */
    void answer(Subscription s, Integer... statuses) {
        scripted.put(s.id(), new ArrayDeque<>(Arrays.asList(statuses)));
    }

    List<Push> to(Subscription s) {
        return received.stream().filter(p -> p.subscriptionId().equals(s.id())).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String id = x.getRequestURI().getPath().substring("/push/".length());
            attempts.add(id);
            Subscription s = subscriptions.get(id);
            if (s == null || !"POST".equals(x.getRequestMethod())) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = x.getRequestBody().readAllBytes();
            String vapidKey;
            JsonNode notice;
            try {
                vapidKey = checkVapid(x.getRequestHeaders().getFirst("Authorization"));
                if (!"aes128gcm".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) throw new IllegalStateException("Content-Encoding");
                if (x.getRequestHeaders().getFirst("TTL") == null) throw new IllegalStateException("no TTL (RFC 8030 §5.2 requires it)");
                notice = JSON.readTree(decrypt(s, body));
            } catch (Exception e) {
                problems.add(id + ": " + e);
                x.sendResponseHeaders(e instanceof SecurityException ? 401 : 400, -1);
                return;
            }
            Deque<Integer> script = scripted.get(id);
            Integer status = script == null ? null : script.poll();
            if (status != null) {
                x.sendResponseHeaders(status, -1);
                return;
            }
            received.add(new Push(id, notice, vapidKey, x.getRequestHeaders().getFirst("TTL"),
                    x.getRequestHeaders().getFirst("Urgency"), x.getRequestHeaders().getFirst("Topic")));
            x.getResponseHeaders().add("Location", origin() + "/message/" + received.size());
            x.sendResponseHeaders(201, -1);
        }
    }

    /** RFC 8292 §3: {@code vapid t=<JWT>, k=<public key>}; the JWT is ES256-signed by k. Returns k. */
    private String checkVapid(String authorization) throws Exception {
        if (authorization == null || !authorization.startsWith("vapid ")) throw new SecurityException("no vapid Authorization");
        String t = null;
        String k = null;
        for (String part : authorization.substring(6).split(",")) {
            String[] kv = part.strip().split("=", 2);
            if (kv[0].equals("t")) t = kv[1];
            if (kv[0].equals("k")) k = kv[1];
        }
        if (t == null || k == null) throw new SecurityException("vapid t or k missing");
        String[] jwt = t.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        if (!"ES256".equals(header.path("alg").asText())) throw new SecurityException("alg " + header);
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(publicKey(Base64.getUrlDecoder().decode(k)));
        es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        if (!es256.verify(Base64.getUrlDecoder().decode(jwt[2]))) throw new SecurityException("bad JWT signature");
        if (!origin().equals(claims.path("aud").asText())) throw new SecurityException("aud " + claims.path("aud"));
        long exp = claims.path("exp").asLong();
        long now = System.currentTimeMillis() / 1000;
        if (exp <= now || exp > now + 24 * 3600) throw new SecurityException("exp " + exp);
        String sub = claims.path("sub").asText();
        if (!sub.startsWith("mailto:") && !sub.startsWith("https:")) throw new SecurityException("sub " + sub);
        return k;
    }

    /** RFC 8291 §3.4 and RFC 8188: the user agent's side. */
    static byte[] decrypt(Subscription s, byte[] body) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        int rs = in.getInt();
        int idLength = in.get() & 0xff;
        byte[] asPublic = new byte[idLength];
        in.get(asPublic);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        if (idLength != 65 || ciphertext.length > rs) throw new IllegalStateException("one record with a 65-byte key id expected");

        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(s.keys().getPrivate());
        ecdh.doPhase(publicKey(asPublic), true);
        byte[] ecdhSecret = ecdh.generateSecret();
        byte[] uaPublic = raw((ECPublicKey) s.keys().getPublic());
        byte[] prkKey = hmac(s.authSecret(), ecdhSecret);
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic, new byte[] {1});
        byte[] ikm = hmac(prkKey, keyInfo);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = Arrays.copyOf(hmac(prk, concat("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 16);
        byte[] nonce = Arrays.copyOf(hmac(prk, concat("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 12);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = aes.doFinal(ciphertext);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) end--;
        if (end < 0 || padded[end] != 2) throw new IllegalStateException("the last record's delimiter (0x02) is missing");
        return Arrays.copyOf(padded, end);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    static byte[] raw(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        byte[] x = unsigned(key.getW().getAffineX());
        byte[] y = unsigned(key.getW().getAffineY());
        System.arraycopy(x, 0, out, 1 + 32 - x.length, x.length);
        System.arraycopy(y, 0, out, 33 + 32 - y.length, y.length);
        return out;
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b.length > 32 ? Arrays.copyOfRange(b, b.length - 32, b.length) : b;
    }

    static ECPublicKey publicKey(byte[] point) throws Exception {
        if (point.length != 65 || point[0] != 4) throw new SecurityException("not an uncompressed P-256 point");
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)), new BigInteger(1, Arrays.copyOfRange(point, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
