package app.parley.http;

import app.parley.core.Refusal;
import app.parley.ops.Metrics;
import app.parley.ops.OpsSettings;
import app.parley.ops.Readiness;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Operations: liveness and readiness probes for a load balancer or an orchestrator, Prometheus metrics, and
 * draining a node before a rolling upgrade (docs/OPERATIONS.md). /metrics and /ops/drain take the bearer token
 * PARLEY_METRICS_TOKEN; without one they answer only callers on this machine that no proxy forwarded.
 */
public final class OpsRoutes {
    private static final String STARTED = "parley.ops.started";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    record DrainRequest(Boolean draining) {}

    private final Metrics metrics;
    private final Readiness readiness;
    private final byte[] token;

    public OpsRoutes(Metrics metrics, Readiness readiness, OpsSettings settings) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.token = settings.metricsToken() == null ? null : settings.metricsToken().getBytes(StandardCharsets.UTF_8);
    }

    public void register(RoutesConfig r) {
        r.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        r.after(this::count);
        r.get("/health/live", ctx -> {
            if (readiness.live()) {
                ctx.json(Map.of("status", "ok"));
                return;
            }
            Http.error(ctx, 503, "not_live", "The journal writer has stopped; restart this node.", null);
        });
        r.get("/health/ready", ctx -> {
            Readiness.NotReady why = readiness.notReady();
            if (why == null) {
                ctx.json(Map.of("status", "ok"));
                return;
            }
            ctx.header("Retry-After", "2");
            Http.error(ctx, 503, why.code, why.message, null);
        });
        r.get("/metrics", ctx -> {
            guard(ctx);
            ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
        });
        r.post("/ops/drain", ctx -> {
            guard(ctx);
            DrainRequest in = Http.body(ctx, DrainRequest.class);
            if (in == null || in.draining() == null) throw Refusal.invalid("draining", "Send {\"draining\": true} or false.");
            readiness.drain(in.draining());
            ctx.json(Map.of("draining", readiness.draining()));
        });
    }

    private void count(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) return;
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        int status = ctx.statusCode();
        String route = matched != null ? matched.path : status == 404 ? "unmatched" : "other";
        metrics.response(ctx.method().name(), route, status, System.nanoTime() - started);
    }

    private void guard(Context ctx) {
        if (token != null) {
            String header = ctx.header("Authorization");
            byte[] given = header != null && header.startsWith("Bearer ")
                    ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(given, token)) {
                throw new Refusal(Refusal.Kind.UNAUTHENTICATED, "unauthenticated", "Use 'Authorization: Bearer <PARLEY_METRICS_TOKEN>'.");
            }
            return;
        }
        if (!local(ctx.req().getRemoteAddr(), forwarded(ctx))) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "metrics_not_public",
                    "Set PARLEY_METRICS_TOKEN to reach this from another machine; without it only this machine may.");
        }
    }

    // A reverse proxy on the same machine makes every visitor look local: a forwarded request is never local.
    private static boolean forwarded(Context ctx) {
        return ctx.header("X-Forwarded-For") != null || ctx.header("Forwarded") != null || ctx.header("X-Real-IP") != null;
    }

    /** Whether a caller at {@code remoteAddress} (an IP literal, as Jetty gives it) is this machine, unproxied. */
    static boolean local(String remoteAddress, boolean forwarded) {
        if (forwarded || remoteAddress == null) return false;
        try {
            String literal = remoteAddress.startsWith("[") ? remoteAddress.substring(1, remoteAddress.length() - 1) : remoteAddress;
            // Only IP literals are parsed (a name would be looked up in DNS): Jetty gives literals, anything else is refused.
            if (!literal.contains(":") && !literal.matches("[0-9.]+")) return false;
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
