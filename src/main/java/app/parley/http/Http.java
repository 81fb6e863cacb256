package app.parley.http;

import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.core.CardNumberMasker;
import app.parley.core.Input;
import app.parley.core.Json;
import app.parley.core.Refusal;
import app.parley.store.Database;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web server: JSON errors with stable codes, authentication, static files, and the routes. */
public final class Http {
    private static final Logger log = LoggerFactory.getLogger(Http.class);
    public static final String SESSION_COOKIE = "parley_session";
    private static final long MAX_BODY = 64 * 1024;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String CALLER = "parley.caller";

    private Http() {}

    public static Javalin create(Auth auth, boolean secureCookies, Consumer<io.javalin.config.RoutesConfig> routes) {
        return Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            // Jetty's own pool: its selectors stay on platform threads and hand every blocking task (a request, a
            // socket frame) to a new virtual thread. Javalin's default with virtual threads runs the selectors as
            // virtual threads too, one more scheduling step on each frame's way in (bench/README.md).
            QueuedThreadPool pool = new QueuedThreadPool(64, 4, 60_000);
            pool.setName("parley-http");
            pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            cfg.jetty.threadPool = pool;
            // Parley keeps no state in servlet sessions, but Javalin reads a session's attributes on every socket
            // upgrade, which made Jetty create one per chat box (a JSESSIONID cookie in the shop's page, and an
            // object kept in memory after the socket closed): sessions are neither cached nor sent as cookies.
            cfg.jetty.modifyServletContextHandler(handler -> {
                SessionHandler sessions = handler.getSessionHandler();
                NullSessionCache none = new NullSessionCache(sessions);
                none.setSessionDataStore(new NullSessionDataStore());
                sessions.setSessionCache(none);
                sessions.setUsingCookies(false);
            });
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jsonMapper(new JsonBodies());
            cfg.jetty.modifyWebSocketServletFactory(f -> {
                // Frames over 64 KiB are refused by the sockets with an error frame; past 1 MiB Jetty closes (1009).
                f.setMaxTextMessageSize(1024 * 1024);
                f.setIdleTimeout(Duration.ofSeconds(90));
                // Jetty reads with buffers of this size and starts every text message in a builder of this
                // capacity: chat frames are ~200 bytes, and the default 4 KiB was a tenth of all allocation.
                f.setInputBufferSize(1024);
            });
            cfg.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/web";
                s.location = Location.CLASSPATH;
                // The chat box loads its modules into shops' pages: another origin, so CORS must allow it.
                s.headers = Map.of("Access-Control-Allow-Origin", "*", "Cache-Control", "no-cache",
                        "X-Content-Type-Options", "nosniff");
                s.skipFileFunction = request -> request.getRequestURI().startsWith("/app/")
                        || request.getRequestURI().startsWith("/demo/");
            });
            String demoPolicy = PagePolicy.demo();
            cfg.staticFiles.add(s -> {
                s.hostedPath = "/demo";
                s.directory = "/web/demo";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Content-Security-Policy", demoPolicy, "Cache-Control", "no-cache",
                        "X-Content-Type-Options", "nosniff");
            });
            String dashboardPolicy = PagePolicy.dashboard();
            cfg.staticFiles.add(s -> {
                s.hostedPath = "/app";
                s.directory = "/web/app";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Content-Security-Policy", dashboardPolicy, "Cache-Control", "no-cache",
                        "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY");
            });
            cfg.routes.before(Http::refuseControlCharacters);
            cfg.routes.wsBeforeUpgrade(Http::refuseControlCharacters);
            cfg.routes.before(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "same-origin");
                // Pages carry their own policy (above); everything else may run and load nothing.
                String path = ctx.path();
                if (!path.startsWith("/app") && !path.startsWith("/demo")) ctx.header("Content-Security-Policy", PagePolicy.NOTHING);
            });
            cfg.routes.exception(Refusal.class, (e, ctx) -> {
                if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                error(ctx, status(e.kind()), e.code(), e.getMessage(), e.field());
            });
            cfg.routes.exception(Throttle.RetryLater.class, (e, ctx) -> {
                ctx.header("Retry-After", String.valueOf(e.seconds));
                error(ctx, 429, "rate_limited", e.getMessage(), null);
            });
            cfg.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus();
                String code = switch (status) {
                    case 413 -> "payload_too_large";
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    default -> status >= 500 ? "internal_error" : "bad_request";
                };
                error(ctx, status, code, status == 413 ? "The request body is too large (at most 64 KiB)." : e.getMessage(), null);
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (Database.uniqueViolation(e)) {
                    // A race two requests lost against a unique index: the caller's conflict, not our failure.
                    error(ctx, 409, "conflict", "That already exists.", null);
                    return;
                }
                if (Database.unreachable(e)) {
                    // The database is down or restarting: the caller may try again, not a bug to log with a trace.
                    log.warn("{} {}: the database is not reachable", ctx.method(), ctx.path());
                    ctx.header("Retry-After", "2");
                    error(ctx, 503, "unavailable", "The database is not reachable right now; try again in a moment.", null);
                    return;
                }
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal_error", "Something went wrong on our side. It has been logged.", null);
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty() || !isJson(ctx)) {
                    error(ctx, 404, "not_found", "There is nothing at " + ctx.path() + ".", null);
                }
            });
            cfg.routes.error(405, ctx -> error(ctx, 405, "method_not_allowed", "This method is not allowed here.", null));
            routes.accept(cfg.routes);
        });
    }

    // Before any route reads them: a NUL reached PostgreSQL (a 500) and a line break reached the logs. The
    // User-Agent is the one header Parley stores (the visitor card).
    private static void refuseControlCharacters(Context ctx) {
        Input.refuseControlCharacters("User-Agent", ctx.header("User-Agent"), false);
        if (Input.hasControlCharacters(ctx.path())) {
            throw new Refusal(Refusal.Kind.BAD_REQUEST, "invalid_characters", "The path may not contain control characters.", null);
        }
        ctx.queryParamMap().forEach((name, values) -> {
            if (Input.hasControlCharacters(name)) {
                throw new Refusal(Refusal.Kind.BAD_REQUEST, "invalid_characters", "A query parameter's name may not contain control characters.", null);
            }
            for (String value : values) Input.refuseControlCharacters(CardNumberMasker.mask(name), value, false);
        });
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }

    /** The one place a refusal's kind becomes an HTTP status. */
    static int status(Refusal.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case INVALID -> 422;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    static void error(Context ctx, int status, String code, String message, String field) {
        var body = Json.object();
        var err = body.putObject("error");
        err.put("code", code);
        err.put("message", message);
        if (field != null) err.put("field", field);
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    /** The signed-in agent or the API token's agent; a cookie-authenticated write must carry the CSRF token. */
    public static Caller caller(Context ctx, Auth auth) {
        Caller cached = ctx.attribute(CALLER);
        if (cached != null) return cached;
        String authorization = ctx.header("Authorization");
        Caller caller;
        if (authorization != null) {
            if (!authorization.startsWith("Bearer ")) {
                throw new Refusal(Refusal.Kind.UNAUTHENTICATED, "unauthenticated", "Use 'Authorization: Bearer <token>'.");
            }
            caller = auth.byApiToken(authorization.substring(7).trim())
                    .orElseThrow(() -> new Refusal(Refusal.Kind.UNAUTHENTICATED, "unauthenticated", "The API token is not valid."));
        } else {
            caller = auth.bySession(ctx.cookie(SESSION_COOKIE))
                    .orElseThrow(() -> new Refusal(Refusal.Kind.UNAUTHENTICATED, "unauthenticated", "Please sign in."));
            // Reads too: a deactivated agent may see nothing, even through a session that outlived the change.
            if (!caller.agent().active()) throw auth.refusalFor(caller.agent());
            if (!SAFE_METHODS.contains(ctx.method().name())) {
                String sent = ctx.header("X-CSRF-Token");
                if (sent == null || !java.security.MessageDigest.isEqual(sent.getBytes(), caller.csrfToken().getBytes())) {
                    throw new Refusal(Refusal.Kind.FORBIDDEN, "csrf_failed", "The request is missing its X-CSRF-Token header.");
                }
            }
        }
        ctx.attribute(CALLER, caller);
        return caller;
    }

    static void setSessionCookie(Context ctx, String token, boolean secure) {
        Cookie c = new Cookie(SESSION_COOKIE, token);
        c.setHttpOnly(true);
        c.setSecure(secure);
        c.setSameSite(SameSite.STRICT);
        c.setPath("/");
        c.setMaxAge((int) Auth.SESSION_LIFETIME.toSeconds());
        ctx.cookie(c);
    }

    static void clearSessionCookie(Context ctx) {
        Cookie c = new Cookie(SESSION_COOKIE, "");
        c.setHttpOnly(true);
        c.setSameSite(SameSite.STRICT);
        c.setPath("/");
        c.setMaxAge(0);
        ctx.cookie(c);
    }

    static <T> T body(Context ctx, Class<T> type) {
        if (!isJsonMediaType(ctx.contentType())) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send JSON with 'Content-Type: application/json'.");
        }
        return Json.read(ctx.body(), type);
    }

    /**
     * {@code application/json}, with parameters or without; a charset, if named, is UTF-8 (RFC 8259: JSON between
     * systems is UTF-8). "application/jsonx" or "application/json-patch+json" are other types.
     */
    static boolean isJsonMediaType(String contentType) {
        if (contentType == null) return false;
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) return false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq <= 0) return false;
            if (p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String charset = p.substring(eq + 1).strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) return false;
            }
        }
        return true;
    }

    // Ids in ASCII digits only: Long.parseLong read "+1", "01", "١" and "１" as 1, and one such call deleted token 1.
    static long pathId(Context ctx, String name) {
        long id = Input.asciiNumber(ctx.pathParam(name));
        if (id <= 0) throw Refusal.notFound("The " + name.replace('_', ' '));
        return id;
    }

    static int limit(Context ctx, int fallback, int max) {
        String s = ctx.queryParam("limit");
        if (s == null) return fallback;
        long n = Input.asciiNumber(s);
        if (n < 1 || n > max) throw Refusal.invalid("limit", "limit is a number from 1 to " + max + ".");
        return (int) n;
    }

    static void json(Context ctx, int status, Object value) {
        ctx.status(HttpStatus.forStatus(status)).json(value);
    }
}
