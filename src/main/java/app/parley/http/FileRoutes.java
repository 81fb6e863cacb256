package app.parley.http;

import app.parley.account.Auth;
import app.parley.account.Caller;
import app.parley.channel.email.EmailReplies;
import app.parley.conversation.Channel;
import app.parley.conversation.VisitorActions;
import app.parley.core.Refusal;
import app.parley.files.FileStore;
import app.parley.files.FileType;
import app.parley.files.Uploads;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Files both ways (issue #18 point 7, docs/API.md "Files"): an agent's or a visitor's upload (the raw bytes as the
 * body, so the browser can report progress), and the download, only to an agent who sees the conversation or to
 * its own visitor (the visitor key in {@code X-Parley-Visitor}, never in a URL). Every download is a download of
 * inert bytes: a sandbox policy, no sniffing, and HTML, SVG or XML served as {@code application/octet-stream}.
 */
public final class FileRoutes {
    static final String VISITOR_HEADER = "X-Parley-Visitor";
    /** Applied to every file served: even a browser that renders it gives it no origin, no script, no plugins. */
    static final String FILE_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

    private final Auth auth;
    private final FileStore store;
    private final Uploads uploads;
    private final EmailReplies email;
    private final Throttle calls;
    // Uploads are the costly call: 20 MB each. A visitor's budget is per visitor, an agent's per agent.
    private final Throttle visitorUploads;
    private final Throttle agentUploads;

    public FileRoutes(Auth auth, FileStore store, Uploads uploads, EmailReplies email, Throttles throttles) {
        this.calls = throttles.shared("file-calls", 600, Duration.ofSeconds(6));
        this.visitorUploads = throttles.shared("visitor-uploads", 20, Duration.ofMinutes(1));
        this.agentUploads = throttles.shared("agent-uploads", 60, Duration.ofMinutes(1));
        this.auth = auth;
        this.store = store;
        this.uploads = uploads;
        this.email = email;
    }

    public void register(RoutesConfig r) {
        r.post("/v2/conversations/{conversation_id}/files", sized(ctx -> {
            Caller c = caller(ctx);
            agentUploads.check("agent:" + c.agent().id());
            long conversationId = Http.pathId(ctx, "conversation_id");
            Channel channel = channel(ctx.queryParam("channel"));
            if (channel == Channel.EMAIL && !email.reach(c.accountId(), conversationId).canEmail()) {
                throw Refusal.invalid("channel", "No email address is known for this visitor: add one to their card first.");
            }
            byte[] body = body(ctx);
            Http.json(ctx, 201, uploads.fromAgent(c.agent(), conversationId, ctx.queryParam("name"), body,
                    ctx.queryParam("client_id"), channel));
        }));
        r.get("/v2/files/{file_id}", ctx -> serve(ctx, store.forAgent(caller(ctx).viewer(), ctx.pathParam("file_id"), false), false));
        r.get("/v2/files/{file_id}/thumbnail", ctx -> serve(ctx, store.forAgent(caller(ctx).viewer(), ctx.pathParam("file_id"), true), true));

        // The chat box runs in the shop's pages: another origin, so these answer CORS. No cookie is involved.
        r.options("/v2/chat/files", FileRoutes::preflight);
        r.options("/v2/chat/files/{file_id}", FileRoutes::preflight);
        r.options("/v2/chat/files/{file_id}/thumbnail", FileRoutes::preflight);
        r.post("/v2/chat/files", sized(ctx -> {
            cors(ctx);
            VisitorActions.Who who = visitor(ctx);
            visitorUploads.check("visitor:" + who.visitorId());
            byte[] body = body(ctx);
            VisitorActions.Sent sent = join(uploads.fromVisitor(who, ctx.queryParam("name"), body, ctx.queryParam("client_id")));
            ctx.status(201).contentType("application/json").result(sent.json());
        }));
        r.get("/v2/chat/files/{file_id}", ctx -> {
            cors(ctx);
            VisitorActions.Who who = visitor(ctx);
            serve(ctx, store.forVisitor(who.accountId(), who.visitorId(), ctx.pathParam("file_id"), false), false);
        });
        r.get("/v2/chat/files/{file_id}/thumbnail", ctx -> {
            cors(ctx);
            VisitorActions.Who who = visitor(ctx);
            serve(ctx, store.forVisitor(who.accountId(), who.visitorId(), ctx.pathParam("file_id"), true), true);
        });
    }

    /** A file over the limit is 413, as HTTP names it; the refusal's code and message stay the same. */
    private static io.javalin.http.Handler sized(io.javalin.http.Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (Refusal e) {
                if (!"file_too_large".equals(e.code())) throw e;
                Http.error(ctx, 413, e.code(), e.getMessage(), e.field());
            }
        };
    }

    private static void serve(Context ctx, Optional<FileStore.Content> found, boolean thumbnail) {
        FileStore.Content f = found.orElseThrow(() -> Refusal.notFound("The file"));
        FileType.Served served = thumbnail ? new FileType.Served("image/jpeg", true) : FileType.served(f.file().contentType());
        ctx.header("Content-Security-Policy", FILE_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "private, max-age=600");
        ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
        ctx.header("Content-Disposition", disposition(served.inline(), f.file().filename()));
        ctx.contentType(served.contentType()).result(f.bytes());
    }

    /** RFC 6266: an ASCII fallback name, and the real one in RFC 5987 encoding. */
    static String disposition(boolean inline, String filename) {
        String ascii = filename.replaceAll("[^A-Za-z0-9._ ()\\-]", "_");
        String encoded = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /** A body this much over the limit is still read (and dropped) before the refusal: see {@link #body}. */
    private static final long DRAINED = 8L * 1024 * 1024;

    /**
     * The body, up to 20 MB: refused when the length says more, and stops reading past it. A body somewhat over the
     * limit (a photo a little too big) is read to its end and dropped first: a server that answers and closes while
     * the client is still sending resets the connection, and the client loses the answer and sees only a broken
     * connection, not "file too large". Far over the limit, the connection is given up.
     */
    private static byte[] body(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > Uploads.MAX_BYTES) {
            if (declared <= Uploads.MAX_BYTES + DRAINED) {
                try (InputStream in = ctx.req().getInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            throw Uploads.tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > Uploads.MAX_BYTES) throw Uploads.tooLarge();
            }
            return out.toByteArray();
        }
    }

    private VisitorActions.Who visitor(Context ctx) {
        String key = ctx.queryParam("key");
        String visitorKey = ctx.header(VISITOR_HEADER);
        return store.visitor(key, visitorKey).orElseThrow(() -> new Refusal(Refusal.Kind.UNAUTHENTICATED, "unknown_visitor",
                "This chat box does not know you yet: open the chat and write first."));
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private static void cors(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Expose-Headers", "Content-Disposition");
    }

    private static void preflight(Context ctx) {
        cors(ctx);
        ctx.header("Access-Control-Allow-Methods", "GET, POST");
        ctx.header("Access-Control-Allow-Headers", VISITOR_HEADER + ", Content-Type");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private static Channel channel(String wire) {
        if (wire == null || wire.isEmpty()) return null;
        for (Channel c : List.of(Channel.CHAT, Channel.EMAIL)) if (c.wire().equals(wire)) return c;
        throw Refusal.invalid("channel", "channel is 'chat' or 'email'.");
    }

    private Caller caller(Context ctx) {
        Caller c = Http.caller(ctx, auth);
        calls.check((c.viaToken() ? "token:" : "agent:") + c.agent().id());
        return c;
    }
}
